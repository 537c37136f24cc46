import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'csv-parse/sync';
import { insertProspect } from '../fixtures/customers';
import { openTillDay } from '../fixtures/tills';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, userWithRoles, type TestClient } from './harness';
import { THROTTLE_BASE_SECONDS, THROTTLE_FREE_ATTEMPTS } from '../../main/modules/access/rules';

describe(`cash limits, supervisor overrides and large-cash alerts (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const db = bank.services.database.knex;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: tina, password: tinaPassword } = await userWithRoles(bank, admin, 'tina', ['teller']);
  const { client: tom } = await userWithRoles(bank, admin, 'tom', ['teller']);
  const { client: hugo, password: hugoPassword } = await userWithRoles(bank, admin, 'hugo', [
    'head_teller',
    'teller',
  ]);
  const { client: office } = await userWithRoles(bank, admin, 'otto', ['back_office']);
  const { client: sam, password: samPassword } = await userWithRoles(bank, admin, 'sam', ['supervisor']);
  const { password: suePassword } = await userWithRoles(bank, admin, 'sue', ['supervisor']);
  const { client: aurora } = await userWithRoles(bank, admin, 'aurora', ['auditor']);
  await admin.call('accounting.openFirstFiscalYear', { commandId: cmd(), startsOn: '2026-01-01' });

  const idOf = async (username: string) =>
    (await db('staff_users').where({ username }).first('id')).id as string;

  /** A funded account of a new customer; the funding is a wire, which no cash control counts. */
  async function fundedAccount(amount = '5000000', name = 'Carla Cash') {
    const holderId = await insertProspect(db, { fullName: name });
    await db('customers').insert({
      id: holderId,
      public_id: `C-${randomUUID().slice(0, 8)}`,
      status: 'active',
    });
    const account = await office.call('deposits.accounts.open', { commandId: cmd(), customerId: holderId });
    await office.call('deposits.record', { commandId: cmd(), accountId: account.id, amount, method: 'wire' });
    return account;
  }
  const withdraw = (client: TestClient, accountId: string, amount: string, counter?: object) =>
    client.raw('deposits.withdrawals.initiate', {
      commandId: cmd(),
      accountId,
      amount,
      method: 'cash',
      ...(counter ? { counter } : {}),
    });
  const depositCash = (client: TestClient, accountId: string, amount: string, counter?: object) =>
    client.raw('deposits.record', {
      commandId: cmd(),
      accountId,
      amount,
      method: 'cash',
      ...(counter ? { counter } : {}),
    });
  const errorOf = (r: Awaited<ReturnType<TestClient['raw']>>) => (r.ok ? null : r.error);
  const resultOf = <T>(r: Awaited<ReturnType<TestClient['raw']>>) => {
    if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.error)}`);
    return r.result as T;
  };
  const withdrawalsOf = async (accountId: string) =>
    Number((await db('withdrawals').where({ account_id: accountId }).count('* as n'))[0]!.n);

  /** Live notices the bank sends at commit (NOTIFY on bank_events), as every workstation gets them. */
  const notices: { type: string | null; status: string | null }[] = [];
  bank.services.governance.onApprovalsChanged((e) => notices.push({ type: e.type, status: e.status }));

  it('a cash withdrawal above the teller’s limit is refused without an override; at the limit it passes', async () => {
    const a = await fundedAccount();
    const refused = errorOf(await withdraw(tina, a.id, '500001'));
    expect(refused).toMatchObject({
      code: 'OVERRIDE_REQUIRED',
      params: {
        limit: 'role-withdrawal',
        limitAmount: '5000.00',
        limitMinor: '500000',
        checkedAmount: '5000.01',
        checkedMinor: '500001',
        kind: 'withdrawal-initiate',
        accountId: a.id,
        amountMinor: '500001',
      },
    });
    expect(await withdrawalsOf(a.id)).toBe(0);
    expect((await withdraw(tina, a.id, '500000')).ok).toBe(true);
    // A head teller's limit is 20,000.00 (the highest of their roles); a wire is no cash.
    const b = await fundedAccount();
    expect((await withdraw(hugo, b.id, '1500000', { conductor: { name: 'Carla Cash' } })).ok).toBe(true);
    const wire = await tina.raw('deposits.withdrawals.initiate', {
      commandId: cmd(),
      accountId: a.id,
      amount: '900000',
      method: 'wire',
    });
    expect(wire.ok).toBe(true);
  });

  it('a supervisor’s override at the workstation lets it through; who, why and how are recorded and journaled, the password nowhere', async () => {
    const a = await fundedAccount();
    const w = resultOf<{ id: string; amount: string }>(
      await withdraw(tina, a.id, '600000', {
        override: { username: 'sam', password: samPassword, reason: 'Known customer, buying a car' },
      }),
    );
    const recorded = await db('cash_overrides').where({ movement_id: w.id });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      step_kind: 'withdrawal-initiate',
      limit_kind: 'role-withdrawal',
      requested_by: await idOf('tina'),
      given_by: await idOf('sam'),
      reason: 'Known customer, buying a car',
      how: 'at-workstation',
      account_id: a.id,
    });
    expect(String(recorded[0].limit_amount)).toBe('500000');
    expect(String(recorded[0].checked_amount)).toBe('600000');
    const journal = await db('teller_journal').where({ kind: 'override', subject_id: recorded[0].id });
    expect(journal).toHaveLength(1);
    expect(journal[0]).toMatchObject({ teller_id: await idOf('tina') });
    expect(journal[0].details).toMatchObject({ givenBy: 'sam', how: 'at-workstation', movementId: w.id });
    const audit = await db('audit_log')
      .where({ action: 'deposits.withdrawals.initiate', outcome: 'Success' })
      .whereRaw(`object_ids::text like ?`, [`%${w.id}%`])
      .first();
    expect(audit.metadata).toMatchObject({ override: { givenBy: await idOf('sam'), how: 'at-workstation' } });
    // The supervisor's password is in no table at all.
    for (const table of ['command_log', 'audit_log', 'cash_overrides', 'teller_journal', 'withdrawals']) {
      const { rows } = await db.raw(`select count(*)::int as n from ${table} t where t::text like ?`, [
        `%${samPassword}%`,
      ]);
      expect(rows[0].n, table).toBe(0);
    }
  });

  it('an override is refused from the requester, from a user without the permission, and without a reason', async () => {
    const a = await fundedAccount('10000000');
    const self = errorOf(
      await withdraw(tina, a.id, '600000', {
        override: { username: 'tina', password: tinaPassword, reason: 'Mine' },
      }),
    );
    expect(self?.code).toBe('OVERRIDE_SELF');
    const teller = errorOf(
      await withdraw(tina, a.id, '600000', {
        override: { username: 'tom', password: 'Personal-Pass-2026!', reason: 'Colleague' },
      }),
    );
    expect(teller?.code).toBe('OVERRIDE_NOT_PERMITTED');
    const auditor = errorOf(
      await withdraw(tina, a.id, '600000', {
        override: { username: 'aurora', password: 'Personal-Pass-2026!', reason: 'Auditor' },
      }),
    );
    expect(auditor?.code).toBe('OVERRIDE_NOT_PERMITTED');
    // A head teller above their own limit cannot sign for themselves either.
    const own = errorOf(
      await withdraw(hugo, a.id, '2000001', {
        conductor: { name: 'Carla Cash' },
        override: { username: 'hugo', password: hugoPassword, reason: 'x' },
      }),
    );
    expect(own?.code).toBe('OVERRIDE_SELF');
    for (const reason of ['', '   ', undefined]) {
      const empty = errorOf(
        await withdraw(tina, a.id, '600000', {
          override: { username: 'sam', password: samPassword, reason },
        }),
      );
      expect(empty?.code).toBe('OVERRIDE_REASON_REQUIRED');
    }
    const incomplete = errorOf(
      await withdraw(tina, a.id, '600000', { override: { username: 'sam', reason: 'x' } }),
    );
    expect(incomplete?.code).toBe('OVERRIDE_INCOMPLETE');
    const tooLong = errorOf(
      await withdraw(tina, a.id, '600000', {
        override: { username: 'sam', password: samPassword, reason: 'x'.repeat(501) },
      }),
    );
    expect(tooLong).toMatchObject({
      code: 'VALIDATION_FAILED',
      params: { fields: ['counter.override.reason'] },
    });
    expect(await withdrawalsOf(a.id)).toBe(0);
    expect(await db('cash_overrides').where({ account_id: a.id })).toHaveLength(0);
  });

  it('a wrong supervisor password is refused and throttled like a sign-in, until the block runs out', async () => {
    const a = await fundedAccount();
    const attempt = (password: string) =>
      withdraw(tina, a.id, '600000', { override: { username: 'sue', password, reason: 'Large payout' } });
    for (let i = 0; i < THROTTLE_FREE_ATTEMPTS; i++) {
      expect(errorOf(await attempt(`Wrong-${i}`))?.code).toBe('OVERRIDE_CREDENTIALS_INVALID');
    }
    // Even the right password now waits, and so does the supervisor's own sign-in (one throttle).
    const throttled = errorOf(await attempt(suePassword));
    expect(throttled).toMatchObject({ code: 'OVERRIDE_THROTTLED' });
    expect(Number(throttled!.params.seconds)).toBeGreaterThan(0);
    const login = await bank.connect().fail('session.login', { username: 'sue', password: suePassword });
    expect(login.code).toBe('LOGIN_THROTTLED');
    const failures = await db('audit_log').where({ action: 'cash-controls.override', outcome: 'Failure' });
    expect(failures.length).toBeGreaterThanOrEqual(THROTTLE_FREE_ATTEMPTS);
    expect(await withdrawalsOf(a.id)).toBe(0);

    bank.clock.advance((THROTTLE_BASE_SECONDS + 1) * 1000);
    expect((await attempt(suePassword)).ok).toBe(true);
    // A success clears the throttle, as a sign-in does.
    expect(await db('login_throttle').where({ username_key: 'sue' })).toHaveLength(0);
  });

  it('a remote override: requested, seen live, approved on the supervisor’s workstation, used once', async () => {
    const a = await fundedAccount();
    const before = notices.length;
    const request = await tina.call('cashControls.overrides.request', {
      commandId: cmd(),
      accountId: a.id,
      kind: 'withdrawal-initiate',
      amount: '700000',
      note: 'Customer at window 2',
    });
    expect(request).toMatchObject({
      status: 'pending',
      limit: 'role-withdrawal',
      limitAmount: '500000',
      amount: '700000',
      requestedByName: 'User tina',
    });
    await vi.waitFor(() =>
      expect(notices.slice(before)).toContainEqual({ type: 'cash-override', status: 'pending' }),
    );
    expect((await sam.call('cashControls.overrides.pending', {})).map((r) => r.id)).toContain(request.id);
    // A teller can neither list nor decide; the requester can see their own request.
    expect((await tina.fail('cashControls.overrides.pending', {})).code).toBe('FORBIDDEN');
    expect(
      (
        await tina.fail('cashControls.overrides.decide', {
          commandId: cmd(),
          id: request.id,
          decision: 'approve',
          reason: 'x',
        })
      ).code,
    ).toBe('FORBIDDEN');
    expect((await tom.fail('cashControls.overrides.get', { id: request.id })).code).toBe('NOT_FOUND');

    // Not usable before it is approved.
    const early = errorOf(await withdraw(tina, a.id, '700000', { override: { overrideId: request.id } }));
    expect(early).toMatchObject({ code: 'OVERRIDE_REQUEST_INVALID', params: { why: 'not-approved' } });
    const emptyReason = await sam.fail('cashControls.overrides.decide', {
      commandId: cmd(),
      id: request.id,
      decision: 'approve',
      reason: '  ',
    });
    expect(emptyReason.code).toBe('VALIDATION_FAILED');
    const approved = await sam.call('cashControls.overrides.decide', {
      commandId: cmd(),
      id: request.id,
      decision: 'approve',
      reason: 'Called the customer',
    });
    expect(approved).toMatchObject({ status: 'approved', decidedByName: 'User sam' });
    expect((await tina.call('cashControls.overrides.get', { id: request.id })).status).toBe('approved');
    const twice = await sam.fail('cashControls.overrides.decide', {
      commandId: cmd(),
      id: request.id,
      decision: 'refuse',
      reason: 'Changed my mind',
    });
    expect(twice).toMatchObject({ code: 'OVERRIDE_REQUEST_DECIDED', params: { status: 'approved' } });

    // Bound to the teller, the account, the kind and the amount.
    const otherTeller = errorOf(
      await withdraw(tom, a.id, '700000', { override: { overrideId: request.id } }),
    );
    expect(otherTeller?.params.why).toBe('other-teller');
    const otherAmount = errorOf(
      await withdraw(tina, a.id, '700001', { override: { overrideId: request.id } }),
    );
    expect(otherAmount?.params.why).toBe('mismatch');

    const w = resultOf<{ id: string }>(
      await withdraw(tina, a.id, '700000', { override: { overrideId: request.id } }),
    );
    expect(await db('cash_overrides').where({ movement_id: w.id }).first()).toMatchObject({
      how: 'remote',
      request_id: request.id,
      given_by: await idOf('sam'),
      requested_by: await idOf('tina'),
      reason: 'Called the customer',
    });
    expect((await tina.call('cashControls.overrides.get', { id: request.id })).status).toBe('used');
    // The day's cash is now over the threshold: the conductor is given, and the override is spent.
    const again = errorOf(
      await withdraw(tina, a.id, '700000', {
        conductor: { name: 'Carla Cash' },
        override: { overrideId: request.id },
      }),
    );
    expect(again).toMatchObject({ code: 'OVERRIDE_REQUEST_INVALID', params: { why: 'used' } });
  });

  it('a remote override is refused by a supervisor for their own request, and expires with the business day', async () => {
    const a = await fundedAccount();
    const own = await hugo.call('cashControls.overrides.request', {
      commandId: cmd(),
      accountId: a.id,
      kind: 'withdrawal-initiate',
      amount: '2000001',
    });
    const self = await hugo.fail('cashControls.overrides.decide', {
      commandId: cmd(),
      id: own.id,
      decision: 'approve',
      reason: 'Me',
    });
    expect(self.code).toBe('OVERRIDE_SELF');
    const notNeeded = await tina.fail('cashControls.overrides.request', {
      commandId: cmd(),
      accountId: a.id,
      kind: 'withdrawal-initiate',
      amount: '500000',
    });
    expect(notNeeded.code).toBe('OVERRIDE_NOT_NEEDED');
    const refusedOne = await tina.call('cashControls.overrides.request', {
      commandId: cmd(),
      accountId: a.id,
      kind: 'withdrawal-initiate',
      amount: '800000',
    });
    const refused = await sam.call('cashControls.overrides.decide', {
      commandId: cmd(),
      id: refusedOne.id,
      decision: 'refuse',
      reason: 'Ask the customer for a transfer',
    });
    expect(refused.status).toBe('refused');
    const notApproved = errorOf(
      await withdraw(tina, a.id, '800000', { override: { overrideId: refusedOne.id } }),
    );
    expect(notApproved?.params.why).toBe('not-approved');

    const late = await tina.call('cashControls.overrides.request', {
      commandId: cmd(),
      accountId: a.id,
      kind: 'withdrawal-initiate',
      amount: '900000',
    });
    await sam.call('cashControls.overrides.decide', {
      commandId: cmd(),
      id: late.id,
      decision: 'approve',
      reason: 'Ok',
    });
    const today = (await db('bank').first('business_date')).business_date as string;
    await db('bank').update({ business_date: '2026-03-03' });
    try {
      const expired = errorOf(await withdraw(tina, a.id, '900000', { override: { overrideId: late.id } }));
      expect(expired?.params.why).toBe('expired');
      expect((await sam.call('cashControls.overrides.pending', {})).map((r) => r.id)).not.toContain(own.id);
    } finally {
      await db('bank').update({ business_date: today });
    }
  });

  it('a till above its maximum needs an override (and says so with the vault transfer); at the maximum it does not', async () => {
    // A branch, a till and its opening through the tills module, as at a real counter.
    const branch = await admin.call('tills.branches.create', {
      commandId: cmd(),
      code: 'CC',
      name: 'Cash Corner',
      currency: 'USD',
      closeTolerance: '0',
    });
    const till = await admin.call('tills.create', {
      commandId: cmd(),
      branchId: branch.id,
      code: 'T9',
      name: 'Till 9',
    });
    const hundreds = (count: number) => [{ value: '10000', count }];
    await admin.call('tills.vault.receive', {
      commandId: cmd(),
      branchId: branch.id,
      amount: '1000000',
      denominations: hundreds(100),
    });
    await openTillDay(tina, sam, till.id, hundreds(2));
    const tillId = till.id;

    expect(
      (await tina.fail('cashControls.limits.setTill', { commandId: cmd(), tillId, maximum: '100000' })).code,
    ).toBe('FORBIDDEN');
    const limits = await admin.call('cashControls.limits.setTill', {
      commandId: cmd(),
      tillId,
      maximum: '100000',
    });
    expect(limits.tills.find((t) => t.tillId === tillId)).toMatchObject({ code: 'T9', maximum: '100000' });
    const unknown = await admin.fail('cashControls.limits.setTill', {
      commandId: cmd(),
      tillId: randomUUID(),
      maximum: '100000',
    });
    expect(unknown.code).toBe('NOT_FOUND');

    const a = await fundedAccount();
    // 200.00 in the drawer + 800.00 is exactly the maximum: allowed.
    expect((await depositCash(tina, a.id, '80000', { tillId, denominations: hundreds(8) })).ok).toBe(true);
    const over = errorOf(await depositCash(tina, a.id, '10000', { tillId, denominations: hundreds(1) }));
    expect(over).toMatchObject({
      code: 'OVERRIDE_REQUIRED',
      params: {
        limit: 'till-maximum',
        limitMinor: '100000',
        checkedMinor: '110000',
        excess: '100.00',
        tillId,
        vaultTransfer: true,
      },
    });
    const request = await tina.call('cashControls.overrides.request', {
      commandId: cmd(),
      accountId: a.id,
      kind: 'deposit',
      amount: '10000',
      tillId,
    });
    expect(request).toMatchObject({ limit: 'till-maximum', checkedAmount: '110000' });
    const given = resultOf<{ id: string }>(
      await depositCash(tina, a.id, '10000', {
        tillId,
        denominations: hundreds(1),
        override: { username: 'sam', password: samPassword, reason: 'Vault transfer after lunch' },
      }),
    );
    expect(await db('cash_overrides').where({ movement_id: given.id }).first()).toMatchObject({
      limit_kind: 'till-maximum',
      till_id: tillId,
    });
    expect(
      await db('teller_journal').where({ kind: 'override', till_id: tillId, teller_id: await idOf('tina') }),
    ).toHaveLength(1);
    // Without a maximum any amount goes in.
    await admin.call('cashControls.limits.setTill', { commandId: cmd(), tillId, maximum: null });
    expect((await depositCash(tina, a.id, '40000', { tillId, denominations: hundreds(4) })).ok).toBe(true);
  });

  it('a customer’s cash over the day reaching the threshold needs the conductor, then flags a CTR', async () => {
    const a = await fundedAccount('5000000', 'Dora Dollars');
    const conductor = { name: '=HYPERLINK("x")', idDocument: 'P-123', relationship: 'Herself' };
    expect((await depositCash(tina, a.id, '400000')).ok).toBe(true);
    expect((await withdraw(tina, a.id, '300000')).ok).toBe(true);
    // A wire counts for nothing.
    await office.call('deposits.record', {
      commandId: cmd(),
      accountId: a.id,
      amount: '900000',
      method: 'wire',
    });
    const needs = errorOf(await depositCash(tina, a.id, '300000'));
    expect(needs).toMatchObject({
      code: 'CONDUCTOR_REQUIRED',
      params: {
        threshold: '10000.00',
        thresholdMinor: '1000000',
        dayTotal: '10000.00',
        dayTotalMinor: '1000000',
      },
    });
    const before = notices.length;
    const flagged = resultOf<{ id: string }>(await depositCash(tina, a.id, '300000', { conductor }));
    const ctr = await db('cash_reports').where({ movement_id: flagged.id, kind: 'ctr' }).first();
    expect(ctr).toMatchObject({
      conductor_name: conductor.name,
      conductor_id_document: 'P-123',
      conductor_relationship: 'Herself',
      direction: 'in',
      teller_id: await idOf('tina'),
    });
    expect([ctr.day_cash_in, ctr.day_cash_out].map(String)).toEqual(['700000', '300000']);
    await vi.waitFor(() =>
      expect(notices.slice(before)).toContainEqual({ type: 'cash-report', status: 'ctr' }),
    );
    // Every further cash movement of the day is reported too (and still needs the conductor).
    expect(errorOf(await withdraw(tina, a.id, '100'))?.code).toBe('CONDUCTOR_REQUIRED');
    const next = resultOf<{ id: string }>(await withdraw(tina, a.id, '100', { conductor: { name: 'Dora' } }));
    expect(await db('cash_reports').where({ movement_id: next.id, kind: 'ctr' })).toHaveLength(1);

    const listed = await aurora.call('cashControls.reports.list', {
      kind: 'ctr',
      from: '2026-03-02',
      to: '2026-03-02',
    });
    const mine = listed.items.filter((r) => r.accountPublicId === a.publicId);
    expect(mine.map((r) => r.amount).sort()).toEqual(['100', '300000']);
    expect(mine[0]).toMatchObject({ holderName: 'Dora Dollars', threshold: '1000000' });
    expect((await aurora.call('cashControls.reports.list', { from: '2026-03-03' })).total).toBe(0);
    expect((await tina.fail('cashControls.reports.list', {})).code).toBe('FORBIDDEN');

    const csv = await aurora.call('cashControls.reports.csv', { kind: 'ctr' });
    const rows = parse(csv.csv, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(csv.rows);
    const line = rows.find((r) => r.movement_id === flagged.id)!;
    expect(line).toMatchObject({
      kind: 'ctr',
      customer_name: 'Dora Dollars',
      amount: '3000.00',
      day_cash_in: '7000.00',
      day_cash_out: '3000.00',
      threshold: '10000.00',
      conductor_name: `'=HYPERLINK("x")`,
      conductor_id_document: 'P-123',
      teller: 'User tina',
    });
  });

  it('two counters at once cannot both stay under the threshold for one customer', async () => {
    const a = await fundedAccount('5000000', 'Rita Race');
    resultOf(await depositCash(tina, a.id, '900000'));
    const answers = await Promise.all([tina, tom, hugo].map((c) => depositCash(c, a.id, '60000')));
    const ok = answers.filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    expect(answers.filter((r) => !r.ok).map((r) => errorOf(r)?.code)).toEqual([
      'CONDUCTOR_REQUIRED',
      'CONDUCTOR_REQUIRED',
    ]);
  });

  it('repeated cash amounts just under the threshold raise one possible-structuring warning for the day', async () => {
    const a = await fundedAccount('5000000', 'Sid Smurf');
    const conductor = { name: 'Sid Smurf' };
    expect((await depositCash(tina, a.id, '950000')).ok).toBe(true);
    expect(await db('cash_reports').where({ account_id: a.id })).toHaveLength(0);
    const before = notices.length;
    // The second one also takes the day over the threshold: a CTR and a structuring warning.
    resultOf(await depositCash(tina, a.id, '920000', { conductor }));
    const warning = await db('cash_reports').where({ account_id: a.id, kind: 'structuring' });
    expect(warning).toHaveLength(1);
    expect(warning[0].near_threshold_count).toBe(2);
    await vi.waitFor(() =>
      expect(notices.slice(before)).toContainEqual({ type: 'cash-report', status: 'structuring' }),
    );
    // A third keeps the one warning up to date; an amount far below the band does not count.
    resultOf(await depositCash(tina, a.id, '100000', { conductor }));
    resultOf(await depositCash(tina, a.id, '990000', { conductor }));
    const updated = await db('cash_reports').where({ account_id: a.id, kind: 'structuring' });
    expect(updated).toHaveLength(1);
    expect(updated[0].near_threshold_count).toBe(3);
    const listed = await sam.call('cashControls.reports.list', { kind: 'structuring' });
    expect(listed.items.find((r) => r.accountPublicId === a.publicId)).toMatchObject({
      kind: 'structuring',
      nearThresholdCount: 3,
      amount: '990000',
    });
  });

  it('an administrator sets the limits and the threshold; they apply at once', async () => {
    expect((await tina.fail('cashControls.limits.get', {})).code).toBe('FORBIDDEN');
    const a = await fundedAccount();
    await admin.call('cashControls.limits.setRole', { commandId: cmd(), role: 'teller', limit: '700000' });
    expect((await withdraw(tina, a.id, '650000')).ok).toBe(true);
    // No limit for the role: any cash payout by it needs an override.
    const cleared = await admin.call('cashControls.limits.setRole', {
      commandId: cmd(),
      role: 'teller',
      limit: null,
    });
    expect(cleared.roleLimits.find((r) => r.role === 'teller')?.limit).toBeNull();
    expect(errorOf(await withdraw(tina, a.id, '100'))).toMatchObject({
      code: 'OVERRIDE_REQUIRED',
      params: { limitMinor: '0' },
    });
    await admin.call('cashControls.limits.setRole', { commandId: cmd(), role: 'teller', limit: '500000' });

    const b = await fundedAccount();
    const set = await admin.call('cashControls.limits.setLargeCash', {
      commandId: cmd(),
      ctrThreshold: '200000',
      structuringBandPercent: 20,
    });
    expect(set).toMatchObject({ ctrThreshold: '200000', structuringBandPercent: 20 });
    try {
      expect(errorOf(await depositCash(tina, b.id, '200000'))?.code).toBe('CONDUCTOR_REQUIRED');
      expect((await depositCash(tina, b.id, '199999')).ok).toBe(true);
    } finally {
      await admin.call('cashControls.limits.setLargeCash', {
        commandId: cmd(),
        ctrThreshold: '1000000',
        structuringBandPercent: 10,
      });
    }
    const bad = await admin.fail('cashControls.limits.setLargeCash', {
      commandId: cmd(),
      ctrThreshold: '0',
      structuringBandPercent: 10,
    });
    expect(bad.code).toBe('VALIDATION_FAILED');
    const badBand = await admin.fail('cashControls.limits.setLargeCash', {
      commandId: cmd(),
      ctrThreshold: '1000000',
      structuringBandPercent: 90,
    });
    expect(badBand.code).toBe('VALIDATION_FAILED');
  });
});
