import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTemplate } from '../../main/ledger';
import { parse } from 'csv-parse/sync';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, userWithRoles } from './harness';

describe(`ledger screens: accounts, entries, CSV export, journal (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: accountant } = await userWithRoles(bank, admin, 'axel', ['accountant']);
  const { client: teller } = await userWithRoles(bank, admin, 'tina', ['teller']);
  const db = bank.services.database.knex;
  const ledger = bank.services.ledger;
  const at = () => bank.clock.now();

  await accountant.call('accounting.openFirstFiscalYear', { commandId: cmd(), startsOn: '2026-01-01' });
  const omnibus = await ledger.createAccount(
    db,
    {
      code: 'omni-usd',
      name: 'Omnibus USD',
      normalBalance: 'debit',
      currency: 'USD',
      shards: 4,
      setIds: [await bank.services.accounting.setIdOf(db, '12.01')],
    },
    at(),
  );
  const customer = await ledger.createAccount(
    db,
    {
      code: 'cust-100',
      name: 'Customer 100_%',
      normalBalance: 'credit',
      currency: 'USD',
      setIds: [await bank.services.accounting.setIdOf(db, '21.01')],
    },
    at(),
  );
  const DEPOSIT = defineTemplate({
    code: 'T_DEPOSIT',
    params: z.object({ amount: z.bigint() }),
    entries: (p) => [
      { accountId: omnibus, currency: 'USD', layer: 'settled', direction: 'debit', amount: p.amount },
      { accountId: customer, currency: 'USD', layer: 'settled', direction: 'credit', amount: p.amount },
    ],
  });
  const WITHDRAW = defineTemplate({
    code: 'T_WITHDRAW',
    params: z.object({ amount: z.bigint() }),
    entries: (p) => [
      { accountId: customer, currency: 'USD', layer: 'settled', direction: 'debit', amount: p.amount },
      { accountId: omnibus, currency: 'USD', layer: 'settled', direction: 'credit', amount: p.amount },
    ],
  });
  // Five postings over three days, recorded one second apart.
  const postings: [typeof DEPOSIT, bigint, string, string][] = [
    [DEPOSIT, 10_000n, '2026-02-27', 'Opening deposit'],
    [DEPOSIT, 2_500n, '2026-02-28', '=HYPERLINK("http://evil.example","click")'],
    [WITHDRAW, 1_000n, '2026-02-28', 'Cash, "counter" 2'],
    [DEPOSIT, 700n, '2026-03-01', '+1 line\nsecond line'],
    [WITHDRAW, 200n, '2026-03-02', '@SUM(A1)'],
  ];
  const txIds: string[] = [];
  for (const [template, amount, effectiveDate, description] of postings) {
    bank.clock.advance(1_000);
    const posted = await db.transaction((trx) =>
      ledger.post(
        trx,
        template,
        { amount },
        { idempotencyKey: randomUUID(), effectiveDate, description },
        at(),
      ),
    );
    txIds.push(posted.transactionId);
  }

  it('searches accounts by code or name with their current balances', async () => {
    const all = await accountant.call('ledger.accounts', { search: '' });
    expect(all.accounts.map((a) => a.code)).toEqual(['cust-100', 'omni-usd']);
    const byName = await accountant.call('ledger.accounts', { search: 'omnibus' });
    expect(byName.accounts).toEqual([
      expect.objectContaining({ code: 'omni-usd', settled: '12000', pending: '0', currency: 'USD' }),
    ]);
    // LIKE wildcards match literally.
    expect((await accountant.call('ledger.accounts', { search: '_%' })).accounts.map((a) => a.code)).toEqual([
      'cust-100',
    ]);
    const paged = await accountant.call('ledger.accounts', { search: '', limit: 1 });
    expect(paged).toMatchObject({ hasMore: true, accounts: [{ code: 'cust-100', settled: '12000' }] });
    const next = await accountant.call('ledger.accounts', { search: '', limit: 1, offset: 1 });
    expect(next).toMatchObject({ hasMore: false, accounts: [{ code: 'omni-usd' }] });
  });

  it('shows an account with its chart node and its entries newest first, paged by cursor', async () => {
    const first = await accountant.call('ledger.account', { id: customer, limit: 2 });
    expect(first.account).toMatchObject({
      code: 'cust-100',
      normalBalance: 'credit',
      locked: false,
      preventOverdraft: false,
      settled: '12000',
      sets: [expect.objectContaining({ code: 'chart:21.01', chartCode: '21.01' })],
    });
    expect(first.entries.map((e) => e.description)).toEqual(['@SUM(A1)', '+1 line\nsecond line']);
    expect(first.entries[0]).toMatchObject({
      direction: 'debit',
      amount: '200',
      balanceAfter: '12000',
      templateCode: 'T_WITHDRAW',
      transactionId: txIds[4],
      effectiveDate: '2026-03-02',
      layer: 'settled',
    });
    expect(first.nextCursor).not.toBeNull();
    const second = await accountant.call('ledger.account', {
      id: customer,
      limit: 2,
      before: first.nextCursor!,
    });
    expect(second.entries.map((e) => e.amount)).toEqual(['1000', '2500']);
    const third = await accountant.call('ledger.account', {
      id: customer,
      limit: 2,
      before: second.nextCursor!,
    });
    expect(third.entries.map((e) => e.amount)).toEqual(['10000']);
    expect(third.nextCursor).toBeNull();
  });

  it('filters an account’s entries by effective date', async () => {
    const feb28 = await accountant.call('ledger.account', {
      id: customer,
      from: '2026-02-28',
      to: '2026-02-28',
    });
    expect(feb28.entries.map((e) => e.amount)).toEqual(['1000', '2500']);
    const fromMarch = await accountant.call('ledger.account', { id: omnibus, from: '2026-03-01' });
    expect(fromMarch.entries.map((e) => [e.direction, e.amount])).toEqual([
      ['credit', '200'],
      ['debit', '700'],
    ]);
    // A hot (sharded) account has no single running balance per entry: none is shown.
    expect(fromMarch.entries.map((e) => e.balanceAfter)).toEqual([null, null]);
    expect((await accountant.fail('ledger.account', { id: randomUUID() })).code).toBe('NOT_FOUND');
  });

  it('exports the whole history as CSV with formulas neutralized', async () => {
    const out = await accountant.call('ledger.accountCsv', { id: customer });
    expect(out.fileName).toBe('ledger-cust-100.csv');
    expect(out.rows).toBe(5);
    const rows = parse(out.csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'recorded_at',
      'effective_date',
      'currency',
      'debit',
      'credit',
      'description',
      'template',
    ]);
    expect(rows.map((r) => [r.effective_date, r.debit, r.credit])).toEqual([
      ['2026-02-27', '', '100.00'],
      ['2026-02-28', '', '25.00'],
      ['2026-02-28', '10.00', ''],
      ['2026-03-01', '', '7.00'],
      ['2026-03-02', '2.00', ''],
    ]);
    expect(rows.map((r) => r.description)).toEqual([
      'Opening deposit',
      `'=HYPERLINK("http://evil.example","click")`,
      'Cash, "counter" 2',
      "'+1 line\nsecond line",
      "'@SUM(A1)",
    ]);
    expect(rows[0]!.template).toBe('T_DEPOSIT');
    expect(rows[0]!.currency).toBe('USD');
    expect(out.csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
  });

  it('refuses an export over the bound with a typed error', async () => {
    const err = await ledger.accountCsv(db, customer, { maxEntries: 4 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', messageKey: 'errors.EXPORT_TOO_LARGE' });
    expect((err as { params: unknown }).params).toEqual({ entries: 5, max: 4 });
  });

  it('lists the journal newest first with each transaction’s entries, filtered and paged', async () => {
    const page1 = await accountant.call('ledger.journal', { limit: 2 });
    expect(page1.transactions.map((t) => t.id)).toEqual([txIds[4], txIds[3]]);
    expect(page1.transactions[0]!.entries).toEqual([
      expect.objectContaining({
        accountCode: 'cust-100',
        direction: 'debit',
        amount: '200',
        layer: 'settled',
      }),
      expect.objectContaining({ accountCode: 'omni-usd', direction: 'credit', amount: '200' }),
    ]);
    const page2 = await accountant.call('ledger.journal', { limit: 2, before: page1.nextCursor! });
    expect(page2.transactions.map((t) => t.id)).toEqual([txIds[2], txIds[1]]);
    const page3 = await accountant.call('ledger.journal', { limit: 2, before: page2.nextCursor! });
    expect(page3.transactions.map((t) => t.id)).toEqual([txIds[0]]);
    expect(page3.nextCursor).toBeNull();

    const withdrawals = await accountant.call('ledger.journal', { template: 'T_WITHDRAW' });
    expect(withdrawals.transactions.map((t) => t.id)).toEqual([txIds[4], txIds[2]]);
    const feb = await accountant.call('ledger.journal', { from: '2026-02-01', to: '2026-02-28' });
    expect(feb.transactions.map((t) => t.effectiveDate)).toEqual(['2026-02-28', '2026-02-28', '2026-02-27']);
    expect((await accountant.fail('ledger.journal', { before: 'nonsense' })).code).toBe('VALIDATION_FAILED');
  });

  it('is for accounting staff only: a teller is refused', async () => {
    for (const [name, input] of [
      ['ledger.accounts', {}],
      ['ledger.account', { id: customer }],
      ['ledger.accountCsv', { id: customer }],
      ['ledger.journal', {}],
    ] as const) {
      expect((await teller.fail(name, input)).code).toBe('FORBIDDEN');
    }
  });
});
