import { describe, expect, it } from 'vitest';
import { ADMIN, cmd, dbLabel, onServer, signIn, startTestBank, userWithRoles } from './harness';
import { changesSince, countRows, currentUserId, snapshot } from './support';

const TEMPORARY = 'Temporary-Secret-55!';

describe(`commands run once per commandId (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const newUser = (username: string, commandId = cmd()) => ({
    commandId,
    username,
    fullName: `User ${username}`,
    roles: ['teller' as const],
    temporaryPassword: TEMPORARY,
  });

  it('a retried command returns the first result and changes nothing', async () => {
    const input = newUser('carla');
    const first = await admin.call('staff.create', input);
    const before = await snapshot(bank);
    const again = await admin.call('staff.create', input);
    expect(again).toEqual(first);
    // Surrounding spaces are trimmed before comparing: still the same command.
    expect(await admin.call('staff.create', { ...input, fullName: `  ${input.fullName} ` })).toEqual(first);
    const changes = await changesSince(bank, before);
    expect(changes.changedTables).toEqual([]);
    expect(changes.audit).toEqual([]);
  });

  it('a retry from a new session, after a restart of the workstation, still gets the first result', async () => {
    const input = newUser('cecil');
    const first = await admin.call('staff.create', input);
    const later = await signIn(bank, ADMIN.username, ADMIN.password, 'WS-TEST-2');
    const before = await snapshot(bank);
    expect(await later.call('staff.create', input)).toEqual(first);
    expect((await changesSince(bank, before)).changedTables).toEqual([]);
  });

  it('the same commandId with another payload is refused, names the differing field and is audited as Denied', async () => {
    const input = newUser('clara');
    await admin.call('staff.create', input);
    const before = await snapshot(bank);

    const otherName = await admin.fail('staff.create', { ...input, fullName: 'Clara Changed' });
    expect(otherName).toMatchObject({ code: 'COMMAND_ID_REUSED', params: { field: 'fullName' } });
    // A password is not kept, not even hashed: a retry differing only in it is the same command.
    const samePerson = await admin.call('staff.create', {
      ...input,
      temporaryPassword: 'Another-Secret-56!',
    });
    expect(samePerson.username).toBe('clara');
    const otherRoles = await admin.fail('staff.create', { ...input, roles: ['supervisor'] });
    expect(otherRoles.params.field).toBe('roles');

    const changes = await changesSince(bank, before);
    expect(changes.changedTables).toEqual([]);
    expect(changes.audit).toHaveLength(2);
    for (const record of changes.audit) {
      expect(record).toMatchObject({
        action: 'staff.create',
        outcome: 'Denied',
        command_id: input.commandId,
        actor_username: ADMIN.username,
        metadata: { error: 'COMMAND_ID_REUSED' },
      });
    }
  });

  it("another user cannot replay someone else's commandId, nor see its result", async () => {
    const input = newUser('celia');
    await admin.call('staff.create', input);
    const { client: otherAdmin } = await userWithRoles(bank, admin, 'ivan', ['admin']);
    const before = await snapshot(bank);
    const error = await otherAdmin.fail('staff.create', input);
    expect(error).toMatchObject({ code: 'COMMAND_ID_REUSED', params: { field: '(actor)' } });
    expect((await changesSince(bank, before)).changedTables).toEqual([]);
    // Leave the bank with its one administrator, as the other cases expect.
    const ivan = (await admin.call('staff.list', { search: 'ivan' }))[0]!;
    await admin.call('staff.disable', { commandId: cmd(), userId: ivan.id, reason: 'Test over' });
  });

  it('a commandId used for one procedure cannot be used for another', async () => {
    const input = newUser('cora');
    const created = await admin.call('staff.create', input);
    const before = await snapshot(bank);
    const error = await admin.fail('staff.disable', {
      commandId: input.commandId,
      userId: created.id,
      reason: 'Reused id',
    });
    expect(error).toMatchObject({ code: 'COMMAND_ID_REUSED', params: { field: '(procedure)' } });
    const changes = await changesSince(bank, before);
    expect(changes.changedTables).toEqual([]);
    expect(changes.audit).toMatchObject([
      { action: 'staff.disable', outcome: 'Denied', command_id: input.commandId },
    ]);
    expect((await admin.call('staff.list', { search: 'cora' }))[0]?.status).toBe('active');
  });

  it.skipIf(!onServer)(
    'eight simultaneous calls with one commandId create one user and all get its result',
    async () => {
      const input = newUser('conrad');
      const answers = await Promise.all(Array.from({ length: 8 }, () => admin.raw('staff.create', input)));
      const failures = answers.filter((a) => !a.ok);
      expect(failures).toEqual([]);
      const results = answers.map((a) => (a.ok ? a.result : undefined));
      for (const result of results) expect(result).toEqual(results[0]);
      const { rows } = await bank.services.database.knex.raw(
        `select (select count(*)::int from staff_users where lower(username) = 'conrad') as users,
              (select count(*)::int from command_log where command_id = ?) as commands,
              (select count(*)::int from audit_log where command_id = ?) as records`,
        [input.commandId, input.commandId],
      );
      expect(rows[0]).toEqual({ users: 1, commands: 1, records: 1 });
    },
  );

  it('a command failing with a business error writes nothing but its Failure record', async () => {
    const cases = [
      {
        name: 'staff.disable' as const,
        input: { commandId: cmd(), userId: await currentUserId(admin), reason: 'Myself' },
        code: 'CANNOT_DISABLE_SELF',
      },
      { name: 'staff.create' as const, input: newUser('CARLA'), code: 'USERNAME_TAKEN' },
      {
        name: 'staff.setRoles' as const,
        input: { commandId: cmd(), userId: await currentUserId(admin), roles: ['teller' as const] },
        code: 'LAST_ADMIN',
      },
      {
        name: 'staff.enable' as const,
        input: { commandId: cmd(), userId: '00000000-0000-4000-8000-000000000000' },
        code: 'NOT_FOUND',
      },
    ];
    for (const { name, input, code } of cases) {
      const before = await snapshot(bank);
      expect((await admin.fail(name, input)).code, name).toBe(code);
      const changes = await changesSince(bank, before);
      expect(changes.changedTables, name).toEqual([]);
      expect(changes.audit, name).toMatchObject([
        { action: name, outcome: 'Failure', command_id: input.commandId, metadata: { error: code } },
      ]);
    }
  });

  it('a refused command does not use up its commandId: corrected, it runs', async () => {
    const created = await admin.call('staff.create', newUser('cyril'));
    const commandId = cmd();
    const weak = await admin.fail('staff.resetPassword', {
      commandId,
      userId: created.id,
      temporaryPassword: 'short',
    });
    expect(weak.code).toBe('WEAK_PASSWORD');
    const users = await countRows(bank, 'staff_users');
    const reset = await admin.call('staff.resetPassword', {
      commandId,
      userId: created.id,
      temporaryPassword: 'Long-Enough-Secret-9!',
    });
    expect(reset.mustChangePassword).toBe(true);
    expect(await countRows(bank, 'staff_users')).toBe(users);
  });

  it('every accepted command is in the command log once, with its audit record', async () => {
    const { rows } = await bank.services.database.knex.raw(
      `select c.procedure, (select count(*)::int from audit_log a
                              where a.command_id = c.command_id and a.outcome = 'Success') as records
         from command_log c`,
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) expect(row.records, row.procedure).toBe(1);
  });
});
