import { z } from 'zod';
import { command, query, requiredText, uuid } from './procedure';
import { minorAmount } from './manual';
import { denominationCount } from './counter';

// Branches, vaults and tills as ledger accounts; denominations; opening and closing the day (issue 6).
// Amounts cross as minor units in strings; denominations as { value (minor units), count }.

export const tillCurrency = z.enum(['USD']);
const counts = z.array(denominationCount).max(60);
const code = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[A-Za-z0-9._-]+$/);
/** At most 10^15 minor units, like every amount; zero allowed (a branch without tolerance). */
const minorOrZero = z
  .string()
  .regex(/^\d{1,16}$/)
  .refine((s) => BigInt(s) <= 10n ** 15n, 'tooLarge');

export const denominationDto = z.object({
  currency: z.string(),
  value: z.string(),
  kind: z.enum(['note', 'coin']),
  active: z.boolean(),
});
export type DenominationDto = z.infer<typeof denominationDto>;

export const countDto = z.object({ value: z.string(), count: z.number().int() });

export const sessionStatus = z.enum(['opening', 'open', 'awaiting_sign_off', 'closed', 'cancelled']);

export const tillSessionDto = z.object({
  id: z.string(),
  tillId: z.string(),
  tellerId: z.string(),
  tellerName: z.string(),
  businessDate: z.string(),
  status: sessionStatus,
  openedAt: z.string().nullable(),
  openingAmount: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type TillSessionDto = z.infer<typeof tillSessionDto>;

export const tillDto = z.object({
  id: z.string(),
  branchId: z.string(),
  code: z.string(),
  name: z.string(),
  currency: z.string(),
  ledgerAccountId: z.string(),
  session: tillSessionDto.nullable(),
});
export type TillDto = z.infer<typeof tillDto>;

export const branchDto = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  currency: z.string(),
  closeTolerance: z.string(),
  vaultLedgerAccountId: z.string(),
  tills: z.array(tillDto),
});
export type BranchDto = z.infer<typeof branchDto>;

