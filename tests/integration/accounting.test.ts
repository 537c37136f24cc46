import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTemplate } from '../../main/ledger';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, userWithRoles } from './harness';

const header = 'code,name,parent_code,normal_balance\n';

describe(`chart of accounts and fiscal calendar (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: accountant } = await userWithRoles(bank, admin, 'axel', ['accountant']);
  const { client: teller } = await userWithRoles(bank, admin, 'tina', ['teller']);

  it('gives a new bank the default chart and its base configuration', async () => {
    const chart = await accountant.call('accounting.chart', {});
    expect(chart.map((n) => n.code)).toEqual(
      expect.arrayContaining(['1', '2', '3', '4', '5', '6', '12', '21.01', '31.01']),
    );
    expect(chart.find((n) => n.code === '21.01')).toMatchObject({
      parentCode: '21',
      normalBalance: 'credit',
    });
    expect(await accountant.call('accounting.baseConfig.get', {})).toMatchObject({
      assets_code: '1',
      revenue_code: '4',
    });
  });

  it('refuses a whole import with line-numbered problems and writes nothing', async () => {
    const before = (await accountant.call('accounting.chart', {})).length;
    const csv =
      header +
      '7,Memo,,debit\n' + // line 2: fine on its own
      '7,Memo again,,debit\n' + // line 3: duplicate code
      '71,Orphan,70,debit\n' + // line 4: missing parent
      '72,Sideways,,sideways\n' + // line 5: bad normal balance
      '80,Loop A,81,debit\n' + // line 6: cycle
      '81,Loop B,80,debit\n' + // line 7: cycle
      '1,Assets renamed,,debit\n'; // line 8: conflicts with the existing node
    const err = await accountant.fail('accounting.importChart', { commandId: cmd(), csv });
    expect(err.code).toBe('CHART_INVALID');
    expect(err.params.problems).toEqual([
      '3:duplicateCode:7',
      '4:missingParent:71',
      '5:badNormalBalance:72',
      '6:cycle:80',
      '7:cycle:81',
      '8:conflictsExisting:1',
    ]);
    expect((await accountant.call('accounting.chart', {})).length).toBe(before);
  });

  it('refuses a file that is not a chart CSV', async () => {
    const missing = await accountant.fail('accounting.importChart', {
      commandId: cmd(),
      csv: 'code,name\n1,A\n',
    });
    expect(missing.code).toBe('CHART_INVALID');
    const broken = await accountant.fail('accounting.importChart', {
      commandId: cmd(),
      csv: `${header}7,"Unclosed,,debit\n`,
    });
    expect(broken.code).toBe('CHART_INVALID');
  });

  it('imports new nodes under existing ones, and repeating existing nodes changes nothing', async () => {
    const csv = `${header}1,Assets,,debit\n12.03,Correspondent accounts,12,debit\n12.03.01,Nostro USD,12.03,debit\n`;
    expect(await accountant.call('accounting.importChart', { commandId: cmd(), csv })).toMatchObject({
      created: 2,
    });
    expect(await accountant.call('accounting.importChart', { commandId: cmd(), csv })).toMatchObject({
      created: 0,
    });
  });

  it('lets only accounting staff import or change the chart', async () => {
    const err = await teller.fail('accounting.importChart', {
      commandId: cmd(),
      csv: `${header}8,X,,debit\n`,
    });
    expect(err.code).toBe('FORBIDDEN');
  });

  it('validates the base configuration against the chart', async () => {
    const err = await accountant.fail('accounting.baseConfig.set', {
      commandId: cmd(),
      assets_code: '1',
      liabilities_code: '2',
      equity_code: '3',
      equity_retained_earnings_gain_code: '41', // revenue, not under equity
      equity_retained_earnings_loss_code: '31.02',
      revenue_code: '4',
      cost_of_revenue_code: '5',
      expenses_code: '99', // does not exist
    });
    expect(err.code).toBe('BASE_CONFIG_INVALID');
    expect(err.params.problems).toEqual(
      expect.arrayContaining(['expenses_code:missing', 'equity_retained_earnings_gain_code:notUnderEquity']),
    );
  });

  it('shows each chart node with the balances of every account below it', async () => {
    const db = bank.services.database.knex;
    const ledger = bank.services.ledger;
    const at = bank.clock.now();
    await accountant.call('accounting.openFirstFiscalYear', { commandId: cmd(), startsOn: '2026-01-01' });
    const omnibusSet = await bank.services.accounting.setIdOf(db, '12.01');
    const depositsSet = await bank.services.accounting.setIdOf(db, '21.01');
    const omnibus = await ledger.createAccount(
      db,
      {
        code: 'omni',
        name: 'Omnibus',
        normalBalance: 'debit',
        currency: 'USD',
        shards: 4,
        setIds: [omnibusSet],
      },
      at,
    );
    const customer = await ledger.createAccount(
      db,
      { code: 'c-1', name: 'C', normalBalance: 'credit', currency: 'USD', setIds: [depositsSet] },
      at,
    );
    const DEPOSIT = defineTemplate({
      code: 'T_DEPOSIT',
      params: z.object({ amount: z.bigint() }),
      entries: (p) => [
        { accountId: omnibus, currency: 'USD', layer: 'settled', direction: 'debit', amount: p.amount },
        { accountId: customer, currency: 'USD', layer: 'settled', direction: 'credit', amount: p.amount },
      ],
    });
    await db.transaction((trx) =>
      ledger.post(
        trx,
        DEPOSIT,
        { amount: 12_345n },
        { idempotencyKey: randomUUID(), effectiveDate: '2026-03-02' },
        at,
      ),
    );
    const chart = await accountant.call('accounting.chart', {});
    const of = (code: string) => chart.find((n) => n.code === code)!.balances.USD.settled;
    expect([of('1'), of('12'), of('12.01')]).toEqual(['12345', '12345', '12345']);
    expect([of('2'), of('21'), of('21.01'), of('21.02')]).toEqual(['12345', '12345', '12345', '0']);
  });

  it('closes months in order, only once they are over, with the month typed as confirmation', async () => {
    const cal = await accountant.call('accounting.calendar', {});
    expect(cal.nextMonthToClose).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(
      (await accountant.fail('accounting.closeMonth', { commandId: cmd(), confirmMonth: '2026-02' })).code,
    ).toBe('MONTH_MISMATCH');
    await accountant.call('accounting.closeMonth', { commandId: cmd(), confirmMonth: '2026-01' });
    await accountant.call('accounting.closeMonth', { commandId: cmd(), confirmMonth: '2026-02' });
    // The business date is 2026-03-02: March is not over.
    expect(
      (await accountant.fail('accounting.closeMonth', { commandId: cmd(), confirmMonth: '2026-03' })).code,
    ).toBe('MONTH_NOT_OVER');
    expect((await accountant.call('accounting.calendar', {})).monthClosedAsOf).toBe('2026-02-28');
    expect(
      (await accountant.fail('accounting.openFirstFiscalYear', { commandId: cmd(), startsOn: '2027-01-01' }))
        .code,
    ).toBe('FISCAL_YEAR_EXISTS');
  });

  it('reports the trial balance for a date range, and flags debits that do not meet credits', async () => {
    const tb = await accountant.call('accounting.trialBalance', { from: '2026-03-01', to: '2026-03-31' });
    const line = (code: string) => tb.lines.find((l) => l.code === code)!;
    expect(line('1')).toMatchObject({
      opening: '0',
      periodDebit: '12345',
      periodCredit: '0',
      closing: '12345',
    });
    expect(line('2')).toMatchObject({
      opening: '0',
      periodDebit: '0',
      periodCredit: '12345',
      closing: '12345',
    });
    expect(tb).toMatchObject({ totalDebit: '12345', totalCredit: '12345', balanced: true });
    const later = await accountant.call('accounting.trialBalance', { from: '2026-03-03', to: '2026-03-31' });
    expect(later.lines.find((l) => l.code === '1')).toMatchObject({
      opening: '12345',
      periodDebit: '0',
      closing: '12345',
    });

    // An account outside the chart: its side of a posting is missing from the report.
    const db = bank.services.database.knex;
    const ledger = bank.services.ledger;
    const at = bank.clock.now();
    const stray = await ledger.createAccount(
      db,
      { code: 'stray', name: 'Not in the chart', normalBalance: 'credit', currency: 'USD' },
      at,
    );
    const cash = await ledger.createAccount(
      db,
      {
        code: 'cash-x',
        name: 'Cash',
        normalBalance: 'debit',
        currency: 'USD',
        setIds: [await bank.services.accounting.setIdOf(db, '12')],
      },
      at,
    );
    const MOVE = defineTemplate({
      code: 'T_MOVE',
      params: z.object({ amount: z.bigint() }),
      entries: (p) => [
        { accountId: cash, currency: 'USD', layer: 'settled', direction: 'debit', amount: p.amount },
        { accountId: stray, currency: 'USD', layer: 'settled', direction: 'credit', amount: p.amount },
      ],
    });
    await db.transaction((trx) =>
      ledger.post(
        trx,
        MOVE,
        { amount: 5n },
        { idempotencyKey: randomUUID(), effectiveDate: '2026-03-10' },
        at,
      ),
    );
    const off = await accountant.call('accounting.trialBalance', { from: '2026-03-01', to: '2026-03-31' });
    expect(off).toMatchObject({ totalDebit: '12350', totalCredit: '12345', balanced: false });
    expect(
      (await accountant.fail('accounting.trialBalance', { from: '2026-04-01', to: '2026-03-01' })).code,
    ).toBe('VALIDATION_FAILED');
  });
});
