import { z } from 'zod';
import { command, isoDate, query, requiredText, text, uuid } from './procedure';
import { minorAmount } from './manual';
import { counterInput } from './counter';

// Deposit accounts, deposits and withdrawals (DOMAIN 4). Amounts cross as minor units in strings.

export const depositAccountStatus = z.enum(['active', 'inactive', 'frozen', 'closed']);
export const activityStatus = z.enum(['active', 'inactive', 'escheatable']);
export const depositMethod = z.enum(['cash', 'wire', 'check', 'internal']);
export const withdrawalStatus = z.enum([
  'pending_approval',
  'pending_confirmation',
  'confirmed',
  'denied',
  'cancelled',
  'reverted',
]);

export const depositAccountDto = z.object({
  id: z.string(),
  publicId: z.string(),
  holderId: z.string(),
  holderPublicId: z.string(),
  holderName: z.string(),
  customerType: z.string(),
  currency: z.literal('USD'),
  status: depositAccountStatus,
  statusReason: z.string().nullable(),
  activityStatus,
  lastActivityOn: z.string(),
  /** Spendable (main account, settled layer). */
  settled: z.string(),
  /** Held for withdrawals awaiting approval or confirmation. */
  pending: z.string(),
  /** Held on the frozen companion while the account is frozen. */
  frozen: z.string(),
  ledgerAccountId: z.string(),
  frozenLedgerAccountId: z.string(),
  createdAt: z.string(),
});
export type DepositAccountDto = z.infer<typeof depositAccountDto>;

export const depositDto = z.object({
  id: z.string(),
  accountId: z.string(),
  amount: z.string(),
  currency: z.string(),
  method: depositMethod,
  reference: z.string().nullable(),
  status: z.enum(['confirmed', 'reverted']),
  effectiveDate: z.string(),
  ledgerTransactionId: z.string(),
  revertLedgerTransactionId: z.string().nullable(),
  revertReason: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  revertedAt: z.string().nullable(),
});
export type DepositDto = z.infer<typeof depositDto>;

export const withdrawalDto = z.object({
  id: z.string(),
  accountId: z.string(),
  amount: z.string(),
  currency: z.string(),
  method: depositMethod,
  reference: z.string().nullable(),
  status: withdrawalStatus,
  effectiveDate: z.string(),
  approvalProcessId: z.string().nullable(),
  initiateTransactionId: z.string(),
  confirmTransactionId: z.string().nullable(),
  releaseTransactionId: z.string().nullable(),
  revertTransactionId: z.string().nullable(),
  cancelReason: z.string().nullable(),
  revertReason: z.string().nullable(),
  initiatedBy: z.string().nullable(),
  initiatedAt: z.string(),
  concludedAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
});
export type WithdrawalDto = z.infer<typeof withdrawalDto>;

export const historyItemDto = z.object({
  kind: z.enum([
    'deposit',
    'deposit_reverted',
    'withdrawal',
    'withdrawal_reverted',
    'opened',
    'freeze',
    'unfreeze',
    'inactivate',
    'reactivate',
    'close',
  ]),
  /** The deposit, withdrawal or account event this line is about. */
  id: z.string(),
  at: z.string(),
  amount: z.string().nullable(),
  /** Positive into the account's settled balance, negative out of it, null when it does not move. */
  direction: z.enum(['in', 'out']).nullable(),
  status: z.string().nullable(),
  method: z.string().nullable(),
  reference: z.string().nullable(),
  reason: z.string().nullable(),
  /** The main account's settled balance after this line's ledger entry, when it had one. */
  balanceAfter: z.string().nullable(),
});
export type HistoryItemDto = z.infer<typeof historyItemDto>;

export const thresholdsDto = z.object({ inactiveDays: z.number().int(), escheatableDays: z.number().int() });

const page = {
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(200).default(50),
};
const reference = text(200).optional();
const reason = requiredText(500);
const movement = { accountId: uuid, amount: minorAmount, method: depositMethod, reference };
/** At the counter: the till, its denominations, an override, the conductor (shared/contract/counter.ts). */
const counter = counterInput.optional();

