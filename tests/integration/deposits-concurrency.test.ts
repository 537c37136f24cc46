import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertProspect } from '../fixtures/customers';
import { OMNIBUS_ACCOUNT_CODE } from '../../main/modules/deposits';
import { ADMIN, cmd, onServer, signIn, startTestBank, userWithRoles, type TestClient } from './harness';

// Workstations racing on one deposit account. Only meaningful on a PostgreSQL server: the embedded
// PGlite has a single connection, so nothing there ever runs concurrently.
const WORKSTATIONS = 8;

describe.skipIf(!onServer)('deposits under concurrency (postgres)', async () => {
  const bank = await startTestBank();
  const db = bank.services.database.knex;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { password } = await userWithRoles(bank, admin, 'tina', ['teller']);
  const { client: office } = await userWithRoles(bank, admin, 'otto', ['back_office']);
  await admin.call('accounting.openFirstFiscalYear', { commandId: cmd(), startsOn: '2026-01-01' });
  const tellers: TestClient[] = [];
  for (let i = 1; i <= WORKSTATIONS; i++) tellers.push(await signIn(bank, 'tina', password, `WS-${i}`));

  async function customer(): Promise<string> {
    const id = await insertProspect(db);
    await db('customers').insert({ id, public_id: `C-${randomUUID().slice(0, 8)}`, status: 'active' });
    return id;
  }

  it('concurrent first openers create one omnibus account and one set per type', async () => {
    const holders = await Promise.all(Array.from({ length: WORKSTATIONS }, customer));
    const opened = await Promise.all(
      holders.map((customerId) => office.raw('deposits.accounts.open', { commandId: cmd(), customerId })),
    );
    expect(opened.filter((r) => !r.ok)).toEqual([]);
    expect(await db('ledger_accounts').where({ code: OMNIBUS_ACCOUNT_CODE })).toHaveLength(1);
    expect(await db('ledger_account_sets').where({ code: 'deposit-individual-account-set' })).toHaveLength(1);
    // Two workstations opening the same customer's account at once: one account.
    const holder = await customer();
    const twice = await Promise.all(
      [0, 1].map(() => office.raw('deposits.accounts.open', { commandId: cmd(), customerId: holder })),
    );
    expect(twice.filter((r) => r.ok)).toHaveLength(1);
    expect(twice.find((r) => !r.ok)).toMatchObject({ error: { code: 'DEPOSIT_ACCOUNT_EXISTS' } });
  });

  it(`${WORKSTATIONS} workstations withdrawing from one account at once never spend more than it holds`, async () => {
    const account = await office.call('deposits.accounts.open', {
      commandId: cmd(),
      customerId: await customer(),
    });
    await tellers[0]!.call('deposits.record', {
      commandId: cmd(),
      accountId: account.id,
      amount: '100000',
      method: 'wire',
    });
    for (let round = 0; round < 3; round++) {
      const before = BigInt((await tellers[0]!.call('deposits.accounts.get', { id: account.id })).settled);
      // Each asks for 300.00: at most floor(settled / 300.00) can succeed.
      const answers = await Promise.all(
        tellers.map((t) =>
          t.raw('deposits.withdrawals.initiate', {
            commandId: cmd(),
            accountId: account.id,
            amount: '30000',
            method: 'cash',
          }),
        ),
      );
      const ok = answers.filter((a) => a.ok);
      const refused = answers.filter((a) => !a.ok).map((a) => (a.ok ? null : a.error));
      expect(
        refused.every((e) => e?.code === 'INSUFFICIENT_FUNDS'),
        JSON.stringify(refused),
      ).toBe(true);
      expect(BigInt(ok.length) * 30000n <= before).toBe(true);
      expect(ok.length).toBe(Number(before / 30000n));
      const after = await tellers[0]!.call('deposits.accounts.get', { id: account.id });
      expect(BigInt(after.settled)).toBe(before - BigInt(ok.length) * 30000n);
      // The balance rows agree with the entries (recomputed from scratch).
      const { rows } = await db.raw(
        `select coalesce(sum(case when direction = 'credit' then amount else -amount end), 0)::text as s
           from ledger_entries where account_id = ? and layer = 'settled'`,
        [account.ledgerAccountId],
      );
      expect(rows[0].s).toBe(after.settled);
      // Confirm and cancel race on each withdrawal: the first committed transition wins.
      for (const a of ok) {
        const id = (a.ok ? (a.result as { id: string }) : { id: '' }).id;
        const [c, x] = await Promise.all([
          tellers[1]!.raw('deposits.withdrawals.confirm', { commandId: cmd(), id }),
          tellers[2]!.raw('deposits.withdrawals.cancel', { commandId: cmd(), id, reason: 'Race' }),
        ]);
        const winners = [c, x].filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const loser = [c, x].find((r) => !r.ok);
        expect(loser).toMatchObject({ error: { code: 'WITHDRAWAL_STATE' } });
        const status = (await tellers[0]!.call('deposits.withdrawals.get', { id })).status;
        expect(loser?.ok ? '' : loser?.error.params.status).toBe(status);
      }
      const settledNow = await tellers[0]!.call('deposits.accounts.get', { id: account.id });
      expect(settledNow.pending).toBe('0');
    }
    const tb = await admin.call('accounting.trialBalance', {
      from: '2026-01-01',
      to: '2026-12-31',
      layer: 'all',
    });
    expect(tb.balanced).toBe(true);
  });
});
