import { randomUUID } from 'node:crypto';
import { pdf, png, sha256 } from '../fixtures/document-files';
import { USD_DENOMINATIONS } from '../fixtures/inputs/tills';
import { describe, expect, it } from 'vitest';
import { insertProspect } from '../fixtures/customers';
import { ADMIN, cmd, dbLabel, onServer, signIn, startTestBank, userWithRoles } from './harness';
import { untilBlockedOnLocks } from './support';
import { countedAmount as sum, openTillDay, type Counts } from '../fixtures/tills';
import { CASH_OVER_ACCOUNT_CODE, CASH_SHORT_ACCOUNT_CODE } from '../../main/modules/tills';

const allZero = ['10000', '5000', '2000', '1000', '500', '200', '100', '50', '25', '10', '5', '1'];
/** A close count: every denomination listed, zeros included. */
const fullCount = (c: Counts): Counts =>
  allZero.map((value) => ({ value, count: c.find((d) => d.value === value)?.count ?? 0 }));

// A race needs a bank server: PGlite has one connection, so its transactions never overlap.
if (onServer) {
  describe('tills: two workstations at once (postgres)', async () => {
    const bank = await startTestBank();
    const db = bank.services.database.knex;
    const admin = await signIn(bank, ADMIN.username, ADMIN.password);
    const { client: tina } = await userWithRoles(bank, admin, 'tina', ['teller']);
    const { client: tom } = await userWithRoles(bank, admin, 'tom', ['teller']);
    const branch = await admin.call('tills.branches.create', {
      commandId: cmd(),
      code: 'RACE',
      name: 'Race',
      currency: 'USD',
      closeTolerance: '0',
    });
    const till = await admin.call('tills.create', {
      commandId: cmd(),
      branchId: branch.id,
      code: 'T1',
      name: 'Till',
    });

    it('opens a till once when two tellers open it at the same moment', async () => {
      const input = () => ({
        commandId: cmd(),
        tillId: till.id,
        amount: '2000',
        denominations: [{ value: '2000', count: 1 }],
      });
      // Both opens are held at the till until each is in flight, then let go together.
      let release!: () => void;
      const held = db.transaction(async (trx) => {
        await trx('tills').where({ id: till.id }).forUpdate().first();
        await new Promise<void>((resolve) => (release = resolve));
      });
      const racing = Promise.all([tina.raw('tills.open', input()), tom.raw('tills.open', input())]);
      await untilBlockedOnLocks(bank, 2);
      release();
      await held;
      const results = await racing;
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const refused = results.find((r) => !r.ok);
      expect(refused && !refused.ok && refused.error.code).toBe('TILL_ALREADY_OPEN');
      expect(await db('till_sessions').where({ till_id: till.id })).toHaveLength(1);
    });
  });
}

