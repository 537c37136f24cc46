import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTemplate, type Ledger } from '../../main/ledger';
import type { Db } from '../../main/db';
import { AppError } from '../../shared/errors';
import { dbLabel, onServer, startTestBank } from './harness';

// Deposit- and withdrawal-shaped templates, as a deposits module would declare them.
const params = z.object({ omnibus: z.string(), customer: z.string(), amount: z.bigint() });
const DEPOSIT = defineTemplate({
  code: 'TEST_DEPOSIT',
  params,
  entries: (p) => [
    { accountId: p.omnibus, currency: 'USD', layer: 'settled', direction: 'debit', amount: p.amount },
    { accountId: p.customer, currency: 'USD', layer: 'settled', direction: 'credit', amount: p.amount },
  ],
});
const WITHDRAW = defineTemplate({
  code: 'TEST_WITHDRAW',
  params,
  entries: (p) => [
    { accountId: p.omnibus, currency: 'USD', layer: 'settled', direction: 'credit', amount: p.amount },
    { accountId: p.customer, currency: 'USD', layer: 'settled', direction: 'debit', amount: p.amount },
  ],
});

async function expectCode(p: Promise<unknown>, code: string) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeDefined();
  const actual = err instanceof AppError ? err.code : (err as { code?: string }).code;
  expect(actual).toBe(code);
}

interface RawEntry {
  account: string;
  layer?: 'settled' | 'pending';
  direction: 'debit' | 'credit';
  amount: bigint | number;
}

/** Writes a transaction and its entries with plain SQL, going around the service entirely. */
async function rawPosting(db: Db, entries: RawEntry[], date = '2026-03-02', id: string = randomUUID()) {
  await db.transaction(async (trx) => {
    await trx.raw(
      `insert into ledger_transactions (id, idempotency_key, payload_hash, template_code, effective_date, entry_count, recorded_at)
       values (?, ?, 'h', 'SQL', ?, ?, now())`,
      [id, randomUUID(), date, entries.length],
    );
    for (const [seq, e] of entries.entries()) {
      await trx.raw(
        `insert into ledger_entries (transaction_id, seq, account_id, currency, layer, direction, amount, effective_date)
         values (?, ?, ?, 'USD', ?, ?, ?, ?)`,
        [id, seq, e.account, e.layer ?? 'settled', e.direction, e.amount.toString(), date],
      );
    }
  });
}

