import { z } from 'zod';

// Cash limits, supervisor overrides and large-cash alerts (issue 6).

export const cashControlProcedures = {} as const satisfies Record<string, unknown>;

void z;
