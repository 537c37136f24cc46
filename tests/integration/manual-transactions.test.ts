import { describe, expect, it } from 'vitest';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, userWithRoles } from './harness';

describe(`manual journal transactions need a second person (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: axel } = await userWithRoles(bank, admin, 'axel', ['accountant']);
  const { client: alma } = await userWithRoles(bank, admin, 'alma', ['accountant']);
  const { client: teller } = await userWithRoles(bank, admin, 'tina', ['teller']);
  const db = bank.services.database.knex;
  const at = bank.clock.now();
  await axel.call('accounting.openFirstFiscalYear', { commandId: cmd(), startsOn: '2026-01-01' });
  const expenses = await bank.services.ledger.createAccount(
    db,
    {
      code: 'opex',
      name: 'Office supplies',
      normalBalance: 'debit',
      currency: 'USD',
      setIds: [await bank.services.accounting.setIdOf(db, '61')],
    },
    at,
  );
  const cash = await bank.services.ledger.createAccount(
    db,
    {
      code: 'petty',
      name: 'Petty cash',
      normalBalance: 'debit',
      currency: 'USD',
      setIds: [await bank.services.accounting.setIdOf(db, '12')],
    },
    at,
  );
  const lines = (amount: string, creditAmount = amount) => [
    { accountId: expenses, layer: 'settled' as const, direction: 'debit' as const, amount },
    { accountId: cash, layer: 'settled' as const, direction: 'credit' as const, amount: creditAmount },
  ];

  it('refuses an unbalanced proposal or one naming an unknown account', async () => {
    const unbalanced = await axel.fail('accounting.manual.propose', {
      commandId: cmd(),
      effectiveDate: '2026-03-02',
      description: 'Supplies',
      lines: lines('1000', '999'),
    });
    expect(unbalanced.code).toBe('UNBALANCED_TRANSACTION');
    const unknown = await axel.fail('accounting.manual.propose', {
      commandId: cmd(),
      effectiveDate: '2026-03-02',
      description: 'Supplies',
      lines: [{ ...lines('5')[0]!, accountId: '00000000-0000-4000-8000-000000000000' }, lines('5')[1]!],
    });
    expect(unknown.code).toBe('NOT_FOUND');
    expect(await axel.call('accounting.manual.list', {})).toEqual([]);
  });

  it('posts only when a second accountant approves, never the proposer', async () => {
    const proposed = await axel.call('accounting.manual.propose', {
      commandId: cmd(),
      effectiveDate: '2026-03-02',
      description: 'Office supplies paid from petty cash',
      lines: lines('2500'),
    });
    expect(proposed).toMatchObject({
      status: 'pending_approval',
      proposedBy: 'axel',
      ledgerTransactionId: null,
    });
    expect((await bank.services.ledger.balance(db, expenses)).settled).toBe(0n);

    expect((await axel.fail('accounting.manual.approve', { commandId: cmd(), id: proposed.id })).code).toBe(
      'SAME_PERSON',
    );
    expect((await teller.fail('accounting.manual.approve', { commandId: cmd(), id: proposed.id })).code).toBe(
      'FORBIDDEN',
    );

    const posted = await alma.call('accounting.manual.approve', { commandId: cmd(), id: proposed.id });
    expect(posted).toMatchObject({ status: 'posted', decidedBy: 'alma' });
    expect(posted.ledgerTransactionId).not.toBeNull();
    expect((await bank.services.ledger.balance(db, expenses)).settled).toBe(2500n);
    expect((await bank.services.ledger.balance(db, cash)).settled).toBe(-2500n);

    const again = await admin.fail('accounting.manual.approve', { commandId: cmd(), id: proposed.id });
    expect(again).toMatchObject({ code: 'ALREADY_DECIDED', params: { status: 'posted' } });
  });

  it('a rejection keeps its reason and posts nothing', async () => {
    const proposed = await alma.call('accounting.manual.propose', {
      commandId: cmd(),
      effectiveDate: '2026-03-02',
      description: 'Duplicate entry',
      lines: lines('700'),
    });
    const rejected = await axel.call('accounting.manual.reject', {
      commandId: cmd(),
      id: proposed.id,
      reason: 'Already booked',
    });
    expect(rejected).toMatchObject({
      status: 'rejected',
      decidedBy: 'axel',
      decisionReason: 'Already booked',
    });
    expect((await bank.services.ledger.balance(db, expenses)).settled).toBe(2500n);
  });

  it('an approval into a period closed meanwhile is refused and the proposal stays pending', async () => {
    const proposed = await axel.call('accounting.manual.propose', {
      commandId: cmd(),
      effectiveDate: '2026-01-15',
      description: 'January accrual',
      lines: lines('300'),
    });
    await alma.call('accounting.closeMonth', { commandId: cmd(), confirmMonth: '2026-01' });
    expect((await alma.fail('accounting.manual.approve', { commandId: cmd(), id: proposed.id })).code).toBe(
      'PERIOD_CLOSED',
    );
    const still = (await alma.call('accounting.manual.list', { status: 'pending_approval' })).find(
      (m) => m.id === proposed.id,
    );
    expect(still?.status).toBe('pending_approval');
  });

  it('the four-eyes rule holds in the database too', async () => {
    const proposed = await axel.call('accounting.manual.propose', {
      commandId: cmd(),
      effectiveDate: '2026-03-03',
      description: 'Direct SQL attempt',
      lines: lines('1'),
    });
    await expect(
      db.raw(
        `update manual_transactions set status = 'rejected', decided_by = proposed_by, decided_at = now() where id = ?`,
        [proposed.id],
      ),
    ).rejects.toThrow();
  });
});
