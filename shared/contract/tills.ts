import { z } from 'zod';

// Branches, vaults and tills as ledger accounts; denominations; opening and closing the day (issue 6).

export const tillProcedures = {} as const satisfies Record<string, unknown>;

void z;
