import { z } from 'zod';

// Offline work: the local store, the outbox and its replay (issue 7, ARCHITECTURE 6).

export const offlineProcedures = {} as const satisfies Record<string, unknown>;

void z;
