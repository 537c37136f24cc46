import { z } from 'zod';
import { defineTemplate } from '../../ledger';

const line = z.object({
  accountId: z.uuid(),
  currency: z.enum(['USD', 'BTC']),
  layer: z.enum(['settled', 'pending']),
  direction: z.enum(['debit', 'credit']),
  amount: z.bigint().positive(),
});

/** A manual journal transaction: the lines an accountant entered, approved by a second person. */
export const MANUAL_TRANSACTION = defineTemplate({
  code: 'MANUAL_TRANSACTION',
  params: z.object({ lines: z.array(line).min(2).max(50) }),
  entries: (p) => p.lines,
});
