import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertProspect } from '../fixtures/customers';
import { procedures, type ProcedureDef, type ProcedureName } from '../../shared/contract';
import { isAllowed, ROLE_PERMISSIONS, ROLES, type Role } from '../../shared/permissions';
import { procedureNames, sampleInputs, type InputContext } from '../fixtures/procedure-inputs';
import { customerRefusals } from '../fixtures/inputs/customers';
import { documentRefusals } from '../fixtures/inputs/documents';
import { governanceRefusals } from '../fixtures/inputs/governance';
import { depositRefusals } from '../fixtures/inputs/deposits';
import { tillRefusals } from '../fixtures/inputs/tills';
import { tellerJournalRefusals } from '../fixtures/inputs/teller-journal';
import { cashControlRefusals } from '../fixtures/inputs/cash-controls';
import { offlineRefusals } from '../fixtures/inputs/offline';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, userWithRoles, type TestClient } from './harness';
import { changesSince, snapshot } from './support';

type Caller = Role | 'anonymous';
type Verdict = 'allowed' | 'FORBIDDEN' | 'UNAUTHENTICATED';

/** Procedures that end, lock or re-open the caller's session run on a session of their own. */
const ON_A_FRESH_SESSION = new Set<ProcedureName>([
  'session.login',
  'session.logout',
  'session.lock',
  'session.unlock',
  'session.changePassword',
]);

/**
 * An allowed call must succeed, except where the bank's own state says no: the bank exists already,
 * or an earlier role in the walk already did the one-time thing.
 */
const EXPECTED_REFUSALS: Partial<Record<ProcedureName, string[]>> = {
  'setup.createBank': ['SETUP_ALREADY_DONE'],
  'accounting.openFirstFiscalYear': ['FISCAL_YEAR_EXISTS'],
  'accounting.closeMonth': ['MONTH_MISMATCH'],
  // The samples name no real ledger account or proposal: allowed through, then not found.
  'accounting.manual.propose': ['NOT_FOUND'],
  'accounting.manual.approve': ['NOT_FOUND'],
  'accounting.manual.reject': ['NOT_FOUND'],
  'ledger.account': ['NOT_FOUND'],
  'ledger.accountCsv': ['NOT_FOUND'],
  ...customerRefusals,
  ...documentRefusals,
  ...governanceRefusals,
  ...depositRefusals,
  ...tillRefusals,
  ...tellerJournalRefusals,
  ...cashControlRefusals,
  ...offlineRefusals,
};