describe(`tills: branches, vaults, the teller's day (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const db = bank.services.database.knex;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: tina } = await userWithRoles(bank, admin, 'tina', ['teller']);
  const { client: tom } = await userWithRoles(bank, admin, 'tom', ['teller']);
  const { client: hank } = await userWithRoles(bank, admin, 'hank', ['head_teller']);
  const { client: sam } = await userWithRoles(bank, admin, 'sam', ['supervisor']);
  const { client: office } = await userWithRoles(bank, admin, 'otto', ['back_office']);
  // The fiscal year starts in March so that March can be closed once the business date is April.
  await admin.call('accounting.openFirstFiscalYear', { commandId: cmd(), startsOn: '2026-03-01' });
  await admin.call('governance.policies.set', {
    commandId: cmd(),
    processType: 'withdraw',
    currency: 'USD',
    tiers: [{ upTo: null, committeeId: null, threshold: null }],
  });

  async function openAccount() {
    const id = await insertProspect(db, { fullName: 'Carla Cash' });
    await db('customers').insert({ id, public_id: `C-${randomUUID().slice(0, 8)}`, status: 'active' });
    return office.call('deposits.accounts.open', { commandId: cmd(), customerId: id });
  }
  const account = await openAccount();
  // A wire so the customer has money to take out in cash later.
  await office.call('deposits.record', {
    commandId: cmd(),
    accountId: account.id,
    amount: '500000',
    method: 'wire',
  });

  const branch = await admin.call('tills.branches.create', {
    commandId: cmd(),
    code: 'MAIN',
    name: 'Main Street',
    currency: 'USD',
    closeTolerance: '500',
  });
  const t1 = await admin.call('tills.create', {
    commandId: cmd(),
    branchId: branch.id,
    code: 'T1',
    name: 'Till 1',
  });
  const t2 = await admin.call('tills.create', {
    commandId: cmd(),
    branchId: branch.id,
    code: 'T2',
    name: 'Till 2',
  });
  const vaultCash: Counts = [
    { value: '10000', count: 50 },
    { value: '2000', count: 100 },
    { value: '1000', count: 50 },
    { value: '500', count: 40 },
    { value: '100', count: 100 },
    { value: '25', count: 40 },
  ];
  await admin.call('tills.vault.receive', {
    commandId: cmd(),
    branchId: branch.id,
    amount: String(sum(vaultCash)),
    denominations: vaultCash,
  });
  const opening: Counts = [
    { value: '2000', count: 40 },
    { value: '1000', count: 10 },
    { value: '500', count: 20 },
    { value: '100', count: 50 },
    { value: '25', count: 40 },
  ];

  const balanceOf = async (ledgerAccountId: string) =>
    (await bank.services.ledger.balance(db, ledgerAccountId)).settled;
  const holdings = async (holderId: string) =>
    (await db('till_cash_holdings').where({ holder_id: holderId }).select('value', 'count')).reduce(
      (t: bigint, r: { value: string; count: string }) => t + BigInt(r.value) * BigInt(r.count),
      0n,
    );
  const deposit = (client = tina, amount: string, denominations: Counts, tillId = t1.id, commandId = cmd()) =>
    client.call('deposits.record', {
      commandId,
      accountId: account.id,
      amount,
      method: 'cash',
      counter: { tillId, denominations },
    });
  async function withdraw(amount: string, denominations: Counts, tillId = t1.id) {
    const w = await tina.call('deposits.withdrawals.initiate', {
      commandId: cmd(),
      accountId: account.id,
      amount,
      method: 'cash',
      counter: { tillId },
    });
    expect(w.status).toBe('pending_confirmation');
    return tina.call('deposits.withdrawals.confirm', {
      commandId: cmd(),
      id: w.id,
      counter: { tillId, denominations },
    });
  }
  /** The stored movements of a holder: each one's counts add up to its amount. */
  async function movementsAgree(holderId: string) {
    const rows = await db('till_cash_movements').where({ holder_id: holderId });
    for (const r of rows) expect(sum(r.denominations), r.kind).toBe(BigInt(r.amount));
    return rows.reduce((t: bigint, r: { amount: string }) => t + BigInt(r.amount), 0n);
  }

  it('gives every vault and till its own overdraft-prevented cash account under Cash and Equivalents', async () => {
    const accounts = await db('ledger_accounts').whereIn('id', [
      branch.vaultLedgerAccountId,
      t1.ledgerAccountId,
      t2.ledgerAccountId,
    ]);
    expect(accounts).toHaveLength(3);
    for (const a of accounts) expect(a).toMatchObject({ normal_balance: 'debit', prevent_overdraft: true });
    const points = (await admin.call('accounting.integration.get', {})).points;
    expect(points.find((p) => p.setCode === 'till-cash-account-set')).toMatchObject({ attached: true });
    expect(await balanceOf(branch.vaultLedgerAccountId)).toBe(sum(vaultCash));
    expect(await holdings(branch.id)).toBe(sum(vaultCash));
  });

  it('opens the day: the teller asks with a count, a second person confirms with the same count', async () => {
    const transfer = await tina.call('tills.open', {
      commandId: cmd(),
      tillId: t1.id,
      amount: String(sum(opening)),
      denominations: opening,
    });
    expect(transfer).toMatchObject({ status: 'pending', purpose: 'opening', direction: 'to_till' });
    expect((await tina.call('tills.mine', {}))?.session.status).toBe('opening');
    // The teller cannot confirm their own transfer (nor could they: no till.supervise).
    expect(
      (
        await tina.fail('tills.transfers.confirm', {
          commandId: cmd(),
          transferId: transfer.id,
          denominations: opening,
        })
      ).code,
    ).toBe('FORBIDDEN');
    const wrong = opening.map((d) => (d.value === '25' ? { ...d, count: 39 } : d));
    expect(
      (
        await hank.fail('tills.transfers.confirm', {
          commandId: cmd(),
          transferId: transfer.id,
          denominations: wrong,
        })
      ).code,
    ).toBe('TILL_CONFIRM_MISMATCH');
    const done = await hank.call('tills.transfers.confirm', {
      commandId: cmd(),
      transferId: transfer.id,
      denominations: opening,
    });
    expect(done.status).toBe('confirmed');
    expect(await balanceOf(t1.ledgerAccountId)).toBe(sum(opening));
    expect(await balanceOf(branch.vaultLedgerAccountId)).toBe(sum(vaultCash) - sum(opening));
    expect(await holdings(t1.id)).toBe(sum(opening));
    const mine = await tina.call('tills.mine', {});
    expect(mine?.session).toMatchObject({ status: 'open', openingAmount: String(sum(opening)) });
    // Blind: the teller's own view carries no expected figure.
    expect(JSON.stringify(mine)).not.toContain('expected');
  });

  it('refuses a second open of the same till, by anyone', async () => {
    for (const client of [tina, tom]) {
      const e = await client.fail('tills.open', {
        commandId: cmd(),
        tillId: t1.id,
        amount: '2000',
        denominations: [{ value: '2000', count: 1 }],
      });
      expect(e.code).toBe('TILL_ALREADY_OPEN');
    }
  });

  it('refuses a teller a second till, taken codes, and retiring a denomination a till still holds', async () => {
    const notes = [{ value: '2000', count: 1 }];
    const second = await tina.fail('tills.open', {
      commandId: cmd(),
      tillId: t2.id,
      amount: '2000',
      denominations: notes,
    });
    expect(second.code).toBe('TILL_HAS_LIVE_SESSION');
    const branchCode = await admin.fail('tills.branches.create', {
      commandId: cmd(),
      code: 'main',
      name: 'Again',
      currency: 'USD',
      closeTolerance: '0',
    });
    expect(branchCode.code).toBe('BRANCH_CODE_TAKEN');
    const tillCode = await admin.fail('tills.create', {
      commandId: cmd(),
      branchId: branch.id,
      code: 't1',
      name: 'Again',
    });
    expect(tillCode.code).toBe('TILL_CODE_TAKEN');
    const retire = await admin.fail('tills.denominations.set', {
      commandId: cmd(),
      currency: 'USD',
      items: USD_DENOMINATIONS.filter(([value]) => value !== '2000').map(([value, kind]) => ({
        value,
        kind,
      })),
    });
    expect(retire).toMatchObject({ code: 'TILL_DENOMINATION_IN_USE', params: { values: ['2000'] } });
    expect((await tina.call('tills.denominations.list', {})).find((d) => d.value === '2000')?.active).toBe(
      true,
    );
  });

  it('refuses counts that do not add up, negative counts and denominations the currency does not have', async () => {
    const before = await balanceOf(t1.ledgerAccountId);
    const cases: [Counts, string][] = [
      [[{ value: '2000', count: 2 }], 'TILL_COUNTS_MISMATCH'],
      [
        [
          { value: '2000', count: 3 },
          { value: '1000', count: -1 },
        ],
        'TILL_COUNT_NEGATIVE',
      ],
      [
        [
          { value: '300', count: 1 },
          { value: '2000', count: 2 },
          { value: '700', count: 1 },
        ],
        'TILL_DENOMINATION_UNKNOWN',
      ],
      [[], 'TILL_DENOMINATIONS_REQUIRED'],
    ];
    for (const [denominations, code] of cases) {
      const e = await tina.fail('deposits.record', {
        commandId: cmd(),
        accountId: account.id,
        amount: '5000',
        method: 'cash',
        counter: { tillId: t1.id, denominations },
      });
      expect(e.code, code).toBe(code);
    }
    expect(await balanceOf(t1.ledgerAccountId)).toBe(before);
  });

  it("refuses a till that is not the teller's or not open", async () => {
    const notes = [{ value: '2000', count: 1 }];
    expect((await deposit(tom, '2000', notes, t1.id).catch((e) => e.payload)).code).toBe('TILL_NOT_YOURS');
    expect((await deposit(tina, '2000', notes, t2.id).catch((e) => e.payload)).code).toBe('TILL_NOT_OPEN');
    const e = await tom.fail('deposits.withdrawals.initiate', {
      commandId: cmd(),
      accountId: account.id,
      amount: '2000',
      method: 'cash',
      counter: { tillId: t1.id },
    });
    expect(e.code).toBe('TILL_NOT_YOURS');
  });

  it('keeps the till balance = opening + cash in - cash out, with counts that agree, after a sequence', async () => {
    const commandId = cmd();
    const first = await deposit(
      tina,
      '5000',
      [
        { value: '2000', count: 2 },
        { value: '1000', count: 1 },
      ],
      t1.id,
      commandId,
    );
    // The same command again (a retry) does nothing twice.
    const again = await deposit(
      tina,
      '5000',
      [
        { value: '2000', count: 2 },
        { value: '1000', count: 1 },
      ],
      t1.id,
      commandId,
    );
    expect(again.id).toBe(first.id);
    await deposit(tina, '12525', [
      { value: '10000', count: 1 },
      { value: '2000', count: 1 },
      { value: '500', count: 1 },
      { value: '25', count: 1 },
    ]);
    await withdraw('3000', [
      { value: '2000', count: 1 },
      { value: '1000', count: 1 },
    ]);
    await deposit(tina, '700', [
      { value: '500', count: 1 },
      { value: '100', count: 2 },
    ]);
    const suggestion = await tina.call('tills.suggestPayout', { tillId: t1.id, amount: '16000' });
    expect(sum(suggestion.denominations!)).toBe(16000n);
    await withdraw('16000', suggestion.denominations!);
    const cashIn = 5000n + 12525n + 700n;
    const cashOut = 3000n + 16000n;
    const expected = sum(opening) + cashIn - cashOut;
    expect(await balanceOf(t1.ledgerAccountId)).toBe(expected);
    expect(await holdings(t1.id)).toBe(expected);
    expect(await movementsAgree(t1.id)).toBe(expected);
    expect(await db('till_cash_movements').where({ subject_id: first.id })).toHaveLength(1);
    // Cash deposits post against the till, not the omnibus.
    const tx = await db('ledger_entries').where({ transaction_id: first.ledgerTransactionId });
    expect(tx.map((e: { account_id: string }) => e.account_id)).toContain(t1.ledgerAccountId);
  });

  it('never lets a till go below zero: a payout of notes it does not hold is refused', async () => {
    const before = await balanceOf(t1.ledgerAccountId);
    const big = String(before + 10000n);
    const w = await tina.call('deposits.withdrawals.initiate', {
      commandId: cmd(),
      accountId: account.id,
      amount: big,
      method: 'cash',
      counter: { tillId: t1.id },
    });
    const e = await tina.fail('deposits.withdrawals.confirm', {
      commandId: cmd(),
      id: w.id,
      counter: { tillId: t1.id, denominations: [{ value: '1', count: Number(big) }] },
    });
    expect(e.code).toBe('TILL_DENOMINATION_SHORT');
    expect((await tina.call('tills.suggestPayout', { tillId: t1.id, amount: big })).denominations).toBeNull();
    // Going around the holdings: the ledger itself refuses the overdraft of the till account.
    await expect(
      db.transaction(async (trx) => {
        const { CASH_TRANSFER } = await import('../../main/modules/tills/templates');
        await bank.services.ledger.post(
          trx,
          CASH_TRANSFER,
          { from: t1.ledgerAccountId, to: branch.vaultLedgerAccountId, amount: before + 1n, currency: 'USD' },
          { idempotencyKey: `test:${randomUUID()}`, effectiveDate: '2026-03-02' },
          new Date(),
        );
      }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    await tina.call('deposits.withdrawals.cancel', {
      commandId: cmd(),
      id: w.id,
      reason: 'Not enough cash at the till',
    });
    expect(await balanceOf(t1.ledgerAccountId)).toBe(before);
  });

  it('reverts a cash deposit through the open till, taking its notes back out', async () => {
    const before = await balanceOf(t1.ledgerAccountId);
    const d = await deposit(tina, '2000', [{ value: '2000', count: 1 }]);
    await office.call('deposits.revert', { commandId: cmd(), id: d.id, reason: 'Wrong account' });
    expect(await balanceOf(t1.ledgerAccountId)).toBe(before);
    expect(await holdings(t1.id)).toBe(before);
  });

  it('refuses a month close while a till session of that month is open', async () => {
    await db('bank').update({ business_date: '2026-04-01' });
    try {
      const e = await admin.fail('accounting.closeMonth', { commandId: cmd(), confirmMonth: '2026-03' });
      expect(e.code).toBe('MONTH_CLOSE_TILLS_OPEN');
      expect(e.params).toMatchObject({ month: '2026-03', tills: 1 });
    } finally {
      await db('bank').update({ business_date: '2026-03-02' });
    }
  });

  it('closes with a blind count: a missing denomination is refused, a small shortage posts to cash short', async () => {
    const expected = await balanceOf(t1.ledgerAccountId);
    const held = await db('till_cash_holdings').where({ holder_id: t1.id }).andWhere('count', '>', 0);
    const count: Counts = held.map((r: { value: string; count: string }) => ({
      value: String(r.value),
      count: Number(r.count),
    }));
    const e = await tina.fail('tills.close', {
      commandId: cmd(),
      tillId: t1.id,
      denominations: count.filter((d) => d.value !== '25'),
    });
    expect(e.code).toBe('TILL_COUNT_INCOMPLETE');
    // Two dollars short: two one-dollar notes fewer than the drawer should hold.
    const short = fullCount(count).map((d) => (d.value === '100' ? { ...d, count: d.count - 2 } : d));
    const vaultBefore = await balanceOf(branch.vaultLedgerAccountId);
    const shortAccount = (await db('ledger_accounts').where({ code: CASH_SHORT_ACCOUNT_CODE }).first())?.id;
    const shortBefore = shortAccount ? await balanceOf(shortAccount) : 0n;
    const result = await tina.call('tills.close', { commandId: cmd(), tillId: t1.id, denominations: short });
    expect(result).toMatchObject({
      status: 'closed',
      difference: '-200',
      needsSignOff: false,
      counted: String(expected - 200n),
    });
    expect(await balanceOf(t1.ledgerAccountId)).toBe(0n);
    expect(await holdings(t1.id)).toBe(0n);
    expect(await movementsAgree(t1.id)).toBe(0n);
    expect(await balanceOf(branch.vaultLedgerAccountId)).toBe(vaultBefore + expected - 200n);
    expect(await holdings(branch.id)).toBe(vaultBefore + expected - 200n);
    const shortId = (await db('ledger_accounts').where({ code: CASH_SHORT_ACCOUNT_CODE }).first()).id;
    expect(await balanceOf(shortId)).toBe(shortBefore + 200n);
    expect(await tina.call('tills.mine', {})).toBeNull();
    // Closed: the teller cannot take cash on it any more.
    expect((await deposit(tina, '2000', [{ value: '2000', count: 1 }]).catch((x) => x.payload)).code).toBe(
      'TILL_NOT_OPEN',
    );
  });

  it('reverts a cash deposit of a closed till against the vault', async () => {
    const movement = await db('till_cash_movements')
      .where({ holder_id: t1.id, kind: 'deposit' })
      .orderBy('at')
      .first();
    const vaultBefore = await balanceOf(branch.vaultLedgerAccountId);
    await office.call('deposits.revert', {
      commandId: cmd(),
      id: movement.subject_id,
      reason: 'Counterfeit found',
    });
    expect(await balanceOf(branch.vaultLedgerAccountId)).toBe(vaultBefore - BigInt(movement.amount));
    expect(await holdings(branch.id)).toBe(vaultBefore - BigInt(movement.amount));
  });

  it('needs another supervisor to sign off a difference above tolerance', async () => {
    const notes: Counts = [{ value: '2000', count: 10 }];
    const open = await hank.call('tills.open', {
      commandId: cmd(),
      tillId: t2.id,
      amount: '20000',
      denominations: notes,
    });
    expect(
      (
        await hank.fail('tills.transfers.confirm', {
          commandId: cmd(),
          transferId: open.id,
          denominations: notes,
        })
      ).code,
    ).toBe('SAME_PERSON');
    await sam.call('tills.transfers.confirm', {
      commandId: cmd(),
      transferId: open.id,
      denominations: notes,
    });
    // Ten dollars short, over the five-dollar tolerance.
    const result = await hank.call('tills.close', {
      commandId: cmd(),
      tillId: t2.id,
      denominations: fullCount([
        { value: '2000', count: 9 },
        { value: '1000', count: 0 },
      ]),
    });
    expect(result).toMatchObject({ status: 'awaiting_sign_off', difference: '-2000', needsSignOff: true });
    expect(await balanceOf(t2.ledgerAccountId)).toBe(20000n);
    const position = await sam.call('tills.position', { branchId: branch.id });
    expect(position.tills.find((t) => t.till.id === t2.id)).toMatchObject({
      expected: '20000',
      counted: '18000',
      difference: '-2000',
    });
    expect(
      (await tina.fail('tills.signOff', { commandId: cmd(), sessionId: result.sessionId, note: 'ok' })).code,
    ).toBe('FORBIDDEN');
    expect(
      (await hank.fail('tills.signOff', { commandId: cmd(), sessionId: result.sessionId, note: 'ok' })).code,
    ).toBe('SAME_PERSON');
    const signed = await sam.call('tills.signOff', {
      commandId: cmd(),
      sessionId: result.sessionId,
      note: 'Recounted twice',
    });
    expect(signed).toMatchObject({ status: 'closed', difference: '-2000' });
    expect(await balanceOf(t2.ledgerAccountId)).toBe(0n);
    expect(
      (await sam.fail('tills.signOff', { commandId: cmd(), sessionId: result.sessionId, note: 'again' }))
        .code,
    ).toBe('TILL_SESSION_STATE');
  });

  it('posts cash over to revenue', async () => {
    const notes: Counts = [{ value: '1000', count: 5 }];
    await openTillDay(tom, hank, t2.id, notes);
    const result = await tom.call('tills.close', {
      commandId: cmd(),
      tillId: t2.id,
      denominations: fullCount([
        { value: '1000', count: 5 },
        { value: '100', count: 1 },
      ]),
    });
    expect(result).toMatchObject({ status: 'closed', difference: '100' });
    const over = (await db('ledger_accounts').where({ code: CASH_OVER_ACCOUNT_CODE }).first()).id;
    expect(await balanceOf(over)).toBe(100n);
  });

  it('reverts a cash payout through the open till, taking its notes back in', async () => {
    const notes: Counts = [{ value: '1000', count: 3 }];
    await openTillDay(tom, sam, t2.id, notes);
    const w = await tom.call('deposits.withdrawals.initiate', {
      commandId: cmd(),
      accountId: account.id,
      amount: '1000',
      method: 'cash',
      counter: { tillId: t2.id },
    });
    // Started at a till, paid at a till: not from the back office's omnibus.
    const elsewhere = await office.fail('deposits.withdrawals.confirm', { commandId: cmd(), id: w.id });
    expect(elsewhere).toMatchObject({ code: 'TILL_PAYOUT_REQUIRED', params: { till: 'T2' } });
    await tom.call('deposits.withdrawals.confirm', {
      commandId: cmd(),
      id: w.id,
      counter: { tillId: t2.id, denominations: [{ value: '1000', count: 1 }] },
    });
    expect(await balanceOf(t2.ledgerAccountId)).toBe(2000n);
    await office.call('deposits.withdrawals.revert', {
      commandId: cmd(),
      id: w.id,
      reason: 'Customer returned the cash',
    });
    expect(await balanceOf(t2.ledgerAccountId)).toBe(3000n);
    expect(await holdings(t2.id)).toBe(3000n);
    expect(await movementsAgree(t2.id)).toBe(3000n);
    const closed = await tom.call('tills.close', {
      commandId: cmd(),
      tillId: t2.id,
      denominations: fullCount(notes),
    });
    expect(closed).toMatchObject({ status: 'closed', difference: '0' });
  });

  it('lets a supervisor refuse an opening transfer, which ends the session; a teller only their own', async () => {
    const notes: Counts = [{ value: '2000', count: 1 }];
    const open = await tina.call('tills.open', {
      commandId: cmd(),
      tillId: t1.id,
      amount: '2000',
      denominations: notes,
    });
    const e = await tom.fail('tills.transfers.cancel', {
      commandId: cmd(),
      transferId: open.id,
      reason: 'Not mine',
    });
    expect(e.code).toBe('FORBIDDEN');
    const cancelled = await sam.call('tills.transfers.cancel', {
      commandId: cmd(),
      transferId: open.id,
      reason: 'Recount',
    });
    expect(cancelled.status).toBe('cancelled');
    expect(await tina.call('tills.mine', {})).toBeNull();
  });

  it("shows the customer's ID photo and signature at the counter, images only, named ones first", async () => {
    const holderId = (await db('deposit_accounts').where({ id: account.id }).first()).holder_id;
    const upload = async (fileName: string, bytes: Buffer) => {
      const begun = await office.call('documents.upload.begin', {
        commandId: cmd(),
        holderId,
        fileName,
        size: bytes.length,
        sha256: sha256(bytes),
      });
      await office.call('documents.upload.chunk', {
        uploadId: begun.uploadId,
        index: 0,
        data: bytes.toString('base64'),
      });
      return office.call('documents.upload.commit', { commandId: cmd(), uploadId: begun.uploadId });
    };
    await upload('statement.pdf', pdf());
    await upload('holiday.png', png(1));
    const signature = await upload('signature.png', png(2));
    const passport = await upload('passport-scan.png', png(3));
    const { images } = await tina.call('tills.counter.identity', { customerId: holderId });
    expect(images.map((i) => i.name).sort()).toEqual(['passport-scan.png', 'signature.png']);
    const shown = images.find((i) => i.documentId === signature.id)!;
    expect(Buffer.from(shown.data, 'base64')).toEqual(png(2));
    expect(images.map((i) => i.documentId)).toContain(passport.id);
  });

  it("writes the teller's journal: opening, vault transfers, counts, closing and sign-off", async () => {
    const kinds = (await db('teller_journal').select('kind')).map((r: { kind: string }) => r.kind);
    for (const kind of ['till-open', 'cash-count', 'till-close', 'close-sign-off'])
      expect(kinds, kind).toContain(kind);
  });

  it('lets the month close once every till of it is closed, and shows the branch position', async () => {
    const position = await sam.call('tills.position', { branchId: branch.id });
    expect(position.tills.every((t) => t.expected === '0' && t.session === null)).toBe(true);
    expect(position.total).toBe(position.vault.expected);
    expect(BigInt(position.vault.expected)).toBe(await holdings(branch.id));
    await db('bank').update({ business_date: '2026-04-01' });
    try {
      const closed = await admin.call('accounting.closeMonth', { commandId: cmd(), confirmMonth: '2026-03' });
      expect(closed.closedAsOf).toBe('2026-03-31');
    } finally {
      await db('bank').update({ business_date: '2026-03-02' });
    }
  });
});
