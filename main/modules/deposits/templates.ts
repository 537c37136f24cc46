import { z } from 'zod';
import { defineTemplate, type EntrySpec } from '../../ledger';

// The deposit module's ledger templates (DOMAIN 4.5). `cash` is the asset side of the movement: the
// deposit omnibus for wires, checks and internal transfers, a till's cash account for cash at the
// counter (DOMAIN 11, tills). `customer` is the holder's main deposit account (a liability).

const movement = z.object({
  cash: z.uuid(),
  customer: z.uuid(),
  amount: z.bigint().positive(),
  currency: z.enum(['USD', 'BTC']).default('USD'),
});
type Movement = z.infer<typeof movement>;

const line = (
  accountId: string,
  p: Movement,
  layer: EntrySpec['layer'],
  direction: EntrySpec['direction'],
): EntrySpec => ({ accountId, currency: p.currency, layer, direction, amount: p.amount });

/** Money received outside the system: spendable at once. Customer settled +X. */
export const RECORD_DEPOSIT = defineTemplate({
  code: 'RECORD_DEPOSIT',
  params: movement,
  entries: (p) => [line(p.cash, p, 'settled', 'debit'), line(p.customer, p, 'settled', 'credit')],
});

/** An erroneous deposit taken back. A debit of the customer: overdraft prevention applies. */
export const REVERT_DEPOSIT = defineTemplate({
  code: 'REVERT_DEPOSIT',
  params: movement,
  entries: (p) => [line(p.cash, p, 'settled', 'credit'), line(p.customer, p, 'settled', 'debit')],
});

/** Funds held for a withdrawal awaiting approval: settled −X, pending +X. */
export const INITIATE_WITHDRAW = defineTemplate({
  code: 'INITIATE_WITHDRAW',
  params: movement,
  entries: (p) => [
    line(p.cash, p, 'settled', 'credit'),
    line(p.cash, p, 'pending', 'debit'),
    line(p.customer, p, 'settled', 'debit'),
    line(p.customer, p, 'pending', 'credit'),
  ],
});

/** The money has actually gone out: pending −X. */
export const CONFIRM_WITHDRAW = defineTemplate({
  code: 'CONFIRM_WITHDRAW',
  params: movement,
  entries: (p) => [line(p.cash, p, 'pending', 'credit'), line(p.customer, p, 'pending', 'debit')],
});

/**
 * A cash payout from a till (issue 6): the hold made at initiation sits on the omnibus, so it is
 * released there, and the cash leaves the till instead. Customer pending −X; till settled −X.
 */
export const CONFIRM_WITHDRAW_FROM_TILL = defineTemplate({
  code: 'CONFIRM_WITHDRAW_FROM_TILL',
  params: movement.extend({ till: z.uuid() }),
  entries: (p) => [
    line(p.cash, p, 'pending', 'credit'),
    line(p.cash, p, 'settled', 'debit'),
    line(p.till, p, 'settled', 'credit'),
    line(p.customer, p, 'pending', 'debit'),
  ],
});

const release = (p: Movement) => [
  line(p.cash, p, 'pending', 'credit'),
  line(p.cash, p, 'settled', 'debit'),
  line(p.customer, p, 'pending', 'debit'),
  line(p.customer, p, 'settled', 'credit'),
];

/** The operator cancels before confirmation: the hold returns to settled. */
export const CANCEL_WITHDRAW = defineTemplate({
  code: 'CANCEL_WITHDRAW',
  params: movement,
  entries: release,
});

/** The approval process denied it: the hold returns to settled. */
export const DENY_WITHDRAW = defineTemplate({ code: 'DENY_WITHDRAW', params: movement, entries: release });

/** A confirmed payout came back (failed or returned): settled +X. */
export const REVERT_WITHDRAW = defineTemplate({
  code: 'REVERT_WITHDRAW',
  params: movement,
  entries: (p) => [line(p.cash, p, 'settled', 'debit'), line(p.customer, p, 'settled', 'credit')],
});

const freeze = z.object({
  main: z.uuid(),
  companion: z.uuid(),
  amount: z.bigint().positive(),
  currency: z.enum(['USD', 'BTC']).default('USD'),
});
type Freeze = z.infer<typeof freeze>;
const move = (p: Freeze, from: string, to: string): EntrySpec[] => [
  { accountId: from, currency: p.currency, layer: 'settled', direction: 'debit', amount: p.amount },
  { accountId: to, currency: p.currency, layer: 'settled', direction: 'credit', amount: p.amount },
];

/** The settled balance moves to the frozen companion; the main account is then locked. */
export const FREEZE_ACCOUNT = defineTemplate({
  code: 'FREEZE_ACCOUNT',
  params: freeze,
  entries: (p) => move(p, p.main, p.companion),
});

/** After unlocking the main account, the companion's balance comes back. */
export const UNFREEZE_ACCOUNT = defineTemplate({
  code: 'UNFREEZE_ACCOUNT',
  params: freeze,
  entries: (p) => move(p, p.companion, p.main),
});