describe(`permissions: every role against every procedure (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const target = await admin.call('staff.create', {
    commandId: cmd(),
    username: 'subject',
    fullName: 'Target of staff commands',
    roles: ['teller'],
    temporaryPassword: 'Temporary-Target-1!',
  });

  const users = {} as Record<Role, { username: string; password: string; client: TestClient }>;
  for (const role of ROLES) {
    const username = `user.${role}`;
    const { client, password } = await userWithRoles(bank, admin, username, [role]);
    users[role] = { username, password, client };
  }

  // Customer and document procedures act on a real holder; each module's samples say what they expect.
  const holderId = await insertProspect(bank.services.database.knex);

  let counter = 0;
  function contextFor(caller: Caller): InputContext {
    const who = users[caller === 'anonymous' ? 'teller' : caller];
    counter += 1;
    return {
      targetUserId: target.id,
      username: who.username,
      password: who.password,
      newPassword: `Changed-Pass-${counter}!`,
      unique: `${counter}`,
      holderId,
      documentId: randomUUID(),
    };
  }

  async function clientFor(caller: Caller, name: ProcedureName): Promise<TestClient> {
    if (caller === 'anonymous') return bank.connect();
    const user = users[caller];
    return ON_A_FRESH_SESSION.has(name) ? signIn(bank, user.username, user.password) : user.client;
  }

  const expected = (caller: Caller, name: ProcedureName): Verdict => {
    const access = (procedures[name] as ProcedureDef).access;
    if (caller === 'anonymous') return access === 'public' ? 'allowed' : 'UNAUTHENTICATED';
    return isAllowed([caller], access) ? 'allowed' : 'FORBIDDEN';
  };

  const callers: Caller[] = [...ROLES, 'anonymous'];
  const actual: Record<string, Record<string, Verdict>> = {};

  it('each role holds exactly the permissions of the table', async () => {
    for (const role of ROLES) {
      const session = await users[role].client.call('session.current', {});
      expect(session?.roles).toEqual([role]);
      expect(session?.permissions, role).toEqual([...ROLE_PERMISSIONS[role]].sort());
    }
  });

  it.each(callers)('%s: every procedure answers as the table says', async (caller) => {
    const unexpectedFailures: string[] = [];
    const deniedButNotCleanly: string[] = [];
    actual[caller] = {};
    for (const name of procedureNames) {
      const ctx = contextFor(caller);
      const client = await clientFor(caller, name);
      const input = sampleInputs[name](ctx as never);
      const before = expected(caller, name) === 'allowed' ? undefined : await snapshot(bank);
      const answer = await client.raw(name, input);
      const code = answer.ok ? undefined : answer.error.code;
      const verdict: Verdict = code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' ? code : 'allowed';
      actual[caller][name] = verdict;

      if (verdict === 'allowed') {
        if (code && !EXPECTED_REFUSALS[name]?.includes(code)) unexpectedFailures.push(`${name}: ${code}`);
        if (name === 'session.changePassword' && caller !== 'anonymous' && answer.ok) {
          users[caller].password = ctx.newPassword;
        }
      } else if (before) {
        // A refusal is evidence: one 'Denied' record naming the caller, and nothing else written.
        const { changedTables, audit } = await changesSince(bank, before);
        const record = audit[0];
        const clean =
          changedTables.length === 0 &&
          audit.length === 1 &&
          record?.action === name &&
          record.outcome === 'Denied' &&
          record.metadata.error === verdict &&
          record.actor_username === (caller === 'anonymous' ? null : users[caller].username);
        if (!clean) deniedButNotCleanly.push(`${name}: ${JSON.stringify({ changedTables, audit })}`);
      }
    }
    expect(actual[caller]).toEqual(Object.fromEntries(procedureNames.map((n) => [n, expected(caller, n)])));
    expect(unexpectedFailures).toEqual([]);
    expect(deniedButNotCleanly).toEqual([]);
  });

  it('the whole matrix equals the table', () => {
    const table = Object.fromEntries(
      callers.map((c) => [c, Object.fromEntries(procedureNames.map((n) => [n, expected(c, n)]))]),
    );
    expect(actual).toEqual(table);
  });

  it('the walk covered every kind of verdict', () => {
    const verdicts = new Set(Object.values(actual).flatMap((row) => Object.values(row)));
    expect([...verdicts].sort()).toEqual(['FORBIDDEN', 'UNAUTHENTICATED', 'allowed']);
  });

  it('a teller refused a staff command writes nothing but the Denied record, and the command id stays unused', async () => {
    const teller = users.teller.client;
    const input = {
      commandId: cmd(),
      username: 'mallory',
      fullName: 'Mallory',
      roles: ['admin' as const],
      temporaryPassword: 'Sneaky-Password-1!',
    };
    const before = await snapshot(bank);
    expect((await teller.fail('staff.create', input)).code).toBe('FORBIDDEN');
    const { changedTables, audit } = await changesSince(bank, before);
    expect(changedTables).toEqual([]);
    expect(audit).toMatchObject([
      {
        action: 'staff.create',
        outcome: 'Denied',
        actor_username: 'user.teller',
        command_id: null,
        metadata: { error: 'FORBIDDEN' },
      },
    ]);
    // The refused command left no trace in the command log: an administrator may use the id.
    const created = await admin.call('staff.create', { ...input, roles: ['teller'] });
    expect(created.username).toBe('mallory');
  });
});