export const depositProcedures = {
  'deposits.accounts.open': command({
    access: 'deposit.manage',
    input: { customerId: uuid },
    output: depositAccountDto,
  }),
  'deposits.accounts.ofCustomer': query({
    access: 'deposit.read',
    input: z.strictObject({ customerId: uuid }),
    output: z.array(depositAccountDto),
  }),
  'deposits.accounts.get': query({
    access: 'deposit.read',
    input: z.strictObject({ id: uuid }),
    output: depositAccountDto,
  }),
  'deposits.accounts.list': query({
    access: 'deposit.read',
    input: z.strictObject({
      status: depositAccountStatus.optional(),
      activityStatus: activityStatus.optional(),
      ...page,
    }),
    output: z.object({ items: z.array(depositAccountDto), total: z.number().int() }),
  }),
  'deposits.accounts.history': query({
    access: 'deposit.read',
    input: z.strictObject({
      id: uuid,
      ...page,
      /** Movements: deposits, withdrawals and their reverts; events: opened, freezes, status changes. */
      show: z.enum(['all', 'movements', 'events']).default('all'),
      from: isoDate.optional(),
      to: isoDate.optional(),
    }),
    output: z.object({ items: z.array(historyItemDto), total: z.number().int() }),
  }),
  'deposits.accounts.historyCsv': query({
    access: 'deposit.read',
    input: z.strictObject({ id: uuid }),
    output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
  'deposits.accounts.freeze': command({
    access: 'deposit.manage',
    input: { id: uuid, reason },
    output: depositAccountDto,
  }),
  'deposits.accounts.unfreeze': command({
    access: 'deposit.manage',
    input: { id: uuid, reason: text(500).optional() },
    output: depositAccountDto,
  }),
  'deposits.accounts.inactivate': command({
    access: 'deposit.manage',
    input: { id: uuid, reason },
    output: depositAccountDto,
  }),
  'deposits.accounts.reactivate': command({
    access: 'deposit.manage',
    input: { id: uuid, reason },
    output: depositAccountDto,
  }),
  'deposits.accounts.close': command({
    access: 'deposit.manage',
    input: { id: uuid, reason },
    output: depositAccountDto,
  }),
  'deposits.record': command({
    access: 'deposit.operate',
    input: { ...movement, counter },
    output: depositDto,
  }),
  'deposits.revert': command({
    access: 'deposit.manage',
    input: { id: uuid, reason },
    output: depositDto,
  }),
  'deposits.withdrawals.initiate': command({
    access: 'deposit.operate',
    input: { ...movement, counter },
    output: withdrawalDto,
  }),
  'deposits.withdrawals.get': query({
    access: 'deposit.read',
    input: z.strictObject({ id: uuid }),
    output: withdrawalDto,
  }),
  'deposits.withdrawals.list': query({
    access: 'deposit.read',
    input: z.strictObject({ accountId: uuid.optional(), status: withdrawalStatus.optional(), ...page }),
    output: z.object({ items: z.array(withdrawalDto), total: z.number().int() }),
  }),
  'deposits.withdrawals.cancel': command({
    access: 'deposit.operate',
    input: { id: uuid, reason },
    output: withdrawalDto,
  }),
  'deposits.withdrawals.confirm': command({
    access: 'deposit.operate',
    input: { id: uuid, counter },
    output: withdrawalDto,
  }),
  'deposits.withdrawals.revert': command({
    access: 'deposit.manage',
    input: { id: uuid, reason },
    output: withdrawalDto,
  }),
  'deposits.settings.get': query({
    access: 'deposit.read',
    input: z.strictObject({}),
    output: thresholdsDto,
  }),
  'deposits.settings.set': command({
    access: 'deposit.manage',
    input: {
      inactiveDays: z.number().int().min(1).max(100_000),
      escheatableDays: z.number().int().min(1).max(100_000),
    },
    output: thresholdsDto,
  }),
  'deposits.activity.classify': command({
    access: 'deposit.manage',
    input: { businessDate: isoDate.optional() },
    output: z.object({
      businessDate: z.string(),
      accounts: z.number().int(),
      changed: z.number().int(),
      replayed: z.boolean(),
    }),
  }),
} as const;
