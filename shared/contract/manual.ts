import { z } from 'zod';
import { command, isoDate, query, requiredText, uuid } from './procedure';

/** Minor units as a string: strictly positive, at most 10^15 (DOMAIN 11). */
export const minorAmount = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  // Zod runs every check even after the pattern failed: BigInt('1.5') would throw, not refuse.
  .refine((s) => /^\d+$/.test(s) && BigInt(s) <= 10n ** 15n, 'tooLarge');

export const manualLineInput = z.strictObject({
  accountId: uuid,
  layer: z.enum(['settled', 'pending']),
  direction: z.enum(['debit', 'credit']),
  amount: minorAmount,
});

export const manualTransactionDto = z.object({
  id: z.string(),
  status: z.enum(['pending_approval', 'posted', 'rejected']),
  effectiveDate: z.string(),
  description: z.string(),
  lines: z.array(
    z.object({
      accountId: z.string(),
      accountCode: z.string(),
      accountName: z.string(),
      currency: z.enum(['USD', 'BTC']),
      layer: z.enum(['settled', 'pending']),
      direction: z.enum(['debit', 'credit']),
      amount: z.string(),
    }),
  ),
  proposedBy: z.string(),
  proposedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  ledgerTransactionId: z.string().nullable(),
});
export type ManualTransactionDto = z.infer<typeof manualTransactionDto>;

export const manualProcedures = {
  'accounting.manual.list': query({
    access: 'accounting.read',
    input: z.strictObject({ status: z.enum(['pending_approval', 'posted', 'rejected']).optional() }),
    output: z.array(manualTransactionDto),
  }),
  'accounting.manual.propose': command({
    access: 'accounting.manage',
    input: {
      effectiveDate: isoDate,
      description: requiredText(500),
      lines: z.array(manualLineInput).min(2).max(50),
    },
    output: manualTransactionDto,
  }),
  'accounting.manual.approve': command({
    access: 'accounting.manage',
    input: { id: uuid },
    output: manualTransactionDto,
  }),
  'accounting.manual.reject': command({
    access: 'accounting.manage',
    input: { id: uuid, reason: requiredText(500) },
    output: manualTransactionDto,
  }),
} as const;
