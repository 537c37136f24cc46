import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertProspect } from '../fixtures/customers';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, userWithRoles } from './harness';
import { changesSince, currentUserId, snapshot } from './support';
import { OMNIBUS_ACCOUNT_CODE } from '../../main/modules/deposits';

describe(`deposit accounts, deposits and withdrawals (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const db = bank.services.database.knex;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: teller } = await userWithRoles(bank, admin, 'tina', ['teller']);
  const { client: office } = await userWithRoles(bank, admin, 'otto', ['back_office']);
  const { client: sam } = await userWithRoles(bank, admin, 'sam', ['supervisor']);
  await admin.call('accounting.openFirstFiscalYear', { commandId: cmd(), startsOn: '2026-01-01' });

  /** A customer row straight in the database (the customers module's own tests cover onboarding). */
  async function customer(opts: { type?: string; status?: string } = {}): Promise<string> {
    const id = await insertProspect(db, { customerType: opts.type, fullName: 'Dora Depositor' });
    await db('customers').insert({
      id,
      public_id: `C-${randomUUID().slice(0, 8)}`,
      status: opts.status ?? 'active',
    });
    return id;
  }
  async function openAccount(type?: string) {
    return office.call('deposits.accounts.open', { commandId: cmd(), customerId: await customer({ type }) });
  }
  // Every call a second later, so histories (newest first) have distinct times.
  const tick = () => bank.clock.advance(1000);
  const deposit = (accountId: string, amount: string) =>
    tick() ?? teller.call('deposits.record', { commandId: cmd(), accountId, amount, method: 'wire' });
  const withdraw = (accountId: string, amount: string) =>
    tick() ??
    teller.call('deposits.withdrawals.initiate', { commandId: cmd(), accountId, amount, method: 'cash' });
  const confirm = (id: string) =>
    tick() ?? teller.call('deposits.withdrawals.confirm', { commandId: cmd(), id });
  async function balances(id: string) {
    const a = await teller.call('deposits.accounts.get', { id });
    return { settled: a.settled, pending: a.pending, frozen: a.frozen, status: a.status };
  }
  const locked = async (ledgerAccountId: string) =>
    (await db('ledger_accounts').where({ id: ledgerAccountId }).first('locked')).locked as boolean;

  async function setPolicy(
    tiers: { upTo: string | null; committeeId: string | null; threshold: number | null }[],
  ) {
    await admin.call('governance.policies.set', {
      commandId: cmd(),
      processType: 'withdraw',
      currency: 'USD',
      tiers,
    });
  }
  const autoApprove = () => setPolicy([{ upTo: null, committeeId: null, threshold: null }]);

  it('opens one account per customer with its two ledger accounts and one omnibus, under the mapped sets', async () => {
    const a = await openAccount();
    expect(a).toMatchObject({
      status: 'active',
      activityStatus: 'active',
      settled: '0',
      pending: '0',
      frozen: '0',
    });
    expect(a.publicId).toMatch(/^DA-\d{6}$/);
    const [main, frozen] = await Promise.all([
      db('ledger_accounts').where({ id: a.ledgerAccountId }).first(),
      db('ledger_accounts').where({ id: a.frozenLedgerAccountId }).first(),
    ]);
    expect(main).toMatchObject({ normal_balance: 'credit', prevent_overdraft: true, locked: false });
    expect(frozen).toMatchObject({ normal_balance: 'credit', locked: false });
    await openAccount('private-company');
    const omnibus = await db('ledger_accounts').where({ code: OMNIBUS_ACCOUNT_CODE });
    expect(omnibus).toHaveLength(1);
    expect(omnibus[0]).toMatchObject({ normal_balance: 'debit' });
    expect(omnibus[0].shards).toBeGreaterThan(1);
    const points = (await admin.call('accounting.integration.get', {})).points;
    const attached = points.filter((p) => p.attached).map((p) => p.setCode);
    expect(attached).toEqual(
      expect.arrayContaining([
        'deposit-omnibus-account-set',
        'deposit-individual-account-set',
        'frozen-deposit-individual-account-set',
        'deposit-private-company-account-set',
      ]),
    );

    // One account per customer; a frozen or closed customer gets none; an unknown one is not found.
    const again = await office.fail('deposits.accounts.open', { commandId: cmd(), customerId: a.holderId });
    expect(again).toMatchObject({ code: 'DEPOSIT_ACCOUNT_EXISTS', params: { publicId: a.publicId } });
    for (const status of ['frozen', 'closed']) {
      const refused = await office.fail('deposits.accounts.open', {
        commandId: cmd(),
        customerId: await customer({ status }),
      });
      expect(refused).toMatchObject({ code: 'DEPOSIT_HOLDER_NOT_ACTIVE', params: { status } });
    }
    expect(
      (await office.fail('deposits.accounts.open', { commandId: cmd(), customerId: randomUUID() })).code,
    ).toBe('NOT_FOUND');
    const prospectOnly = await insertProspect(db);
    expect(
      (await office.fail('deposits.accounts.open', { commandId: cmd(), customerId: prospectOnly })).code,
    ).toBe('NOT_FOUND');
    expect(await teller.call('deposits.accounts.ofCustomer', { customerId: a.holderId })).toHaveLength(1);
    // A teller operates accounts but does not open them.
    expect(
      (await teller.fail('deposits.accounts.open', { commandId: cmd(), customerId: randomUUID() })).code,
    ).toBe('FORBIDDEN');
  });

  it('DOMAIN 4.5: deposit 1,000.00, withdraw 300.00 and confirm; then 800.00 is refused with the available amount', async () => {
    const a = await openAccount();
    const d = await deposit(a.id, '100000');
    expect(d).toMatchObject({ status: 'confirmed', amount: '100000', effectiveDate: '2026-03-02' });
    expect(await balances(a.id)).toMatchObject({ settled: '100000', pending: '0' });
    const w = await withdraw(a.id, '30000');
    // The default policy approves at once: the withdrawal awaits the teller's confirmation.
    expect(w.status).toBe('pending_confirmation');
    expect(w.approvalProcessId).not.toBeNull();
    expect(await balances(a.id)).toMatchObject({ settled: '70000', pending: '30000' });
    expect(await confirm(w.id)).toMatchObject({ status: 'confirmed' });
    expect(await balances(a.id)).toMatchObject({ settled: '70000', pending: '0' });
    const refused = await teller.fail('deposits.withdrawals.initiate', {
      commandId: cmd(),
      accountId: a.id,
      amount: '80000',
      method: 'cash',
    });
    expect(refused).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      params: { accountId: a.publicId, available: '700.00', availableMinor: '70000', requested: '80000' },
    });
    expect(await balances(a.id)).toMatchObject({ settled: '70000', pending: '0' });
    const process = await bank.services.governance.processOf(db, 'withdraw', {
      kind: 'withdrawal',
      id: w.id,
    });
    expect(process).toMatchObject({ status: 'approved', amount: '30000' });
    expect(process?.summary).toMatchObject({
      account: a.publicId,
      customer: 'Dora Depositor',
      amount: { minor: '30000', currency: 'USD' },
      settledAfterHold: { minor: '70000', currency: 'USD' },
      pendingAfterHold: { minor: '30000', currency: 'USD' },
      initiatedBy: 'tina',
    });
  });

  it('refuses money on inactive, frozen and closed accounts, and the transitions the status table forbids', async () => {
    const a = await openAccount();
    await deposit(a.id, '5000');
    const moneyRefusals = async (status: string) => {
      const d = await teller.fail('deposits.record', {
        commandId: cmd(),
        accountId: a.id,
        amount: '1',
        method: 'wire',
      });
      expect(d).toMatchObject({ code: 'DEPOSIT_ACCOUNT_NOT_ACTIVE', params: { status, action: 'deposit' } });
      const w = await teller.fail('deposits.withdrawals.initiate', {
        commandId: cmd(),
        accountId: a.id,
        amount: '1',
        method: 'wire',
      });
      expect(w).toMatchObject({ code: 'DEPOSIT_ACCOUNT_NOT_ACTIVE', params: { status, action: 'withdraw' } });
    };
    const act = (action: 'freeze' | 'unfreeze' | 'inactivate' | 'reactivate' | 'close', id = a.id) =>
      office.raw(`deposits.accounts.${action}`, { commandId: cmd(), id, reason: 'Because' });
    const refusedTransition = async (
      action: 'freeze' | 'unfreeze' | 'inactivate' | 'reactivate' | 'close',
      status: string,
    ) => {
      const r = await act(action);
      expect(r.ok ? r : r.error).toMatchObject({
        code: 'DEPOSIT_ACCOUNT_TRANSITION',
        params: { status, action },
      });
    };

    expect((await act('inactivate')).ok).toBe(true);
    await moneyRefusals('inactive');
    await refusedTransition('freeze', 'inactive');
    await refusedTransition('close', 'inactive');
    await refusedTransition('unfreeze', 'inactive');
    expect((await act('reactivate')).ok).toBe(true);
    await refusedTransition('reactivate', 'active');

    expect((await act('freeze')).ok).toBe(true);
    await moneyRefusals('frozen');
    await refusedTransition('inactivate', 'frozen');
    await refusedTransition('close', 'frozen');
    await refusedTransition('freeze', 'frozen');
    expect((await act('unfreeze')).ok).toBe(true);

    await teller
      .call('deposits.withdrawals.initiate', {
        commandId: cmd(),
        accountId: a.id,
        amount: '5000',
        method: 'wire',
      })
      .then((w) => confirm(w.id));
    expect((await act('close')).ok).toBe(true);
    await moneyRefusals('closed');
    for (const action of ['freeze', 'unfreeze', 'inactivate', 'reactivate', 'close'] as const)
      await refusedTransition(action, 'closed');
    // A frozen customer's accounts take no new money movements (DOMAIN 2.4).
    const b = await openAccount();
    await deposit(b.id, '1000');
    await db('customers').where({ id: b.holderId }).update({ status: 'frozen' });
    for (const name of ['deposits.record', 'deposits.withdrawals.initiate']) {
      const r = await teller.fail(name, { commandId: cmd(), accountId: b.id, amount: '100', method: 'wire' });
      expect(r).toMatchObject({ code: 'DEPOSIT_HOLDER_NOT_ACTIVE', params: { status: 'frozen' } });
    }
    await db('customers').where({ id: b.holderId }).update({ status: 'active' });
    // A reason is required for every status change but unfreeze.
    const noReason = await office.fail('deposits.accounts.freeze', {
      commandId: cmd(),
      id: a.id,
      reason: ' ',
    });
    expect(noReason.code).toBe('VALIDATION_FAILED');
  });

  it('refuses every invalid withdrawal transition with WITHDRAWAL_STATE naming the current status', async () => {
    const a = await openAccount();
    await deposit(a.id, '100000');
    const step = (action: 'cancel' | 'confirm' | 'revert', id: string) =>
      teller.raw(`deposits.withdrawals.${action}`, {
        commandId: cmd(),
        id,
        ...(action === 'confirm' ? {} : { reason: 'Because' }),
      });
    const by = (action: 'cancel' | 'confirm' | 'revert', id: string) =>
      (action === 'revert' ? office : teller).raw(`deposits.withdrawals.${action}`, {
        commandId: cmd(),
        id,
        ...(action === 'confirm' ? {} : { reason: 'Because' }),
      });
    const refused = async (action: 'cancel' | 'confirm' | 'revert', id: string, status: string) => {
      const r = await by(action, id);
      expect(r.ok ? r : r.error).toMatchObject({ code: 'WITHDRAWAL_STATE', params: { status, action } });
    };
    expect((await step('revert', randomUUID())).ok).toBe(false);

    // pending_confirmation: no revert.
    const w1 = await withdraw(a.id, '1000');
    await refused('revert', w1.id, 'pending_confirmation');
    // confirmed: no cancel, no confirm; revert once.
    await confirm(w1.id);
    await refused('cancel', w1.id, 'confirmed');
    await refused('confirm', w1.id, 'confirmed');
    expect((await by('revert', w1.id)).ok).toBe(true);
    // reverted: terminal.
    for (const action of ['cancel', 'confirm', 'revert'] as const) await refused(action, w1.id, 'reverted');
    // cancelled: terminal.
    const w2 = await withdraw(a.id, '2000');
    expect((await by('cancel', w2.id)).ok).toBe(true);
    for (const action of ['cancel', 'confirm', 'revert'] as const) await refused(action, w2.id, 'cancelled');
    expect(await balances(a.id)).toMatchObject({ settled: '100000', pending: '0' });
    // Reverting a withdrawal is back office work.
    expect((await step('revert', w2.id)).ok ? 'allowed' : 'refused').toBe('refused');
  });

  it('governance: a committee approves (then confirm) or denies (funds back); auto-approve needs no vote', async () => {
    const a = await openAccount();
    await deposit(a.id, '500000');
    const committee = await admin.call('governance.committees.create', {
      commandId: cmd(),
      name: 'Withdrawals',
    });
    await admin.call('governance.committees.addMember', {
      commandId: cmd(),
      committeeId: committee.id,
      userId: await currentUserId(sam),
    });
    // Up to 100.00 approves at once; above it the committee decides.
    await setPolicy([
      { upTo: '10000', committeeId: null, threshold: null },
      { upTo: null, committeeId: committee.id, threshold: 1 },
    ]);
    try {
      const small = await withdraw(a.id, '10000');
      expect(small.status).toBe('pending_confirmation');

      const big = await withdraw(a.id, '200000');
      expect(big.status).toBe('pending_approval');
      expect(await balances(a.id)).toMatchObject({ settled: '290000', pending: '210000' });
      // Not approved yet: it cannot be confirmed.
      expect((await teller.fail('deposits.withdrawals.confirm', { commandId: cmd(), id: big.id })).code).toBe(
        'WITHDRAWAL_STATE',
      );
      await sam.call('governance.processes.approve', { commandId: cmd(), processId: big.approvalProcessId! });
      expect((await teller.call('deposits.withdrawals.get', { id: big.id })).status).toBe(
        'pending_confirmation',
      );
      expect(await confirm(big.id)).toMatchObject({ status: 'confirmed' });

      const denied = await withdraw(a.id, '150000');
      expect(await balances(a.id)).toMatchObject({ settled: '140000', pending: '160000' });
      await sam.call('governance.processes.deny', {
        commandId: cmd(),
        processId: denied.approvalProcessId!,
        reason: 'Unusual amount',
      });
      const after = await teller.call('deposits.withdrawals.get', { id: denied.id });
      expect(after).toMatchObject({ status: 'denied' });
      expect(after.releaseTransactionId).not.toBeNull();
      expect(await balances(a.id)).toMatchObject({ settled: '290000', pending: '10000' });
      // Denied is terminal.
      expect(
        (await teller.fail('deposits.withdrawals.cancel', { commandId: cmd(), id: denied.id, reason: 'x' }))
          .params,
      ).toMatchObject({ status: 'denied', action: 'cancel' });

      // Cancelling a withdrawal pending approval releases the hold too.
      const cancelled = await withdraw(a.id, '20000');
      await teller.call('deposits.withdrawals.cancel', {
        commandId: cmd(),
        id: cancelled.id,
        reason: 'Customer left',
      });
      expect(await balances(a.id)).toMatchObject({ settled: '290000', pending: '10000' });
      // A withdrawal cancelled meanwhile takes no more votes: the vote is refused, nothing recorded.
      const vote = await sam.fail('governance.processes.approve', {
        commandId: cmd(),
        processId: cancelled.approvalProcessId!,
      });
      expect(vote).toMatchObject({
        code: 'WITHDRAWAL_STATE',
        params: { status: 'cancelled', action: 'approve' },
      });
      const process = await sam.call('governance.processes.get', { id: cancelled.approvalProcessId! });
      expect(process).toMatchObject({ status: 'in_progress', votes: [] });
      expect((await teller.call('deposits.withdrawals.get', { id: cancelled.id })).status).toBe('cancelled');
    } finally {
      await autoApprove();
    }
  });

  it('a committee nobody else can decide denies at once, in the initiating transaction', async () => {
    const a = await openAccount();
    await deposit(a.id, '9000');
    const solo = await admin.call('governance.committees.create', { commandId: cmd(), name: 'Solo' });
    await admin.call('governance.committees.addMember', {
      commandId: cmd(),
      committeeId: solo.id,
      userId: await currentUserId(admin),
    });
    await setPolicy([{ upTo: null, committeeId: solo.id, threshold: 1 }]);
    try {
      // The initiator may not vote: no possible voter is left, so the process is denied at start.
      const w = await admin.call('deposits.withdrawals.initiate', {
        commandId: cmd(),
        accountId: a.id,
        amount: '4000',
        method: 'wire',
      });
      expect(w.status).toBe('denied');
      expect(w.releaseTransactionId).not.toBeNull();
      expect(await balances(a.id)).toMatchObject({ settled: '9000', pending: '0' });
    } finally {
      await autoApprove();
    }
  });

  it('commands are audited with the entity and its account', async () => {
    const a = await openAccount();
    const d = await deposit(a.id, '777');
    const record = await db('audit_log')
      .where({ action: 'deposits.record', outcome: 'Success' })
      .orderBy('id', 'desc')
      .first();
    expect(record).toMatchObject({
      object_type: 'deposit',
      object_ids: [d.id, a.id],
      actor_username: 'tina',
    });
    const refused = await teller.fail('deposits.withdrawals.initiate', {
      commandId: cmd(),
      accountId: a.id,
      amount: '778',
      method: 'wire',
    });
    expect(refused.code).toBe('INSUFFICIENT_FUNDS');
    const failure = await db('audit_log')
      .where({ action: 'deposits.withdrawals.initiate' })
      .orderBy('id', 'desc')
      .first();
    expect(failure).toMatchObject({ outcome: 'Failure', metadata: { error: 'INSUFFICIENT_FUNDS' } });
  });

  // A deposit's posting and row travel with the COMMIT unanswered (main/db/pipelined-pg.ts): the
  // command answers from what it sent, which must be what the table then holds.
  it('a deposit answers exactly the row the bank keeps', async () => {
    const a = await openAccount();
    const recorded = await teller.call('deposits.record', {
      commandId: cmd(),
      accountId: a.id,
      amount: '4321',
      method: 'cash',
      reference: 'Slip 77',
    });
    expect(await bank.services.deposits.deposit(recorded.id)).toEqual(recorded);
    const row = await db('deposits').where({ id: recorded.id }).first();
    expect(row.ledger_transaction_id).toBe(recorded.ledgerTransactionId);
    expect(await db('ledger_transactions').where({ id: recorded.ledgerTransactionId })).toHaveLength(1);
  });

  it('a command sent twice with the same commandId changes nothing twice', async () => {
    const a = await openAccount();
    const input = { commandId: cmd(), accountId: a.id, amount: '12345', method: 'check' as const };
    const first = await teller.call('deposits.record', input);
    const second = await teller.call('deposits.record', input);
    expect(second).toEqual(first);
    const initiate = { ...input, commandId: cmd() };
    const withdrawal = await teller.call('deposits.withdrawals.initiate', initiate);
    expect(await teller.call('deposits.withdrawals.initiate', initiate)).toEqual(withdrawal);
    expect(await db('withdrawals').where({ account_id: a.id })).toHaveLength(1);
    const confirmInput = { commandId: cmd(), id: withdrawal.id };
    const c1 = await teller.call('deposits.withdrawals.confirm', confirmInput);
    const c2 = await teller.call('deposits.withdrawals.confirm', confirmInput);
    expect(c2).toEqual(c1);
    expect(await balances(a.id)).toMatchObject({ settled: '0', pending: '0' });
    expect(await db('deposits').where({ account_id: a.id })).toHaveLength(1);
  });

  it('freezing: refused with withdrawals in flight; moves the balance to the companion and locks, unfreeze undoes it', async () => {
    const a = await openAccount();
    await deposit(a.id, '40000');
    const w = await withdraw(a.id, '10000');
    const refused = await office.fail('deposits.accounts.freeze', {
      commandId: cmd(),
      id: a.id,
      reason: 'Court order',
    });
    expect(refused).toMatchObject({ code: 'WITHDRAWALS_IN_FLIGHT', params: { count: 1 } });
    await confirm(w.id);

    tick();
    const frozen = await office.call('deposits.accounts.freeze', {
      commandId: cmd(),
      id: a.id,
      reason: 'Court order',
    });
    expect(frozen).toMatchObject({
      status: 'frozen',
      settled: '0',
      frozen: '30000',
      statusReason: 'Court order',
    });
    expect(await locked(a.ledgerAccountId)).toBe(true);
    // The ledger itself refuses a posting to the locked account, however it is attempted.
    const omnibus = (await db('ledger_accounts').where({ code: OMNIBUS_ACCOUNT_CODE }).first()).id;
    await expect(
      db.transaction((trx) =>
        bank.services.ledger.post(
          trx,
          {
            code: 'TEST',
            params: { parse: (p: unknown) => p } as never,
            entries: () => [
              { accountId: omnibus, currency: 'USD', layer: 'settled', direction: 'debit', amount: 1n },
              {
                accountId: a.ledgerAccountId,
                currency: 'USD',
                layer: 'settled',
                direction: 'credit',
                amount: 1n,
              },
            ],
          },
          {},
          { idempotencyKey: `t-${randomUUID()}`, effectiveDate: '2026-03-02' },
          new Date(),
        ),
      ),
    ).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });

    tick();
    const unfrozen = await office.call('deposits.accounts.unfreeze', { commandId: cmd(), id: a.id });
    expect(unfrozen).toMatchObject({ status: 'active', settled: '30000', frozen: '0' });
    expect(await locked(a.ledgerAccountId)).toBe(false);
    // Unfreezing an active account does nothing.
    const again = await office.call('deposits.accounts.unfreeze', { commandId: cmd(), id: a.id });
    expect(again).toMatchObject({ status: 'active', settled: '30000', frozen: '0' });
    // Freeze and unfreeze never count as activity; both appear in the history.
    const history = await teller.call('deposits.accounts.history', { id: a.id });
    expect(history.items.map((h) => h.kind)).toEqual([
      'unfreeze',
      'freeze',
      'withdrawal',
      'deposit',
      'opened',
    ]);
    expect(history.items.map((h) => h.balanceAfter)).toEqual(['30000', '0', '30000', '40000', null]);
    expect(history.total).toBe(5);

    // An empty account freezes without a posting.
    const empty = await openAccount();
    const f = await office.call('deposits.accounts.freeze', {
      commandId: cmd(),
      id: empty.id,
      reason: 'Dispute',
    });
    expect(f).toMatchObject({ status: 'frozen', frozen: '0' });
    expect(await locked(empty.ledgerAccountId)).toBe(true);
  });

  it('closing needs zero settled and pending, and locks both ledger accounts for good', async () => {
    const a = await openAccount();
    await deposit(a.id, '2500');
    const w = await withdraw(a.id, '1000');
    const refused = await office.fail('deposits.accounts.close', {
      commandId: cmd(),
      id: a.id,
      reason: 'Asked',
    });
    expect(refused).toMatchObject({
      code: 'DEPOSIT_ACCOUNT_NOT_EMPTY',
      params: { settled: '1500', pending: '1000' },
    });
    await confirm(w.id);
    await teller
      .call('deposits.withdrawals.initiate', {
        commandId: cmd(),
        accountId: a.id,
        amount: '1500',
        method: 'wire',
      })
      .then((x) => confirm(x.id));
    const closed = await office.call('deposits.accounts.close', {
      commandId: cmd(),
      id: a.id,
      reason: 'Asked',
    });
    expect(closed).toMatchObject({ status: 'closed', settled: '0', pending: '0' });
    expect(await locked(a.ledgerAccountId)).toBe(true);
    expect(await locked(a.frozenLedgerAccountId)).toBe(true);
  });

  it('reverting a deposit: twice is a no-op, and one that would overdraw is refused with the available balance', async () => {
    const a = await openAccount();
    const d1 = await deposit(a.id, '10000');
    const r1 = await office.call('deposits.revert', { commandId: cmd(), id: d1.id, reason: 'Wrong account' });
    expect(r1).toMatchObject({ status: 'reverted', revertReason: 'Wrong account' });
    const r2 = await office.call('deposits.revert', { commandId: cmd(), id: d1.id, reason: 'Again' });
    expect(r2).toEqual(r1);
    expect(await balances(a.id)).toMatchObject({ settled: '0' });

    const d2 = await deposit(a.id, '10000');
    await withdraw(a.id, '7500');
    const refused = await office.fail('deposits.revert', { commandId: cmd(), id: d2.id, reason: 'Bounced' });
    expect(refused).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      params: { accountId: a.publicId, available: '25.00', availableMinor: '2500', requested: '10000' },
    });
    expect((await teller.fail('deposits.revert', { commandId: cmd(), id: d2.id, reason: 'x' })).code).toBe(
      'FORBIDDEN',
    );
    const history = await teller.call('deposits.accounts.history', { id: a.id, limit: 2 });
    expect(history.total).toBe(5);
    expect(history.items.map((h) => h.kind)).toEqual(['withdrawal', 'deposit']);
  });

  it('bad amounts and references are refused by the router with nothing written', async () => {
    const a = await openAccount();
    const before = await snapshot(bank);
    const bad = ['0', '-100', '1.5', 'abc', '1000000000000001', '1.234,56', '', '01', ' 5', '1e3'];
    for (const amount of bad) {
      for (const name of ['deposits.record', 'deposits.withdrawals.initiate']) {
        const r = await teller.fail(name, { commandId: cmd(), accountId: a.id, amount, method: 'wire' });
        expect(r.code, `${name} ${amount}`).toBe('VALIDATION_FAILED');
      }
    }
    for (const amount of [100, 1.5, null]) {
      const r = await teller.fail('deposits.record', {
        commandId: cmd(),
        accountId: a.id,
        amount,
        method: 'wire',
      });
      expect(r.code).toBe('VALIDATION_FAILED');
    }
    const longRef = await teller.fail('deposits.record', {
      commandId: cmd(),
      accountId: a.id,
      amount: '100',
      method: 'wire',
      reference: 'x'.repeat(10_000),
    });
    expect(longRef.code).toBe('VALIDATION_FAILED');
    const badMethod = await teller.fail('deposits.record', {
      commandId: cmd(),
      accountId: a.id,
      amount: '100',
      method: 'bitcoin',
    });
    expect(badMethod.code).toBe('VALIDATION_FAILED');
    const { changedTables } = await changesSince(bank, before);
    expect(changedTables).toEqual([]);
    // The largest amount allowed passes the router.
    const max = await teller.call('deposits.record', {
      commandId: cmd(),
      accountId: a.id,
      amount: '1000000000000000',
      method: 'wire',
    });
    expect(max.amount).toBe('1000000000000000');
  });

  it('history exports as CSV with formula cells neutralized', async () => {
    const a = await openAccount();
    await teller.call('deposits.record', {
      commandId: cmd(),
      accountId: a.id,
      amount: '123456',
      method: 'check',
      reference: '=HYPERLINK("http://evil")',
    });
    const { csv, rows, fileName } = await teller.call('deposits.accounts.historyCsv', { id: a.id });
    expect(fileName).toBe(`deposit-account-${a.publicId}.csv`);
    expect(rows).toBe(2);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('at,kind,direction,amount,status,method,reference,reason,balance_after');
    expect(lines[1]).toContain(`deposit,in,1234.56,confirmed,check,"'=HYPERLINK(""http://evil"")",,1234.56`);
  });

  it('with the verification switch on, only verified customers get accounts; a conversion without KYC keeps the request', async () => {
    await admin.call('bank.settings.update', {
      commandId: cmd(),
      idleLockMinutes: 5,
      requireVerifiedCustomers: true,
    });
    try {
      const unverified = await customer();
      const refused = await office.fail('deposits.accounts.open', {
        commandId: cmd(),
        customerId: unverified,
      });
      expect(refused.code).toBe('CUSTOMER_NOT_VERIFIED');
      expect(await db('deposit_accounts').where({ holder_id: unverified })).toEqual([]);
      await db('prospects').where({ id: unverified }).update({ kyc_status: 'verified' });
      expect(
        (await office.call('deposits.accounts.open', { commandId: cmd(), customerId: unverified })).status,
      ).toBe('active');

      const p = await office.call('prospect.create', {
        commandId: cmd(),
        customerType: 'private-company',
        email: `switch.${randomUUID().slice(0, 8)}@example.com`,
        fullName: 'Unverified Trading Ltd',
        bornOrRegisteredOn: '2001-04-02',
        phone: '+1 555 0199',
        address: '9 Harbour Road, Springfield',
        idDocumentType: 'company_registration',
        idDocumentNumber: `REG-${randomUUID().slice(0, 8)}`,
      });
      const c = await sam.call('prospect.convertWithoutKyc', {
        commandId: cmd(),
        id: p.id,
        reason: 'Board decision',
      });
      expect(c.status).toBe('active');
      expect(await teller.call('deposits.accounts.ofCustomer', { customerId: c.id })).toEqual([]);
    } finally {
      await admin.call('bank.settings.update', {
        commandId: cmd(),
        idleLockMinutes: 5,
        requireVerifiedCustomers: false,
      });
    }
  });

  it('history filters movements from account events, and by date, on the server', async () => {
    const a = await openAccount();
    await deposit(a.id, '5000');
    tick();
    await office.call('deposits.accounts.freeze', { commandId: cmd(), id: a.id, reason: 'Dispute' });
    tick();
    await office.call('deposits.accounts.unfreeze', { commandId: cmd(), id: a.id, reason: 'Settled' });
    const kinds = async (filter: Record<string, string>) => {
      const page = await teller.call('deposits.accounts.history', { id: a.id, ...filter });
      expect(page.total).toBe(page.items.length);
      return page.items.map((h) => h.kind).sort();
    };
    expect(await kinds({})).toEqual(['deposit', 'freeze', 'opened', 'unfreeze']);
    expect(await kinds({ show: 'movements' })).toEqual(['deposit']);
    expect(await kinds({ show: 'events' })).toEqual(['freeze', 'opened', 'unfreeze']);
    const today = bank.clock.now().toISOString().slice(0, 10);
    const tomorrow = new Date(bank.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    expect(await kinds({ from: today, to: today })).toHaveLength(4);
    expect(await kinds({ from: tomorrow })).toEqual([]);
    // The days are the bank's: in a time zone where now is another calendar day, that day is asked for.
    const timeZone = bank.clock.now().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const local = new Intl.DateTimeFormat('en-CA', { timeZone }).format(bank.clock.now());
    expect(local).not.toBe(today);
    await db('bank').update({ time_zone: timeZone });
    try {
      expect(await kinds({ from: local, to: local })).toHaveLength(4);
      expect(await kinds({ from: today, to: today })).toEqual([]);
    } finally {
      await db('bank').update({ time_zone: 'UTC' });
    }
    expect((await teller.fail('deposits.accounts.history', { id: a.id, show: 'everything' })).code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('classifies activity for a business date, idempotently, with editable thresholds', async () => {
    const a = await openAccount();
    expect(await teller.call('deposits.settings.get', {})).toEqual({
      inactiveDays: 365,
      escheatableDays: 3650,
    });
    const invalid = await office.fail('deposits.settings.set', {
      commandId: cmd(),
      inactiveDays: 400,
      escheatableDays: 300,
    });
    expect(invalid).toMatchObject({
      code: 'DEPOSIT_THRESHOLDS_INVALID',
      params: { problems: ['escheatableNotAfterInactive'] },
    });
    await office.call('deposits.settings.set', { commandId: cmd(), inactiveDays: 30, escheatableDays: 60 });

    const run = (businessDate: string) =>
      office.call('deposits.activity.classify', { commandId: cmd(), businessDate });
    // Day 30 is still active ('past' the threshold is strictly more days).
    expect(await run('2026-04-01')).toMatchObject({ replayed: false });
    expect((await teller.call('deposits.accounts.get', { id: a.id })).activityStatus).toBe('active');
    await run('2026-04-02');
    expect((await teller.call('deposits.accounts.get', { id: a.id })).activityStatus).toBe('inactive');
    const second = await run('2026-04-02');
    expect(second).toMatchObject({ replayed: true, changed: 0 });
    await run('2026-05-02');
    expect((await teller.call('deposits.accounts.get', { id: a.id })).activityStatus).toBe('escheatable');
    const list = await teller.call('deposits.accounts.list', { activityStatus: 'escheatable' });
    expect(list.items.map((i) => i.id)).toContain(a.id);
    // A deposit is activity (on the bank's business date): recently active again at once.
    await db('bank').update({ business_date: '2026-05-02' });
    try {
      await deposit(a.id, '100');
      const after = await teller.call('deposits.accounts.get', { id: a.id });
      expect(after).toMatchObject({ activityStatus: 'active', lastActivityOn: '2026-05-02' });
      await run('2026-05-02');
      expect((await teller.call('deposits.accounts.get', { id: a.id })).activityStatus).toBe('active');
    } finally {
      await db('bank').update({ business_date: '2026-03-02' });
    }
    await office.call('deposits.settings.set', {
      commandId: cmd(),
      inactiveDays: 365,
      escheatableDays: 3650,
    });
  });

  it('after a random sequence the trial balance balances and the omnibus equals deposits minus withdrawals', async () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const accounts = await Promise.all([openAccount(), openAccount('bank'), openAccount()]);
    for (let i = 0; i < 60; i++) {
      const a = accounts[rand(accounts.length)]!;
      const amount = String(1 + rand(50000));
      const op = rand(6);
      const r =
        op <= 1
          ? await teller.raw('deposits.record', { commandId: cmd(), accountId: a.id, amount, method: 'wire' })
          : await teller.raw('deposits.withdrawals.initiate', {
              commandId: cmd(),
              accountId: a.id,
              amount,
              method: 'cash',
            });
      if (!r.ok) {
        expect(r.error.code).toBe('INSUFFICIENT_FUNDS');
        continue;
      }
      const id = (r.result as { id: string }).id;
      if (op === 1 && rand(3) === 0)
        await office.raw('deposits.revert', { commandId: cmd(), id, reason: 'Error' });
      if (op >= 2) {
        const next = rand(4);
        if (next === 0)
          await teller.raw('deposits.withdrawals.cancel', { commandId: cmd(), id, reason: 'Changed' });
        else if (next >= 2) {
          await confirm(id);
          if (next === 3 && rand(2) === 0)
            await office.raw('deposits.withdrawals.revert', { commandId: cmd(), id, reason: 'Returned' });
        }
      }
    }
    const tb = await admin.call('accounting.trialBalance', {
      from: '2026-01-01',
      to: '2026-12-31',
      layer: 'all',
    });
    expect(tb.balanced).toBe(true);

    const ledger = bank.services.ledger;
    const omnibus = (await db('ledger_accounts').where({ code: OMNIBUS_ACCOUNT_CODE }).first()).id;
    const o = await ledger.balance(db, omnibus);
    let customers = 0n;
    for (const acc of await db('deposit_accounts')) {
      const main = await ledger.balance(db, acc.ledger_account_id);
      const frozen = await ledger.balance(db, acc.frozen_ledger_account_id);
      customers += main.settled + main.pending + frozen.settled + frozen.pending;
      expect(main.settled >= 0n).toBe(true);
    }
    const sum = async (table: string, status: string) =>
      BigInt(
        (await db(table).where({ status }).sum<{ s: string | null }[]>({ s: 'amount' }).first())?.s ?? 0,
      );
    const net = (await sum('deposits', 'confirmed')) - (await sum('withdrawals', 'confirmed'));
    expect(o.settled + o.pending).toBe(net);
    expect(customers).toBe(net);
    // Pending on the omnibus equals the withdrawals in flight.
    const inFlight =
      (await sum('withdrawals', 'pending_approval')) + (await sum('withdrawals', 'pending_confirmation'));
    expect(o.pending).toBe(inFlight);
  });
});
