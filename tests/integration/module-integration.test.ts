import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTemplate } from '../../main/ledger';
import { INTEGRATION_POINTS } from '../../main/modules/accounting/rules';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, userWithRoles } from './harness';

describe(`module integration: where module account sets hang in the chart (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const db = bank.services.database.knex;
  const { ledger, accounting } = bank.services;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: accountant } = await userWithRoles(bank, admin, 'axel', ['accountant']);
  const { client: auditor } = await userWithRoles(bank, admin, 'aurora', ['auditor']);
  const { client: teller } = await userWithRoles(bank, admin, 'tina', ['teller']);

  /** What a module does the first time it needs its set: create it and attach it where mapped. */
  async function attach(setCode: string): Promise<string> {
    return db.transaction(async (trx) => {
      const setId = await ledger.createSet(
        trx,
        { code: setCode, name: setCode, normalBalance: 'credit' },
        bank.clock.now(),
      );
      await accounting.attachModuleSet(trx, setCode, setId);
      return setId;
    });
  }

  it('maps every module set to the default chart when the bank is set up', async () => {
    const { points } = await auditor.call('accounting.integration.get', {});
    expect(points.map((p) => p.setCode)).toEqual(INTEGRATION_POINTS.map((p) => p.setCode));
    for (const p of points)
      expect([p.setCode, p.parentCode, p.attached]).toEqual([p.setCode, p.defaultParent, false]);
    expect(points.find((p) => p.setCode === 'deposit-individual-account-set')).toMatchObject({
      parentCode: '21.01',
      parentName: 'Individual deposits',
      category: 'liabilities',
    });
    expect(
      points.find((p) => p.setCode === 'deposit-foreign-agency-or-subsidiary-account-set')?.parentCode,
    ).toBe('21.08');
  });

  it('moves a set that no module uses yet, and audits the change', async () => {
    const out = await accountant.call('accounting.integration.set', {
      commandId: cmd(),
      mapping: [
        { setCode: 'deposit-bank-account-set', parentCode: '21.05' },
        // Unchanged rows are accepted and not counted as changes.
        { setCode: 'deposit-individual-account-set', parentCode: '21.01' },
      ],
    });
    expect(out.points.find((p) => p.setCode === 'deposit-bank-account-set')?.parentCode).toBe('21.05');
    const audit = await db('audit_log')
      .where({ action: 'accounting.integration.set', outcome: 'Success' })
      .first('object_type', 'object_ids', 'metadata');
    expect(audit).toMatchObject({
      object_type: 'module_integration',
      object_ids: ['deposit-bank-account-set'],
    });
    expect(JSON.stringify(audit?.metadata)).toContain('21.05');
    expect(JSON.stringify(audit?.metadata)).not.toContain('deposit-individual-account-set');
  });

  it('refuses a node of the wrong category, an unknown node or set, naming each, and writes nothing', async () => {
    const before = await db('module_integration').orderBy('set_code').select();
    const err = await accountant.fail('accounting.integration.set', {
      commandId: cmd(),
      mapping: [
        { setCode: 'deposit-bank-account-set', parentCode: '12.01' }, // an asset node for a liability set
        { setCode: 'cash-over-account-set', parentCode: '63' }, // an expense for a revenue set
        { setCode: 'credit-collateral-omnibus-account-set', parentCode: '1' }, // on-balance for off-balance
        { setCode: 'till-cash-account-set', parentCode: '99.99' },
        { setCode: 'no-such-account-set', parentCode: '1' },
      ],
    });
    expect(err.code).toBe('INTEGRATION_INVALID');
    expect(err.params.problems).toEqual([
      'deposit-bank-account-set:wrongCategory:12.01',
      'cash-over-account-set:wrongCategory:63',
      'credit-collateral-omnibus-account-set:wrongCategory:1',
      'till-cash-account-set:unknownCode:99.99',
      'no-such-account-set:unknownSet:1',
    ]);
    expect(await db('module_integration').orderBy('set_code').select()).toEqual(before);
  });

  it('only an accountant or admin may change it; tellers cannot even read it', async () => {
    const input = { mapping: [{ setCode: 'deposit-bank-account-set', parentCode: '21.04' }] };
    expect((await auditor.fail('accounting.integration.set', { commandId: cmd(), ...input })).code).toBe(
      'FORBIDDEN',
    );
    expect((await teller.fail('accounting.integration.get', {})).code).toBe('FORBIDDEN');
  });

  it('attaches a module set under its node: the chart aggregates it, and the mapping is then fixed', async () => {
    await accountant.call('accounting.openFirstFiscalYear', { commandId: cmd(), startsOn: '2026-01-01' });
    const individuals = await attach('deposit-individual-account-set');
    // Attaching the same set again (a retried provisioning job) changes nothing.
    await db.transaction((trx) =>
      accounting.attachModuleSet(trx, 'deposit-individual-account-set', individuals),
    );
    const at = bank.clock.now();
    const omnibus = await ledger.createAccount(
      db,
      {
        code: 'omni',
        name: 'Omnibus',
        normalBalance: 'debit',
        currency: 'USD',
        setIds: [await accounting.setIdOf(db, '12.01')],
      },
      at,
    );
    const holder = await ledger.createAccount(
      db,
      { code: 'dep-1', name: 'Deposit', normalBalance: 'credit', currency: 'USD', setIds: [individuals] },
      at,
    );
    const DEPOSIT = defineTemplate({
      code: 'T_DEPOSIT',
      params: z.object({ amount: z.bigint() }),
      entries: (p) => [
        { accountId: omnibus, currency: 'USD', layer: 'settled', direction: 'debit', amount: p.amount },
        { accountId: holder, currency: 'USD', layer: 'settled', direction: 'credit', amount: p.amount },
      ],
    });
    await db.transaction((trx) =>
      ledger.post(
        trx,
        DEPOSIT,
        { amount: 5_000n },
        { idempotencyKey: randomUUID(), effectiveDate: '2026-03-02' },
        at,
      ),
    );
    const chart = await accountant.call('accounting.chart', {});
    expect(chart.find((n) => n.code === '21.01')?.balances.USD.settled).toBe('5000');
    expect(chart.find((n) => n.code === '2')?.balances.USD.settled).toBe('5000');

    const { points } = await accountant.call('accounting.integration.get', {});
    expect(points.find((p) => p.setCode === 'deposit-individual-account-set')?.attached).toBe(true);
    const err = await accountant.fail('accounting.integration.set', {
      commandId: cmd(),
      mapping: [{ setCode: 'deposit-individual-account-set', parentCode: '21.03' }],
    });
    expect(err).toMatchObject({
      code: 'INTEGRATION_LOCKED',
      params: { sets: ['deposit-individual-account-set'] },
    });
    // Another set cannot take the attached one's place either.
    const other = await db.transaction((trx) =>
      ledger.createSet(trx, { code: 'other', name: 'other', normalBalance: 'credit' }, at),
    );
    await expect(
      db.transaction((trx) => accounting.attachModuleSet(trx, 'deposit-individual-account-set', other)),
    ).rejects.toMatchObject({ code: 'INTEGRATION_LOCKED' });
  });

  it('the database itself refuses to move or unmap an attached set', async () => {
    await expect(
      db('module_integration')
        .where({ set_code: 'deposit-individual-account-set' })
        .update({ parent_code: '21.03' }),
    ).rejects.toThrow(/attached/);
    await expect(
      db('module_integration').where({ set_code: 'deposit-individual-account-set' }).delete(),
    ).rejects.toThrow(/attached/);
    await expect(
      db('module_integration')
        .where({ set_code: 'deposit-individual-account-set' })
        .update({ attached_set_id: null }),
    ).rejects.toThrow(/attached/);
  });

  it('a module whose set is not mapped is told so', async () => {
    await db('module_integration').where({ set_code: 'cash-short-account-set' }).delete();
    await expect(attach('cash-short-account-set')).rejects.toMatchObject({
      code: 'INTEGRATION_NOT_CONFIGURED',
    });
    const { points } = await accountant.call('accounting.integration.get', {});
    expect(points.find((p) => p.setCode === 'cash-short-account-set')).toMatchObject({
      parentCode: null,
      attached: false,
    });
  });
});