export const vaultTransferDto = z.object({
  id: z.string(),
  branchId: z.string(),
  tillId: z.string(),
  tillCode: z.string(),
  sessionId: z.string(),
  direction: z.enum(['to_till', 'to_vault']),
  purpose: z.enum(['opening', 'replenish', 'excess']),
  amount: z.string(),
  status: z.enum(['pending', 'confirmed', 'cancelled']),
  requestedBy: z.string(),
  requestedByName: z.string(),
  requestedAt: z.string(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  ledgerTransactionId: z.string().nullable(),
});
export type VaultTransferDto = z.infer<typeof vaultTransferDto>;

/**
 * The teller's own view of their day. No expected cash: the close is a blind count, so the teller
 * is never shown what the ledger says the drawer holds.
 */
export const myTillDto = z.object({
  till: tillDto.omit({ session: true }),
  branchCode: z.string(),
  branchName: z.string(),
  session: tillSessionDto,
  pendingTransfers: z.array(vaultTransferDto),
  movements: z.number().int(),
  /** The denominations the close count lists (every active one of the till's currency). */
  denominations: z.array(denominationDto),
});
export type MyTillDto = z.infer<typeof myTillDto>;

export const closeResultDto = z.object({
  sessionId: z.string(),
  status: sessionStatus,
  counted: z.string(),
  /** Counted minus expected: positive over, negative short. Shown only once the count is final. */
  difference: z.string(),
  needsSignOff: z.boolean(),
});

export const positionTillDto = z.object({
  till: tillDto.omit({ session: true }),
  session: tillSessionDto.nullable(),
  /** The till's ledger balance: what the drawer should hold now. */
  expected: z.string(),
  holdings: z.array(countDto),
  /** Of a count awaiting sign-off. */
  counted: z.string().nullable(),
  difference: z.string().nullable(),
});

export const branchPositionDto = z.object({
  branch: branchDto.omit({ tills: true }),
  businessDate: z.string(),
  vault: z.object({ expected: z.string(), holdings: z.array(countDto) }),
  tills: z.array(positionTillDto),
  /** Vault and tills together. */
  total: z.string(),
  pendingTransfers: z.array(vaultTransferDto),
});
export type BranchPositionDto = z.infer<typeof branchPositionDto>;

export const tillProcedures = {
  /** The notes and coins of a currency: tellers count with them, supervisors confirm with them. */
  'tills.denominations.list': query({
    access: 'session',
    input: z.strictObject({ currency: tillCurrency.default('USD') }),
    output: z.array(denominationDto),
  }),
  'tills.denominations.set': command({
    access: 'till.manage',
    input: {
      currency: tillCurrency,
      items: z
        .array(z.strictObject({ value: minorAmount, kind: z.enum(['note', 'coin']) }))
        .min(1)
        .max(40),
    },
    output: z.array(denominationDto),
  }),
  /** Branches and tills by name, for every screen that picks one (tellers, supervisors, admins). */
  'tills.branches.list': query({
    access: 'session',
    input: z.strictObject({}),
    output: z.array(branchDto),
  }),
  'tills.branches.create': command({
    access: 'till.manage',
    input: { code, name: requiredText(200), currency: tillCurrency, closeTolerance: minorOrZero },
    output: branchDto,
  }),
  'tills.create': command({
    access: 'till.manage',
    input: { branchId: uuid, code, name: requiredText(200) },
    output: tillDto,
  }),
  /** Cash shipped into a vault from the bank's central cash (the deposit omnibus). */
  'tills.vault.receive': command({
    access: 'till.manage',
    input: { branchId: uuid, amount: minorAmount, denominations: counts },
    output: z.object({ expected: z.string(), ledgerTransactionId: z.string() }),
  }),
  'tills.mine': query({
    access: 'till.operate',
    input: z.strictObject({}),
    output: myTillDto.nullable(),
  }),
  /** Opening the day: the teller asks the vault for cash with their count; a supervisor confirms. */
  'tills.open': command({
    access: 'till.operate',
    input: { tillId: uuid, amount: minorAmount, denominations: counts },
    output: vaultTransferDto,
  }),
  /** During the day: more cash from the vault, or the excess back to it. */
  'tills.transfers.request': command({
    access: 'till.operate',
    input: {
      tillId: uuid,
      direction: z.enum(['to_till', 'to_vault']),
      amount: minorAmount,
      denominations: counts,
    },
    output: vaultTransferDto,
  }),
  'tills.transfers.pending': query({
    access: 'till.supervise',
    input: z.strictObject({ branchId: uuid.optional() }),
    output: z.array(vaultTransferDto),
  }),
  /** The head teller or supervisor confirms with their own count, which must agree. */
  'tills.transfers.confirm': command({
    access: 'till.supervise',
    input: { transferId: uuid, denominations: counts },
    output: vaultTransferDto,
  }),
  /** By the teller who asked, or by a head teller or supervisor (checked by the service). */
  'tills.transfers.cancel': command({
    access: 'session',
    input: { transferId: uuid, reason: requiredText(500) },
    output: vaultTransferDto,
  }),
  'tills.suggestPayout': query({
    access: 'till.operate',
    input: z.strictObject({ tillId: uuid, amount: minorAmount }),
    output: z.object({ denominations: z.array(countDto).nullable() }),
  }),
  /** The blind count: every denomination listed, the expected figure never shown beforehand. */
  'tills.close': command({
    access: 'till.operate',
    input: { tillId: uuid, denominations: counts },
    output: closeResultDto,
  }),
  'tills.signOff': command({
    access: 'till.supervise',
    input: { sessionId: uuid, note: requiredText(500) },
    output: closeResultDto,
  }),
  /**
   * The customer's identity at the counter: the photo of the ID document and the signature, from
   * the customer's own documents (small images only), for the teller to compare with the person.
   */
  'tills.counter.identity': query({
    access: 'till.operate',
    input: z.strictObject({ customerId: uuid }),
    output: z.object({
      images: z.array(
        z.object({ documentId: z.string(), name: z.string(), contentType: z.string(), data: z.string() }),
      ),
    }),
  }),
  'tills.position': query({
    access: 'till.supervise',
    input: z.strictObject({ branchId: uuid }),
    output: branchPositionDto,
  }),
} as const;
