import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertBalanced, type EntrySpec, type Template } from '../../main/ledger';
import { effectOn } from '../../main/ledger/rules';
import * as T from '../../main/modules/deposits/templates';

const cash = randomUUID();
const customer = randomUUID();
const X = 30_000n;

/** What a posting does to one credit-normal customer account, per layer. */
function effect(entries: EntrySpec[], accountId: string, normal: 'debit' | 'credit') {
  const out = { settled: 0n, pending: 0n };
  for (const e of entries)
    if (e.accountId === accountId) out[e.layer] += effectOn(normal, e.direction, e.amount);
  return out;
}

function run<P>(template: Template<P>, params: unknown): EntrySpec[] {
  const entries = template.entries(template.params.parse(params));
  assertBalanced(entries); // every template balances per currency and layer
  return entries;
}

describe('deposit templates (DOMAIN 4.5)', () => {
  it.each([
    ['RECORD_DEPOSIT', T.RECORD_DEPOSIT, X, 0n],
    ['REVERT_DEPOSIT', T.REVERT_DEPOSIT, -X, 0n],
    ['INITIATE_WITHDRAW', T.INITIATE_WITHDRAW, -X, X],
    ['CONFIRM_WITHDRAW', T.CONFIRM_WITHDRAW, 0n, -X],
    ['CANCEL_WITHDRAW', T.CANCEL_WITHDRAW, X, -X],
    ['DENY_WITHDRAW', T.DENY_WITHDRAW, X, -X],
    ['REVERT_WITHDRAW', T.REVERT_WITHDRAW, X, 0n],
  ] as const)(
    '%s: customer settled %s, pending %s; the cash side mirrors it',
    (code, template, settled, pending) => {
      const entries = run(template as Template<unknown>, { cash, customer, amount: X });
      expect(template.code).toBe(code);
      expect(effect(entries, customer, 'credit')).toEqual({ settled, pending });
      // The asset side moves the same way on a debit-normal account.
      expect(effect(entries, cash, 'debit')).toEqual({ settled, pending });
      expect(new Set(entries.map((e) => e.currency))).toEqual(new Set(['USD']));
    },
  );

  it('the example of DOMAIN 4.5 adds up: deposit 1,000.00, hold 300.00, confirm', () => {
    const all = [
      ...run(T.RECORD_DEPOSIT, { cash, customer, amount: 100_000n }),
      ...run(T.INITIATE_WITHDRAW, { cash, customer, amount: 30_000n }),
    ];
    expect(effect(all, customer, 'credit')).toEqual({ settled: 70_000n, pending: 30_000n });
    all.push(...run(T.CONFIRM_WITHDRAW, { cash, customer, amount: 30_000n }));
    expect(effect(all, customer, 'credit')).toEqual({ settled: 70_000n, pending: 0n });
  });

  it('freeze moves the settled balance to the companion; unfreeze brings it back', () => {
    const main = randomUUID();
    const companion = randomUUID();
    const frozen = run(T.FREEZE_ACCOUNT, { main, companion, amount: X });
    expect(effect(frozen, main, 'credit')).toEqual({ settled: -X, pending: 0n });
    expect(effect(frozen, companion, 'credit')).toEqual({ settled: X, pending: 0n });
    const back = [...frozen, ...run(T.UNFREEZE_ACCOUNT, { main, companion, amount: X })];
    expect(effect(back, main, 'credit')).toEqual({ settled: 0n, pending: 0n });
    expect(effect(back, companion, 'credit')).toEqual({ settled: 0n, pending: 0n });
  });

  it('refuses a zero or negative amount before anything is posted', () => {
    expect(() => T.RECORD_DEPOSIT.params.parse({ cash, customer, amount: 0n })).toThrow();
    expect(() => T.INITIATE_WITHDRAW.params.parse({ cash, customer, amount: -5n })).toThrow();
  });
});
