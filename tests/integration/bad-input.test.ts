import { describe, expect, it } from 'vitest';
import type { ErrorPayload } from '../../shared/errors';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, type TestClient } from './harness';
import { changesSince, snapshot } from './support';

const TEN_MB = 10 * 1024 * 1024;

function describeInput(input: unknown): string {
  try {
    return String(JSON.stringify(input)).slice(0, 200);
  } catch {
    return '(not plain data)';
  }
}

describe(`untrusted input is refused with a typed error (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);

  /** Calls, and returns the error together with what the call wrote. */
  async function refused(client: TestClient, name: unknown, input: unknown, size?: number) {
    const before = await snapshot(bank);
    const answer = await client.raw(name, input, size);
    if (answer.ok) throw new Error(`${String(name)} unexpectedly succeeded`);
    const { changedTables, audit } = await changesSince(bank, before);
    return { error: answer.error, changedTables, audit };
  }

  /** A malformed input: VALIDATION_FAILED naming the fields, and nothing written at all. */
  async function invalid(
    name: string,
    input: unknown,
    fields?: string[],
    client = admin,
  ): Promise<ErrorPayload> {
    const { error, changedTables, audit } = await refused(client, name, input);
    expect(error.code, `${name} ${describeInput(input)}`).toBe('VALIDATION_FAILED');
    expect(Array.isArray(error.params.fields)).toBe(true);
    expect((error.params.fields as string[]).length).toBeGreaterThan(0);
    if (fields) expect(error.params.fields).toEqual(fields);
    expect(changedTables).toEqual([]);
    expect(audit).toEqual([]);
    return error;
  }

  /** A security event: refused, one Denied record, nothing else written. */
  async function denied(client: TestClient, name: unknown, input: unknown, code: string, size?: number) {
    const { error, changedTables, audit } = await refused(client, name, input, size);
    expect(error.code).toBe(code);
    expect(changedTables).toEqual([]);
    expect(audit).toMatchObject([{ outcome: 'Denied', metadata: { error: code } }]);
    return { error, record: audit[0]! };
  }

  describe('malformed payloads', () => {
    it('wrong types', async () => {
      await invalid('staff.list', { search: 42 }, ['search']);
      await invalid('bank.settings.update', { commandId: cmd(), idleLockMinutes: '5' }, ['idleLockMinutes']);
      await invalid('bank.settings.update', { commandId: cmd(), idleLockMinutes: 2.5 }, ['idleLockMinutes']);
      await invalid('bank.settings.update', { commandId: cmd(), idleLockMinutes: 0 }, ['idleLockMinutes']);
      await invalid(
        'staff.create',
        {
          commandId: cmd(),
          username: 'x1',
          fullName: 'X',
          roles: 'admin',
          temporaryPassword: 'Secret-secret-1',
        },
        ['roles'],
      );
      await invalid('staff.setRoles', { commandId: cmd(), userId: 'not-a-uuid', roles: ['teller'] }, [
        'userId',
      ]);
      await invalid('staff.setRoles', { commandId: cmd(), userId: cmd(), roles: ['superuser'] }, ['roles.0']);
      await invalid('staff.setRoles', { commandId: cmd(), userId: cmd(), roles: [] }, ['roles']);
      await invalid('staff.setRoles', { commandId: cmd(), userId: cmd(), roles: ['teller', 'teller'] }, [
        'roles',
      ]);
      await invalid('audit.list', { from: '2026-02-30' }, ['from']);
      await invalid('audit.list', { limit: 501 }, ['limit']);
      await invalid('audit.list', { outcome: 'Maybe' }, ['outcome']);
      await invalid('session.login', { username: 'admin', password: true }, ['password']);
    });

    it('missing fields', async () => {
      await invalid('session.login', { username: 'admin' }, ['password']);
      await invalid('staff.disable', { commandId: cmd(), userId: cmd() }, ['reason']);
      await invalid('staff.disable', { commandId: cmd(), userId: cmd(), reason: '   ' }, ['reason']);
      const error = await invalid('staff.create', { commandId: cmd() });
      expect(error.params.fields).toEqual(
        expect.arrayContaining(['username', 'fullName', 'roles', 'temporaryPassword']),
      );
      await invalid('bank.settings.update', { idleLockMinutes: 5 }, ['commandId']);
    });

    it('extra fields, at the top and nested', async () => {
      await invalid('staff.list', { search: 'a', isAdmin: true });
      await invalid('session.current', { userId: cmd() });
      await invalid('audit.verify', { fix: true });
      await invalid('setup.createBank', {
        commandId: cmd(),
        bankName: 'B',
        businessDate: '2026-03-02',
        admin: {
          fullName: 'A',
          username: 'other',
          password: 'Correct-Horse-42!',
          passwordConfirmation: 'Correct-Horse-42!',
          roles: ['admin'],
        },
      });
      await invalid('staff.create', {
        commandId: cmd(),
        username: 'extra',
        fullName: 'Extra',
        roles: ['teller'],
        temporaryPassword: 'Secret-secret-1',
        mustChangePassword: false,
      });
    });

    it('a 100,000-character username, signed in or not', async () => {
      const huge = 'a'.repeat(100_000);
      const error = await invalid(
        'session.login',
        { username: huge, password: 'x' },
        ['username'],
        bank.connect(),
      );
      expect(JSON.stringify(error).length).toBeLessThan(1000);
      await invalid(
        'staff.create',
        {
          commandId: cmd(),
          username: huge,
          fullName: 'X',
          roles: ['teller'],
          temporaryPassword: 'Secret-secret-1',
        },
        ['username'],
      );
      await invalid('staff.list', { search: huge }, ['search']);
    });

    it('nested garbage', async () => {
      await invalid('staff.list', { search: { $gt: '' } }, ['search']);
      await invalid('staff.list', { search: ['a', ['b']] }, ['search']);
      await invalid('session.login', { username: { toString: 'admin' }, password: ['Correct-Horse-42!'] });
      await invalid('setup.createBank', {
        commandId: cmd(),
        bankName: 'B',
        businessDate: '2026-03-02',
        admin: 'me',
      });
      await invalid('staff.setRoles', { commandId: cmd(), userId: cmd(), roles: [['admin']] }, ['roles.0']);
      await invalid('staff.list', { ['__proto__']: { search: 'x' } });
      await invalid('staff.list', JSON.parse('{"__proto__": {"isAdmin": true}}'));
    });

    it('nesting deeper than any real input', async () => {
      let deep: unknown = 'x';
      for (let i = 0; i < 1_000; i++) deep = [deep];
      await invalid('staff.list', { search: deep }, ['search']);
      for (let i = 0; i < 50_000; i++) deep = [deep];
      await invalid('staff.list', { search: deep });
      await invalid('staff.list', deep);
    });

    it('an input that is not plain data', async () => {
      const cyclic: Record<string, unknown> = { search: 'x' };
      cyclic.self = cyclic;
      await invalid('staff.list', cyclic);
      await invalid('staff.list', { search: 10n });
    });

    it('null, arrays and scalars as the whole input', async () => {
      await invalid('staff.create', null, [
        'commandId',
        'username',
        'fullName',
        'roles',
        'temporaryPassword',
      ]);
      for (const input of [[], ['staff.list'], 'search', 42, true]) {
        await invalid('staff.list', input, ['(input)']);
        await invalid('staff.disable', input, ['(input)']);
      }
    });

    it('text that the database could not store', async () => {
      await invalid('staff.list', { search: 'a\u0000b' }, ['search']);
      await invalid(
        'session.login',
        { username: 'ad\u0000min', password: 'x' },
        ['username'],
        bank.connect(),
      );
      await invalid(
        'session.login',
        { username: 'ad\uD800min', password: 'x' },
        ['username'],
        bank.connect(),
      );
      await invalid('staff.disable', { commandId: cmd(), userId: cmd(), reason: 'left \uDC00' }, ['reason']);
      // A well-formed character outside the basic plane is fine.
      expect(await admin.call('staff.list', { search: 'a\u{1F600}' })).toEqual([]);
    });

    it('dates and cursors outside what the database holds', async () => {
      await invalid('audit.list', { from: '0000-01-01' }, ['from']);
      await invalid('audit.list', { before: '9999999999999999999' }, ['before']);
      expect(
        (await admin.call('audit.list', { before: '9223372036854775807', limit: 1 })).items,
      ).toHaveLength(1);
      expect(
        (await admin.call('audit.list', { from: '0001-01-01', to: '9999-12-31', limit: 1 })).items,
      ).toHaveLength(1);
    });
  });

  describe('oversized messages', () => {
    const big = { search: 'x'.repeat(TEN_MB) };

    it('a 10 MB message is refused as too large, by its size as it arrived', async () => {
      const { error, record } = await denied(admin, 'staff.list', big, 'PAYLOAD_TOO_LARGE', TEN_MB + 20);
      expect(error.params.limit).toBe(256 * 1024);
      expect(record).toMatchObject({ action: 'staff.list', actor_username: ADMIN.username });
    });

    it('a 10 MB message is refused as too large when the transport does not say its size', async () => {
      await denied(admin, 'staff.list', big, 'PAYLOAD_TOO_LARGE');
      await denied(
        bank.connect(),
        'session.login',
        { username: 'x'.repeat(TEN_MB), password: 'x' },
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('the declared size is believed even for a small body', async () => {
      await denied(admin, 'staff.list', {}, 'PAYLOAD_TOO_LARGE', TEN_MB);
    });
  });

  describe('unknown procedures', () => {
    const names: unknown[] = [
      'staff.drop',
      '',
      ' staff.list',
      'STAFF.LIST',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'x'.repeat(10_000),
      42,
      null,
      undefined,
      {},
      ['staff.list'],
      { toString: () => 'staff.list' },
    ];

    it.each(names.map((n) => [typeof n === 'string' ? JSON.stringify(n.slice(0, 30)) : String(typeof n), n]))(
      '%s is refused as UNKNOWN_PROCEDURE and recorded',
      async (_label, name) => {
        const { error, record } = await denied(admin, name, {}, 'UNKNOWN_PROCEDURE');
        expect(String(error.params.procedure).length).toBeLessThanOrEqual(80);
        expect(record.action.startsWith('unknown:')).toBe(true);
        expect(record.actor_username).toBe(ADMIN.username);
      },
    );

    it('an unknown procedure from a connection without a session is recorded too', async () => {
      const { record } = await denied(bank.connect(), 'constructor', {}, 'UNKNOWN_PROCEDURE');
      expect(record.actor_username).toBeNull();
    });
  });

  describe('no session', () => {
    it.each(['staff.list', 'audit.verify', 'bank.settings.get', 'session.activity', 'session.logout'])(
      '%s without a session is UNAUTHENTICATED and recorded',
      async (name) => {
        const { record } = await denied(bank.connect('WS-ANON'), name, {}, 'UNAUTHENTICATED');
        expect(record).toMatchObject({ action: name, actor_username: null, workstation: 'WS-ANON' });
      },
    );

    it('a command without a session is UNAUTHENTICATED and leaves its id unused', async () => {
      const input = { commandId: cmd(), idleLockMinutes: 30 };
      await denied(bank.connect(), 'bank.settings.update', input, 'UNAUTHENTICATED');
      expect(await admin.call('bank.settings.update', input)).toEqual({
        idleLockMinutes: 30,
        requireVerifiedCustomers: false,
      });
    });
  });

  it('after all of this the bank still works and its audit chain is intact', async () => {
    expect((await admin.call('staff.list', {})).map((u) => u.username)).toEqual([ADMIN.username]);
    expect((await admin.call('audit.verify', {})).intact).toBe(true);
  });
});
