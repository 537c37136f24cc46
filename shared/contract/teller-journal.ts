import { z } from 'zod';

// The electronic journal of teller work (append-only, hash-chained) and receipts (issue 6).

export const tellerJournalProcedures = {} as const satisfies Record<string, unknown>;

void z;