describe(`ledger invariants held by the database (${dbLabel})`, async () => {
  const bank = await startTestBank({ setup: false });
  const db: Db = bank.services.database.knex;
  const ledger: Ledger = bank.services.ledger;
  const at = new Date('2026-03-02T10:00:00Z');
  const omnibus = await ledger.createAccount(
    db,
    { code: 'omnibus', name: 'Deposit omnibus', normalBalance: 'debit', currency: 'USD', shards: 4 },
    at,
  );
  const customer = await ledger.createAccount(
    db,
    { code: 'cust-1', name: 'Customer 1', normalBalance: 'credit', currency: 'USD', preventOverdraft: true },
    at,
  );
  const post = (
    template: typeof DEPOSIT,
    amount: bigint,
    key = randomUUID(),
    effectiveDate = '2026-03-02',
    who = customer,
  ) =>
    db.transaction((trx) =>
      ledger.post(
        trx,
        template,
        { omnibus, customer: who, amount },
        { idempotencyKey: key, effectiveDate },
        at,
      ),
    );

  it('refuses every posting before the first fiscal year exists', async () => {
    await expectCode(post(DEPOSIT, 100n), 'NO_OPEN_FISCAL_YEAR');
    await db.transaction((trx) => ledger.openFirstFiscalYear(trx, '2026-01-01', at));
    await post(DEPOSIT, 100_000n);
    expect((await ledger.balance(db, customer)).settled).toBe(100_000n);
  });

  it('posts the same idempotency key once, and refuses it with another payload', async () => {
    const key = randomUUID();
    const first = await post(DEPOSIT, 500n, key);
    const again = await post(DEPOSIT, 500n, key);
    expect(again).toEqual({ transactionId: first.transactionId, replayed: true });
    await expectCode(post(DEPOSIT, 501n, key), 'IDEMPOTENCY_KEY_REUSED');
    const { rows } = await db.raw(
      `select count(*)::int as n from ledger_transactions where idempotency_key = ?`,
      [key],
    );
    expect(rows[0].n).toBe(1);
  });

  it('refuses an unbalanced transaction written directly in SQL', async () => {
    const tx = randomUUID();
    await expectCode(
      rawPosting(
        db,
        [
          { account: omnibus, layer: 'settled', direction: 'debit', amount: 100 },
          { account: customer, layer: 'settled', direction: 'credit', amount: 99 },
        ],
        '2026-03-02',
        tx,
      ),
      'BK011',
    );
    // Balanced per currency but not per layer is refused as well.
    await expectCode(
      rawPosting(
        db,
        [
          { account: omnibus, layer: 'settled', direction: 'debit', amount: 100 },
          { account: customer, layer: 'pending', direction: 'credit', amount: 100 },
        ],
        '2026-03-02',
      ),
      'BK011',
    );
    const { rows } = await db.raw(`select count(*)::int as n from ledger_transactions where id = ?`, [tx]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses to append an entry to a committed transaction', async () => {
    const { transactionId } = await post(DEPOSIT, 10n);
    await expectCode(
      db.raw(
        `insert into ledger_entries (transaction_id, seq, account_id, currency, layer, direction, amount, effective_date)
         values (?, 9, ?, 'USD', 'settled', 'credit', 10, '2026-03-02')`,
        [transactionId, customer],
      ),
      'BK011',
    );
  });

  it('refuses to update or delete entries, transactions, balances and daily movements', async () => {
    for (const sql of [
      'update ledger_entries set amount = amount + 1',
      'delete from ledger_entries',
      'update ledger_transactions set description = $$x$$',
      'delete from ledger_transactions',
      'truncate ledger_entries cascade',
      'update ledger_balances set credit = credit + 1000000',
      'delete from ledger_balances',
      'update ledger_daily set credit = credit + 1',
    ]) {
      await expect(db.raw(sql), sql).rejects.toThrow();
    }
    expect(await ledger.inconsistencies(db)).toEqual([]);
  });

  it('never lets an overdraft-prevented account go below zero, even in direct SQL', async () => {
    const before = await ledger.balance(db, customer);
    await expectCode(post(WITHDRAW, before.settled + 1n), 'INSUFFICIENT_FUNDS');
    await expectCode(
      rawPosting(
        db,
        [
          { account: customer, layer: 'settled', direction: 'debit', amount: before.settled + 1n },
          { account: omnibus, layer: 'settled', direction: 'credit', amount: before.settled + 1n },
        ],
        '2026-03-02',
      ),
      'BK010',
    );
    const err = await post(WITHDRAW, before.settled + 1n).catch((e: AppError) => e);
    expect((err as AppError).params.available).toBe(before.settled.toString());
    expect((await ledger.balance(db, customer)).settled).toBe(before.settled);
  });

  it.skipIf(!onServer)(
    'holds the overdraft line with two workstations withdrawing at the same moment',
    async () => {
      const account = await ledger.createAccount(
        db,
        {
          code: `race-${randomUUID()}`,
          name: 'Race',
          normalBalance: 'credit',
          currency: 'USD',
          preventOverdraft: true,
        },
        at,
      );
      await post(DEPOSIT, 1_000n, randomUUID(), '2026-03-02', account);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => post(WITHDRAW, 300n, randomUUID(), '2026-03-02', account)),
      );
      const ok = results.filter((r) => r.status === 'fulfilled').length;
      expect(ok).toBe(3);
      for (const r of results)
        if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('INSUFFICIENT_FUNDS');
      expect((await ledger.balance(db, account)).settled).toBe(100n);
    },
  );

  it('refuses postings to a locked account', async () => {
    const account = await ledger.createAccount(
      db,
      { code: `locked-${randomUUID()}`, name: 'Locked', normalBalance: 'credit', currency: 'USD' },
      at,
    );
    await db.transaction((trx) => ledger.setLocked(trx, account, true));
    await expectCode(post(DEPOSIT, 1n, randomUUID(), '2026-03-02', account), 'ACCOUNT_LOCKED');
    await db.transaction((trx) => ledger.setLocked(trx, account, false));
    await post(DEPOSIT, 1n, randomUUID(), '2026-03-02', account);
  });

  it('refuses entries dated on or before the last closed month, or outside the fiscal year', async () => {
    await expectCode(
      db.transaction((trx) => ledger.closeMonth(trx, '2026-01-31')),
      'MONTH_NOT_OVER',
    );
    await db.transaction((trx) => ledger.closeMonth(trx, '2026-02-01'));
    await expectCode(post(DEPOSIT, 1n, randomUUID(), '2026-01-31'), 'PERIOD_CLOSED');
    await expectCode(post(DEPOSIT, 1n, randomUUID(), '2025-12-31'), 'PERIOD_CLOSED');
    await expectCode(post(DEPOSIT, 1n, randomUUID(), '2027-01-01'), 'NO_OPEN_FISCAL_YEAR');
    await post(DEPOSIT, 1n, randomUUID(), '2026-02-01');
    // Direct SQL obeys the same gate.
    await expectCode(
      rawPosting(
        db,
        [
          { account: omnibus, layer: 'settled', direction: 'debit', amount: 5 },
          { account: customer, layer: 'settled', direction: 'credit', amount: 5 },
        ],
        '2026-01-15',
      ),
      'BK003',
    );
  });

  it('answers balances as of a date from the daily movements, and they agree with the entries', async () => {
    const account = await ledger.createAccount(
      db,
      { code: `asof-${randomUUID()}`, name: 'As of', normalBalance: 'credit', currency: 'USD' },
      at,
    );
    await post(DEPOSIT, 100n, randomUUID(), '2026-03-02', account);
    await post(DEPOSIT, 200n, randomUUID(), '2026-03-04', account);
    await post(WITHDRAW, 50n, randomUUID(), '2026-03-06', account);
    expect((await ledger.balanceAsOf(db, account, '2026-03-01')).settled).toBe(0n);
    expect((await ledger.balanceAsOf(db, account, '2026-03-03')).settled).toBe(100n);
    expect((await ledger.balanceAsOf(db, account, '2026-03-05')).settled).toBe(300n);
    expect((await ledger.balanceAsOf(db, account, '2026-12-31')).settled).toBe(250n);
    expect((await ledger.balance(db, account)).settled).toBe(250n);
    expect(await ledger.inconsistencies(db)).toEqual([]);
    // Every layer of every currency sums to zero across the whole ledger.
    expect(await ledger.unbalancedLayers(db)).toEqual([]);
  });

  it('posts a batch in one statement under the same invariants, all or nothing', async () => {
    const account = await ledger.createAccount(
      db,
      {
        code: `batch-${randomUUID()}`,
        name: 'Batch',
        normalBalance: 'credit',
        currency: 'USD',
        preventOverdraft: true,
      },
      at,
    );
    const deposits = Array.from({ length: 100 }, (_, i) => ({
      params: { omnibus, customer: account, amount: BigInt(i + 1) },
      opts: { idempotencyKey: `batch-${account}-${i}`, effectiveDate: '2026-03-02' },
    }));
    const posted = await db.transaction((trx) => ledger.postBatch(trx, DEPOSIT, deposits, at));
    expect(posted).toHaveLength(100);
    expect(posted.every((p) => !p.replayed)).toBe(true);
    expect((await ledger.balance(db, account)).settled).toBe(5050n);
    // The same batch again changes nothing.
    const again = await db.transaction((trx) => ledger.postBatch(trx, DEPOSIT, deposits, at));
    expect(again.map((p) => p.transactionId)).toEqual(posted.map((p) => p.transactionId));
    expect(again.every((p) => p.replayed)).toBe(true);
    // One overdraft in the batch refuses all of it.
    const mixed = [
      {
        params: { omnibus, customer: account, amount: 1n },
        opts: { idempotencyKey: randomUUID(), effectiveDate: '2026-03-02' },
      },
      {
        params: { omnibus, customer: account, amount: 9_999n },
        opts: { idempotencyKey: randomUUID(), effectiveDate: '2026-03-02' },
      },
    ];
    await expectCode(
      db.transaction((trx) => ledger.postBatch(trx, WITHDRAW, mixed, at)),
      'INSUFFICIENT_FUNDS',
    );
    expect((await ledger.balance(db, account)).settled).toBe(5050n);
    expect(await ledger.inconsistencies(db)).toEqual([]);
  });

  it('refuses a cycle of account sets', async () => {
    const a = await ledger.createSet(
      db,
      { code: `set-a-${randomUUID()}`, name: 'A', normalBalance: 'debit' },
      at,
    );
    const b = await ledger.createSet(
      db,
      { code: `set-b-${randomUUID()}`, name: 'B', normalBalance: 'debit', parentIds: [a] },
      at,
    );
    await expectCode(ledger.addToSet(db, b, { setId: a }), 'SET_CYCLE');
  });
});
