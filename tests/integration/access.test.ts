import { describe, expect, it, vi } from 'vitest';
import { ADMIN, cmd, dbLabel, onServer, signIn, startTestBank } from './harness';
import {
  changesSince,
  countRows,
  currentUserId,
  minutes,
  recordAnswers,
  seconds,
  snapshot,
  untilBlockedOnLocks,
} from './support';

const TELLER_TEMP = 'Temporary-Teller-7!';
const NEW_PASSWORDS = ['Teller-Own-Secret-8!', 'Teller-Newer-Secret-9!', 'Unlock-Me-Secret-10!'];
const WRONG = 'Wrong-Password-00!';

describe(`access: setup, sign-in, sessions and staff (${dbLabel})`, async () => {
  const bank = await startTestBank({ setup: false });
  const answers = recordAnswers(bank);
  const passwordsUsed = new Set<string>([ADMIN.password, TELLER_TEMP, WRONG, ...NEW_PASSWORDS]);
  const setupInput = (
    admin: Partial<{ username: string; password: string; passwordConfirmation: string }>,
  ) => ({
    commandId: cmd(),
    bankName: 'First Test Bank',
    businessDate: '2026-03-02',
    admin: {
      fullName: ADMIN.fullName,
      username: ADMIN.username,
      password: ADMIN.password,
      passwordConfirmation: ADMIN.password,
      ...admin,
    },
  });

  /** A fresh administrator session: moving the clock locks older ones. */
  const asAdmin = (workstation?: string) => signIn(bank, ADMIN.username, ADMIN.password, workstation);

  /** Creates a staff user who has already chosen a personal password; returns a signed-in client. */
  async function staffUser(username: string, roles: string[], password = 'Personal-Secret-44!') {
    passwordsUsed.add(password);
    const admin = await asAdmin();
    const created = await admin.call('staff.create', {
      commandId: cmd(),
      username,
      fullName: `Staff ${username}`,
      roles: roles as never,
      temporaryPassword: TELLER_TEMP,
    });
    const client = await signIn(bank, username, TELLER_TEMP);
    await client.call('session.changePassword', {
      commandId: cmd(),
      currentPassword: TELLER_TEMP,
      newPassword: password,
    });
    return { client, id: created.id, password };
  }

  /**
   * Waits until every announcement committed so far has reached this workstation: one channel's
   * notifications arrive in commit order, so a marker sent now arrives after all of them.
   */
  async function announcementsDelivered(db: typeof bank.services.database.knex) {
    const access = bank.services.access;
    const deliver = access.bankEvent;
    const marker = cmd();
    const seen = new Promise<void>((resolve) => {
      access.bankEvent = (payload) => {
        deliver(payload);
        if (payload?.includes(marker)) resolve();
      };
    });
    try {
      await db.raw(`select pg_notify('bank_events', ?)`, [JSON.stringify({ event: 'test.marker', marker })]);
      await seen;
    } finally {
      access.bankEvent = deliver;
    }
  }

  describe('first start', () => {
    it('a new bank needs setup and nobody can sign in yet', async () => {
      const anyone = bank.connect();
      expect((await anyone.call('system.info', {})).needsSetup).toBe(true);
      expect(await anyone.call('session.current', {})).toBeNull();
      expect(
        (await anyone.fail('session.login', { username: ADMIN.username, password: ADMIN.password })).code,
      ).toBe('INVALID_CREDENTIALS');
    });

    it('setup refuses a password confirmation that does not match, and writes nothing but its audit record', async () => {
      const before = await snapshot(bank);
      const error = await bank
        .connect()
        .fail('setup.createBank', setupInput({ passwordConfirmation: `${ADMIN.password}x` }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.params.fields).toEqual(['admin.passwordConfirmation']);
      const changes = await changesSince(bank, before);
      expect(changes.changedTables).toEqual([]);
      expect(changes.audit.map((a) => [a.action, a.outcome])).toEqual([['setup.createBank', 'Failure']]);
      expect(await countRows(bank, 'bank')).toBe(0);
    });

    it('setup refuses a weak administrator password and says why', async () => {
      const short = await bank
        .connect()
        .fail('setup.createBank', setupInput({ password: 'admin', passwordConfirmation: 'admin' }));
      expect(short.code).toBe('WEAK_PASSWORD');
      expect(short.params.problems).toEqual(
        expect.arrayContaining(['tooShort', 'tooFewClasses', 'containsUsername']),
      );

      const named = 'My-Admin-Password-1';
      const containsName = await bank
        .connect()
        .fail('setup.createBank', setupInput({ password: named, passwordConfirmation: named }));
      expect(containsName).toMatchObject({
        code: 'WEAK_PASSWORD',
        params: { problems: ['containsUsername'] },
      });

      expect(await countRows(bank, 'bank')).toBe(0);
      expect(await countRows(bank, 'staff_users')).toBe(0);
      expect((await bank.connect().call('system.info', {})).needsSetup).toBe(true);
    });

    it('setup creates the bank and its first administrator, once', async () => {
      const first = bank.connect();
      expect(await first.call('setup.createBank', setupInput({}))).toEqual({ ok: true });
      const info = await first.call('system.info', {});
      expect(info).toMatchObject({
        needsSetup: false,
        bankName: 'First Test Bank',
        businessDate: '2026-03-02',
      });

      const again = await bank.connect().fail('setup.createBank', {
        ...setupInput({
          username: 'intruder',
          password: 'Intruder-Secret-1!',
          passwordConfirmation: 'Intruder-Secret-1!',
        }),
        bankName: 'Hijacked Bank',
      });
      expect(again.code).toBe('SETUP_ALREADY_DONE');
      expect((await first.call('system.info', {})).bankName).toBe('First Test Bank');
      expect(await countRows(bank, 'staff_users')).toBe(1);
    });
  });

  describe('signing in', () => {
    it('an administrator signs in with the right password', async () => {
      const admin = bank.connect('WS-LOGIN');
      const session = await admin.call('session.login', {
        username: ADMIN.username,
        password: ADMIN.password,
      });
      expect(session).toMatchObject({
        username: ADMIN.username,
        fullName: ADMIN.fullName,
        roles: ['admin'],
        workstation: 'WS-LOGIN',
        locked: false,
        mustChangePassword: false,
        idleLockMinutes: 5,
      });
      expect(session.permissions).toContain('staff.manage');
      expect(await admin.call('session.current', {})).toEqual(session);
    });

    it('the username is not case-sensitive at sign-in', async () => {
      const client = bank.connect();
      expect(
        (await client.call('session.login', { username: 'ADMIN', password: ADMIN.password })).username,
      ).toBe('admin');
    });

    it('a wrong password and an unknown username get the very same refusal', async () => {
      const wrong = await bank.connect().fail('session.login', { username: ADMIN.username, password: WRONG });
      const unknown = await bank.connect().fail('session.login', { username: 'nobody', password: WRONG });
      expect(wrong.code).toBe('INVALID_CREDENTIALS');
      expect(unknown).toEqual(wrong);
    });

    it('a disabled user is refused even with the right password, and told so only then', async () => {
      const { id, password } = await staffUser('dora', ['teller']);
      const admin = await asAdmin();
      await admin.call('staff.disable', { commandId: cmd(), userId: id, reason: 'On leave' });
      expect((await bank.connect().fail('session.login', { username: 'dora', password })).code).toBe(
        'USER_DISABLED',
      );
      expect((await bank.connect().fail('session.login', { username: 'dora', password: WRONG })).code).toBe(
        'INVALID_CREDENTIALS',
      );
      await admin.call('staff.enable', { commandId: cmd(), userId: id });
      expect((await signIn(bank, 'dora', password)).conn.session?.username).toBe('dora');
    });

    it('after five failures the username is throttled, and moving the clock lifts it', async () => {
      const { password } = await staffUser('thea', ['teller']);
      for (let i = 0; i < 5; i++) {
        expect((await bank.connect().fail('session.login', { username: 'thea', password: WRONG })).code).toBe(
          'INVALID_CREDENTIALS',
        );
      }
      // Even the right password waits out the block.
      expect(await bank.connect().fail('session.login', { username: 'thea', password })).toMatchObject({
        code: 'LOGIN_THROTTLED',
        params: { seconds: 30 },
      });
      bank.clock.advance(seconds(29));
      expect(await bank.connect().fail('session.login', { username: 'Thea', password })).toMatchObject({
        code: 'LOGIN_THROTTLED',
        params: { seconds: 1 },
      });
      bank.clock.advance(seconds(1));
      await signIn(bank, 'thea', password);
      // A successful sign-in forgets the failures.
      expect((await bank.connect().fail('session.login', { username: 'thea', password: WRONG })).code).toBe(
        'INVALID_CREDENTIALS',
      );
      await signIn(bank, 'thea', password);
    });

    it('the block doubles with each failure after it ends', async () => {
      for (let i = 0; i < 5; i++)
        await bank.connect().fail('session.login', { username: 'ghost', password: WRONG });
      expect(
        (await bank.connect().fail('session.login', { username: 'ghost', password: WRONG })).params,
      ).toEqual({
        seconds: 30,
      });
      bank.clock.advance(seconds(30));
      expect((await bank.connect().fail('session.login', { username: 'ghost', password: WRONG })).code).toBe(
        'INVALID_CREDENTIALS',
      );
      expect(
        (await bank.connect().fail('session.login', { username: 'GHOST', password: WRONG })).params,
      ).toEqual({
        seconds: 60,
      });
    });
  });

  describe('a signed-in session', () => {
    it('a disabled teller is refused on the next call, and the session ends', async () => {
      const { client: teller, id } = await staffUser('dave', ['teller']);
      expect(await teller.call('session.activity', {})).toEqual({ ok: true });
      const admin = await asAdmin();
      await admin.call('staff.disable', { commandId: cmd(), userId: id, reason: 'Dismissed' });

      const before = await snapshot(bank);
      expect((await teller.fail('bank.settings.get', {})).code).toBe('USER_DISABLED');
      const changes = await changesSince(bank, before);
      expect(changes.changedTables).toEqual([]);
      expect(changes.audit).toMatchObject([
        { action: 'bank.settings.get', outcome: 'Denied', actor_username: 'dave' },
      ]);
      expect(teller.events).toContainEqual({ event: 'session.ended', payload: { reason: 'disabled' } });

      expect((await teller.fail('bank.settings.get', {})).code).toBe('UNAUTHENTICATED');
      expect(await teller.call('session.current', {})).toBeNull();
    });

    it('role changes apply on the next call', async () => {
      const { client: teller, id } = await staffUser('rita', ['teller']);
      expect((await teller.fail('staff.list', {})).code).toBe('FORBIDDEN');
      const admin = await asAdmin();
      await admin.call('staff.setRoles', { commandId: cmd(), userId: id, roles: ['supervisor'] });
      expect((await teller.call('staff.list', {})).map((u) => u.username)).toContain('rita');
      expect((await teller.call('session.current', {}))?.roles).toEqual(['supervisor']);
      await admin.call('staff.setRoles', { commandId: cmd(), userId: id, roles: ['teller'] });
      expect((await teller.fail('staff.list', {})).code).toBe('FORBIDDEN');
    });

    // On a bank server each workstation keeps copies of identities between calls; a change made
    // anywhere else (another workstation, an operator in psql) reaches it as the trigger's NOTIFY.
    it.runIf(onServer)(
      'a change made outside this workstation applies within moments, not after the copy expires',
      async () => {
        const { client: teller, id } = await staffUser('wanda', ['teller']);
        expect(await teller.call('session.activity', {})).toEqual({ ok: true });
        const db = bank.services.database.knex;
        await db('staff_user_roles').where({ user_id: id }).update({ role: 'auditor' });
        await vi.waitFor(
          async () => expect((await teller.call('session.current', {}))?.roles).toEqual(['auditor']),
          {
            timeout: 2_000,
            interval: 20,
          },
        );
        await db('staff_users').where({ id }).update({ status: 'disabled' });
        await vi.waitFor(
          async () => expect((await teller.fail('session.activity', {})).code).toBe('USER_DISABLED'),
          {
            timeout: 2_000,
            interval: 20,
          },
        );
      },
    );

    it.runIf(onServer)(
      'a change nobody announces waits for the copy; losing the events drops the copy',
      async () => {
        const { client: teller, id } = await staffUser('xena', ['teller']);
        const db = bank.services.database.knex;
        // The setup's own announcements (sign-in, password change) must not drop the copy later.
        await announcementsDelivered(db);
        expect(await teller.call('session.activity', {})).toEqual({ ok: true });
        // Straight in the database with no announcement: the workstation still uses its copy...
        await db.transaction(async (trx) => {
          await trx.raw('alter table staff_users disable trigger staff_users_changed');
          await trx('staff_users').where({ id }).update({ status: 'disabled' });
          await trx.raw('alter table staff_users enable trigger staff_users_changed');
        });
        expect(await teller.call('session.activity', {})).toEqual({ ok: true });
        // ...until the events stop arriving, when every call reads the user again.
        bank.services.access.bankEventsListening(false);
        try {
          expect((await teller.fail('session.activity', {})).code).toBe('USER_DISABLED');
        } finally {
          bank.services.access.bankEventsListening(true);
        }
      },
    );

    it('an idle workstation locks after the idle minutes, and only the password unlocks it', async () => {
      const { client: teller, password } = await staffUser('ivan', ['teller']);
      bank.clock.advance(minutes(5) - 1000);
      expect(await teller.call('session.activity', {})).toEqual({ ok: true });
      bank.clock.advance(minutes(5) - 1000); // activity restarted the idle time
      expect(await teller.call('bank.settings.get', {})).toEqual({
        idleLockMinutes: 5,
        requireVerifiedCustomers: false,
      });
      bank.clock.advance(minutes(5));

      expect((await teller.fail('bank.settings.get', {})).code).toBe('WORKSTATION_LOCKED');
      expect(teller.events).toContainEqual({ event: 'session.locked', payload: { reason: 'idle' } });
      expect((await teller.fail('session.activity', {})).code).toBe('WORKSTATION_LOCKED');
      expect((await teller.call('session.current', {}))?.locked).toBe(true);
      expect((await teller.call('system.info', {})).bankName).toBe('First Test Bank');

      expect((await teller.fail('session.unlock', { password: WRONG })).code).toBe('INVALID_CREDENTIALS');
      expect((await teller.fail('session.activity', {})).code).toBe('WORKSTATION_LOCKED');
      const unlocked = await teller.call('session.unlock', { password });
      expect(unlocked).toMatchObject({ username: 'ivan', locked: false });
      expect(await teller.call('session.activity', {})).toEqual({ ok: true });
    });

    it('the idle time is a bank setting', async () => {
      const admin = await asAdmin();
      await admin.call('bank.settings.update', { commandId: cmd(), idleLockMinutes: 15 });
      const { client: teller } = await staffUser('iris', ['teller']);
      expect((await teller.call('session.current', {}))?.idleLockMinutes).toBe(15);
      bank.clock.advance(minutes(10));
      expect(await teller.call('session.activity', {})).toEqual({ ok: true });
      bank.clock.advance(minutes(15));
      expect((await teller.fail('session.activity', {})).code).toBe('WORKSTATION_LOCKED');

      const admin2 = await asAdmin();
      await admin2.call('bank.settings.update', { commandId: cmd(), idleLockMinutes: 5 });
    });

    it('a teller locks the workstation by hand; wrong passwords at the unlock screen count toward throttling', async () => {
      const { client: teller, password } = await staffUser('una', ['teller']);
      expect(await teller.call('session.lock', {})).toEqual({ ok: true });
      expect((await teller.fail('session.activity', {})).code).toBe('WORKSTATION_LOCKED');
      for (let i = 0; i < 5; i++) {
        expect((await teller.fail('session.unlock', { password: WRONG })).code).toBe('INVALID_CREDENTIALS');
      }
      expect((await teller.fail('session.unlock', { password })).code).toBe('LOGIN_THROTTLED');
      // The block is on the user, wherever they try next.
      expect((await bank.connect('WS-OTHER').fail('session.login', { username: 'una', password })).code).toBe(
        'LOGIN_THROTTLED',
      );
      bank.clock.advance(seconds(30));
      expect((await teller.call('session.unlock', { password })).locked).toBe(false);
      expect(await teller.call('session.activity', {})).toEqual({ ok: true });
    });

    it('signing out ends the session', async () => {
      const { client: teller } = await staffUser('olga', ['teller']);
      expect(await teller.call('session.logout', {})).toEqual({ ok: true });
      expect(teller.events).toContainEqual({ event: 'session.ended', payload: { reason: 'logout' } });
      expect(await teller.call('session.current', {})).toBeNull();
      expect((await teller.fail('session.activity', {})).code).toBe('UNAUTHENTICATED');
    });
  });

  describe('passwords', () => {
    it('after an administrator resets a password, the user must change it before anything else', async () => {
      const { client: old, id, password } = await staffUser('pete', ['supervisor']);
      const admin = await asAdmin();
      const reset = await admin.call('staff.resetPassword', {
        commandId: cmd(),
        userId: id,
        temporaryPassword: TELLER_TEMP,
      });
      expect(reset.mustChangePassword).toBe(true);

      // The session that was open must change the password too.
      expect((await old.fail('staff.list', {})).code).toBe('PASSWORD_CHANGE_REQUIRED');
      expect((await bank.connect().fail('session.login', { username: 'pete', password })).code).toBe(
        'INVALID_CREDENTIALS',
      );

      const pete = await signIn(bank, 'pete', TELLER_TEMP);
      expect((await pete.call('session.current', {}))?.mustChangePassword).toBe(true);
      expect((await pete.fail('staff.list', {})).code).toBe('PASSWORD_CHANGE_REQUIRED');
      expect((await pete.fail('session.activity', {})).code).toBe('PASSWORD_CHANGE_REQUIRED');

      const change = (currentPassword: string, newPassword: string) =>
        pete.fail('session.changePassword', { commandId: cmd(), currentPassword, newPassword });
      expect((await change(WRONG, NEW_PASSWORDS[1]!)).code).toBe('INVALID_CREDENTIALS');
      expect(await change(TELLER_TEMP, 'pete-is-me-2026')).toMatchObject({
        code: 'WEAK_PASSWORD',
        params: { problems: ['containsUsername'] },
      });
      expect(await change(TELLER_TEMP, TELLER_TEMP)).toMatchObject({
        code: 'WEAK_PASSWORD',
        params: { problems: ['sameAsCurrent'] },
      });

      const changed = await pete.call('session.changePassword', {
        commandId: cmd(),
        currentPassword: TELLER_TEMP,
        newPassword: NEW_PASSWORDS[1]!,
      });
      expect(changed.mustChangePassword).toBe(false);
      expect((await pete.call('staff.list', {})).length).toBeGreaterThan(1);
      expect(
        (await bank.connect().fail('session.login', { username: 'pete', password: TELLER_TEMP })).code,
      ).toBe('INVALID_CREDENTIALS');
      await signIn(bank, 'pete', NEW_PASSWORDS[1]!);
    });

    it('a password change completes even if the bank settings must be read again during it', async () => {
      // The embedded database has one connection, held by the command's transaction: a command
      // that reads anything outside its transaction waits for itself. Make the settings cache
      // expire while the new password is being hashed, as a slow workstation would.
      const { client, password } = await staffUser('cora', ['teller']);
      const changePassword = bank.services.access.changePassword;
      vi.useFakeTimers({ toFake: ['Date'] });
      bank.services.access.changePassword = (...args) => {
        vi.setSystemTime(Date.now() + minutes(10));
        return changePassword(...args);
      };
      try {
        const session = await client.call('session.changePassword', {
          commandId: cmd(),
          currentPassword: password,
          newPassword: NEW_PASSWORDS[2]!,
        });
        expect(session).toMatchObject({ username: 'cora', mustChangePassword: false, idleLockMinutes: 5 });
      } finally {
        bank.services.access.changePassword = changePassword;
        vi.useRealTimers();
      }
    }, 10_000);

    it('a temporary password must follow the password rule too', async () => {
      const admin = await asAdmin();
      const { id } = await staffUser('quin', ['teller']);
      const weak = await admin.fail('staff.resetPassword', {
        commandId: cmd(),
        userId: id,
        temporaryPassword: 'quin1234',
      });
      expect(weak.code).toBe('WEAK_PASSWORD');
      const weakNew = await admin.fail('staff.create', {
        commandId: cmd(),
        username: 'ruth',
        fullName: 'Ruth',
        roles: ['teller'],
        temporaryPassword: 'password',
      });
      expect(weakNew.code).toBe('WEAK_PASSWORD');
    });
  });

  describe('administering staff', () => {
    it('an administrator cannot disable themself', async () => {
      const admin = await asAdmin();
      const error = await admin.fail('staff.disable', {
        commandId: cmd(),
        userId: await currentUserId(admin),
        reason: 'Oops',
      });
      expect(error.code).toBe('CANNOT_DISABLE_SELF');
      expect(await admin.call('session.activity', {})).toEqual({ ok: true });
    });

    it('the last active administrator cannot be removed', async () => {
      const admin = await asAdmin();
      const adminId = await currentUserId(admin);
      expect(
        (await admin.fail('staff.setRoles', { commandId: cmd(), userId: adminId, roles: ['auditor'] })).code,
      ).toBe('LAST_ADMIN');

      const second = await staffUser('sam', ['admin']);
      await admin.call('staff.disable', { commandId: cmd(), userId: second.id, reason: 'Holiday' });
      // A disabled administrator does not count.
      expect(
        (await admin.fail('staff.setRoles', { commandId: cmd(), userId: adminId, roles: ['auditor'] })).code,
      ).toBe('LAST_ADMIN');
      await admin.call('staff.enable', { commandId: cmd(), userId: second.id });

      // With a second active administrator, the first may step down...
      const sam = await signIn(bank, 'sam', second.password);
      await admin.call('staff.setRoles', { commandId: cmd(), userId: adminId, roles: ['admin', 'auditor'] });
      await sam.call('staff.setRoles', { commandId: cmd(), userId: adminId, roles: ['auditor'] });
      expect((await admin.call('staff.list', {})).length).toBeGreaterThan(1); // auditors read staff
      expect(
        (await admin.fail('staff.disable', { commandId: cmd(), userId: second.id, reason: 'x' })).code,
      ).toBe('FORBIDDEN');
      // ...and now the second is the last one.
      expect(
        (await sam.fail('staff.setRoles', { commandId: cmd(), userId: second.id, roles: ['teller'] })).code,
      ).toBe('LAST_ADMIN');
      await sam.call('staff.setRoles', { commandId: cmd(), userId: adminId, roles: ['admin'] });
      expect(await admin.call('session.activity', {})).toEqual({ ok: true });
      expect((await admin.call('session.current', {}))?.roles).toEqual(['admin']);
      await admin.call('staff.setRoles', { commandId: cmd(), userId: second.id, roles: ['teller'] });
    });

    it.skipIf(!onServer)(
      'two administrators disabling each other at the same moment leave one active',
      async () => {
        const a = await staffUser('anna', ['admin']);
        const b = await staffUser('bert', ['admin']);
        const admin = await asAdmin();
        const adminId = await currentUserId(admin);
        await admin.call('staff.setRoles', { commandId: cmd(), userId: adminId, roles: ['auditor'] });
        // Anna and Bert are now the only active administrators. Hold both of their rows so that
        // the two commands reach their check together, then let them go.
        const hold = await bank.services.database.knex.transaction();
        await hold.raw('select id from staff_users where id in (?, ?) for update', [a.id, b.id]);
        const racing = Promise.all([
          a.client.raw('staff.disable', { commandId: cmd(), userId: b.id, reason: 'Race' }),
          b.client.raw('staff.disable', { commandId: cmd(), userId: a.id, reason: 'Race' }),
        ]);
        await untilBlockedOnLocks(bank, 2);
        await hold.commit();
        const results = await racing;
        const codes = results.map((r) => (r.ok ? 'ok' : r.error.code)).sort();
        expect(codes).toEqual(['LAST_ADMIN', 'ok']);
        const { rows } = await bank.services.database.knex.raw(
          `select count(*)::int as n from staff_users u join staff_user_roles r on r.user_id = u.id
          where r.role = 'admin' and u.status = 'active'`,
        );
        expect(rows[0].n).toBe(1);
        const survivor = results[0]!.ok ? a.client : b.client;
        await survivor.call('staff.setRoles', { commandId: cmd(), userId: adminId, roles: ['admin'] });
      },
    );

    it('usernames are unique whatever their case', async () => {
      const admin = await asAdmin();
      await staffUser('tina', ['teller']);
      const before = await snapshot(bank);
      const taken = await admin.fail('staff.create', {
        commandId: cmd(),
        username: 'TINA',
        fullName: 'Another Tina',
        roles: ['teller'],
        temporaryPassword: TELLER_TEMP,
      });
      expect(taken).toMatchObject({ code: 'USERNAME_TAKEN', params: { username: 'TINA' } });
      expect((await changesSince(bank, before)).changedTables).toEqual([]);
    });
  });

  describe('evidence', () => {
    it('sign-ins, failed sign-ins and sign-outs leave audit records', async () => {
      const client = bank.connect('WS-EVIDENCE');
      await client.fail('session.login', { username: ADMIN.username, password: WRONG });
      await client.call('session.login', { username: ADMIN.username, password: ADMIN.password });
      await client.call('session.logout', {});
      const { rows } = await bank.services.database.knex.raw(
        `select action, outcome, actor_username, metadata from audit_log where workstation = 'WS-EVIDENCE' order by seq`,
      );
      expect(rows).toMatchObject([
        {
          action: 'session.login',
          outcome: 'Failure',
          actor_username: null,
          metadata: { username: 'admin', error: 'INVALID_CREDENTIALS' },
        },
        { action: 'session.login', outcome: 'Success', actor_username: 'admin' },
        { action: 'session.logout', outcome: 'Success', actor_username: 'admin' },
      ]);
    });

    it('every accepted command has its audit record, with the command id', async () => {
      const { rows } = await bank.services.database.knex.raw(
        `select c.command_id, c.procedure,
                (select count(*)::int from audit_log a
                  where a.command_id = c.command_id and a.action = c.procedure and a.outcome = 'Success') as records
           from command_log c`,
      );
      expect(rows.length).toBeGreaterThan(20);
      for (const row of rows) expect(row.records, `${row.procedure} ${row.command_id}`).toBe(1);
      const procedures = new Set(rows.map((r: { procedure: string }) => r.procedure));
      for (const p of [
        'setup.createBank',
        'staff.create',
        'staff.disable',
        'staff.enable',
        'staff.setRoles',
      ]) {
        expect(procedures).toContain(p);
      }
    });

    it('no answer ever carries a password or a password hash', async () => {
      // Every staff listing and audit listing, as the last word.
      const admin = await asAdmin();
      await admin.call('staff.list', {});
      await admin.call('audit.list', { limit: 500 });
      expect(answers.length).toBeGreaterThan(100);
      const everything = answers.join('\n');
      expect(everything).not.toContain('scrypt$');
      expect(everything).not.toMatch(/password_?hash/i);
      for (const password of passwordsUsed) expect(everything).not.toContain(password);
    });

    it('neither the audit log nor the command log holds a password or its hash', async () => {
      const { rows } = await bank.services.database.knex.raw(
        `select (select string_agg(a::text, '\n') from audit_log a) as audit,
                (select string_agg(c::text, '\n') from command_log c) as commands`,
      );
      const stored = `${rows[0].audit}\n${rows[0].commands}`;
      expect(stored).not.toContain('scrypt$');
      for (const password of passwordsUsed) expect(stored).not.toContain(password);
    });

    it('the audit chain is intact after all of this', async () => {
      const admin = await asAdmin();
      const verification = await admin.call('audit.verify', {});
      expect(verification.problems).toEqual([]);
      expect(verification.intact).toBe(true);
    });
  });
});
