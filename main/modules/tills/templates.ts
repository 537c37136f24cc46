import { z } from 'zod';
import { defineTemplate } from '../../ledger';

// The tills module's ledger templates (issue 6). Vaults and tills are debit-normal asset accounts
// under Cash and Equivalents; cash over is revenue, cash short an expense.

const transfer = z.object({
  from: z.uuid(),
  to: z.uuid(),
  amount: z.bigint().positive(),
  currency: z.enum(['USD', 'BTC']).default('USD'),
});

/** Cash moved between two cash accounts: vault to till, till to vault, central cash to a vault. */
export const CASH_TRANSFER = defineTemplate({
  code: 'CASH_TRANSFER',
  params: transfer,
  entries: (p) => [
    { accountId: p.from, currency: p.currency, layer: 'settled', direction: 'credit', amount: p.amount },
    { accountId: p.to, currency: p.currency, layer: 'settled', direction: 'debit', amount: p.amount },
  ],
});

const difference = z.object({
  till: z.uuid(),
  /** The cash over (revenue) or cash short (expense) account. */
  result: z.uuid(),
  amount: z.bigint().positive(),
  currency: z.enum(['USD', 'BTC']).default('USD'),
});

/** More cash counted than the ledger expected: the till up, cash over (revenue) up. */
export const CASH_OVER = defineTemplate({
  code: 'CASH_OVER',
  params: difference,
  entries: (p) => [
    { accountId: p.till, currency: p.currency, layer: 'settled', direction: 'debit', amount: p.amount },
    { accountId: p.result, currency: p.currency, layer: 'settled', direction: 'credit', amount: p.amount },
  ],
});

/** Less cash counted than expected: the till down, cash short (expense) up. */
export const CASH_SHORT = defineTemplate({
  code: 'CASH_SHORT',
  params: difference,
  entries: (p) => [
    { accountId: p.result, currency: p.currency, layer: 'settled', direction: 'debit', amount: p.amount },
    { accountId: p.till, currency: p.currency, layer: 'settled', direction: 'credit', amount: p.amount },
  ],
});
