import { describe, expect, it } from 'vitest';
import type { AuditVerification } from '../../shared/contract';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, userWithRoles } from './harness';

const DAY = 24 * 60 * 60_000;
type Problem = AuditVerification['problems'][number];

describe(`the audit log is append-only and tamper-evident (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const knex = bank.services.database.knex;
  const sql = (query: string, bindings: readonly unknown[] = []) => knex.raw(query, bindings as never);
  const rows = async <T>(query: string, bindings: readonly unknown[] = []): Promise<T[]> =>
    (await sql(query, bindings)).rows as T[];

  // Three workstations, three chains. Day 1 (2026-03-02): the admin on WS-A sets up staff.
  let admin = await signIn(bank, ADMIN.username, ADMIN.password, 'WS-A');
  const { password: auditorPassword } = await userWithRoles(bank, admin, 'audrey', ['auditor']);
  const { password: tellerPassword } = await userWithRoles(bank, admin, 'tom', ['teller']);
  const tom = await admin.call('staff.list', { search: 'tom' });
  const tomId = tom[0]!.id;
  const auditor = () => signIn(bank, 'audrey', auditorPassword, 'WS-B');
  await admin.call('staff.setRoles', { commandId: cmd(), userId: tomId, roles: ['teller', 'head_teller'] });

  // Day 2: the teller works on WS-C and is refused an administrator's command; a first seal.
  bank.clock.advance(DAY);
  const teller = await signIn(bank, 'tom', tellerPassword, 'WS-C');
  await teller.fail('staff.list', {});
  await teller.call('session.lock', {});
  await teller.call('session.unlock', { password: tellerPassword });
  await teller.call('session.logout', {});
  await (await auditor()).call('audit.seal', { commandId: cmd() });

  // Day 3: more on WS-A and WS-B after the seal, then a second seal, then one more record on WS-B.
  bank.clock.advance(DAY);
  admin = await signIn(bank, ADMIN.username, ADMIN.password, 'WS-A');
  await admin.call('staff.disable', { commandId: cmd(), userId: tomId, reason: 'Moved branch' });
  await admin.call('staff.enable', { commandId: cmd(), userId: tomId });
  await bank.connect('WS-B').fail('session.login', { username: 'audrey', password: 'Wrong-Password-00!' });
  await (await auditor()).call('audit.seal', { commandId: cmd() });
  await (await auditor()).call('audit.list', { limit: 1 });

  // One session for all that follows: signing in writes a record, and reading must not.
  const reader = await auditor();
  const verify = () => reader.call('audit.verify', {});

  interface Rec {
    id: string;
    workstation: string;
    seq: string;
  }
  const chain = (workstation: string) =>
    rows<Rec>(
      `select id::text as id, workstation, seq::text as seq from audit_log where workstation = ? order by audit_log.seq`,
      [workstation],
    );
  const seals = () => rows<{ id: string }>(`select id::text as id from audit_seals order by id`);

  /**
   * A DBA bypasses the append-only triggers, tampers, and puts the guards back; the verifier then
   * reports. Afterwards the log is restored exactly, and must verify as intact again.
   */
  async function tamper(statements: [string, unknown[]?][]): Promise<AuditVerification> {
    for (const t of ['audit_log', 'audit_seals', 'audit_chain_heads']) {
      await sql(`create table tamper_backup_${t} as select * from ${t}`);
    }
    await sql('alter table audit_log disable trigger audit_log_append_only');
    await sql('alter table audit_seals disable trigger audit_seals_append_only');
    try {
      for (const [statement, bindings] of statements) await sql(statement, bindings ?? []);
    } finally {
      await sql('alter table audit_log enable trigger audit_log_append_only');
      await sql('alter table audit_seals enable trigger audit_seals_append_only');
    }
    const verification = await verify();

    await sql('alter table audit_log disable trigger user');
    await sql('alter table audit_seals disable trigger user');
    for (const t of ['audit_log', 'audit_seals', 'audit_chain_heads']) {
      await sql(`delete from ${t}`);
      await sql(`insert into ${t} select * from tamper_backup_${t}`);
      await sql(`drop table tamper_backup_${t}`);
    }
    await sql('alter table audit_log enable trigger user');
    await sql('alter table audit_seals enable trigger user');
    const restored = await verify();
    expect(restored.problems, 'restored').toEqual([]);
    return verification;
  }

  const recordProblem = (kind: Problem['kind'], r: Rec): Problem => ({
    kind,
    workstation: r.workstation,
    seq: r.seq,
    recordId: r.id,
    sealId: null,
  });

  describe('append-only', () => {
    it.each(['audit_log', 'audit_seals'])('%s refuses UPDATE, DELETE and TRUNCATE', async (table) => {
      const count = async () =>
        Number((await rows<{ n: string }>(`select count(*) as n from ${table}`))[0]!.n);
      const before = await count();
      expect(before).toBeGreaterThan(1);
      const column = table === 'audit_log' ? 'outcome' : 'record_count';
      await expect(sql(`update ${table} set ${column} = ${column}`)).rejects.toThrow(/append-only/);
      await expect(sql(`delete from ${table} where id = (select max(id) from ${table})`)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql(`truncate ${table}`)).rejects.toThrow(/append-only/);
      await expect(sql(`truncate ${table} cascade`)).rejects.toThrow(/append-only/);
      expect(await count()).toBe(before);
    });

    it('before any tampering the whole log verifies as intact', async () => {
      const v = await verify();
      expect(v.problems).toEqual([]);
      expect(v.intact).toBe(true);
      const total = Number((await rows<{ n: string }>('select count(*) as n from audit_log'))[0]!.n);
      expect(v.recordsChecked).toBe(total);
      expect(v.sealsChecked).toBe(2);
      expect(v.lastSealAt).toBe('2026-03-04T09:00:00.000Z');
      // The chains are per workstation, each numbered from 1 without gaps.
      for (const ws of ['WS-A', 'WS-B', 'WS-C']) {
        const records = await chain(ws);
        expect(records.length, ws).toBeGreaterThan(2);
        expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => String(i + 1)));
      }
    });

    it('an administrator may verify too', async () => {
      const a = await signIn(bank, ADMIN.username, ADMIN.password, 'WS-A');
      expect((await a.call('audit.verify', {})).intact).toBe(true);
    });
  });

  describe('tampering is detected', () => {
    it.each([
      ['metadata', `metadata = metadata || '{"reason":"nothing to see"}'`],
      ['outcome', `outcome = case outcome when 'Success' then 'Failure' else 'Success' end`],
      ['actor', `actor_username = 'someone.else'`],
      ['time', `occurred_at = occurred_at - interval '1 hour'`],
      ['object', `object_ids = '{}'`],
    ])('an edited %s is reported on the record itself', async (_field, assignment) => {
      const target = (await chain('WS-A'))[3]!;
      const v = await tamper([[`update audit_log set ${assignment} where id = ?`, [target.id]]]);
      expect(v.intact).toBe(false);
      expect(v.problems).toEqual([recordProblem('recordAltered', target)]);
    });

    it('an edited record whose hash is recomputed breaks the link to the next record', async () => {
      const [, , target, next] = await chain('WS-A');
      const v = await tamper([
        [`update audit_log set outcome = 'Failure' where id = ?`, [target!.id]],
        [`update audit_log a set hash = audit_record_hash(a) where id = ?`, [target!.id]],
      ]);
      expect(v.problems[0]).toEqual(recordProblem('chainBroken', next!));
    });

    it('a record deleted from the middle of a chain leaves a sequence gap', async () => {
      const [, target, next] = await chain('WS-C');
      const v = await tamper([[`delete from audit_log where id = ?`, [target!.id]]]);
      expect(v.problems[0]).toEqual(recordProblem('sequenceGap', next!));
      expect(v.problems.every((p) => p.workstation === 'WS-C' || p.sealId)).toBe(true);
    });

    it('the first record of a chain cannot be deleted unseen', async () => {
      const [first, second] = await chain('WS-B');
      const v = await tamper([[`delete from audit_log where id = ?`, [first!.id]]]);
      expect(v.problems[0]).toEqual(recordProblem('sequenceGap', second!));
    });

    it("the last record of a workstation deleted shows as a mismatch with the chain's head", async () => {
      const records = await chain('WS-B');
      const last = records.at(-1)!;
      const v = await tamper([[`delete from audit_log where id = ?`, [last.id]]]);
      expect(v.problems).toEqual([
        { kind: 'headMismatch', workstation: 'WS-B', seq: last.seq, recordId: null, sealId: null },
      ]);
    });

    it('two records swapping their sequence numbers are both reported, the first one first', async () => {
      const [, a, b] = await chain('WS-A');
      const v = await tamper([
        [`update audit_log set seq = -1 where id = ?`, [a!.id]],
        [`update audit_log set seq = ? where id = ?`, [a!.seq, b!.id]],
        [`update audit_log set seq = ? where id = ?`, [b!.seq, a!.id]],
      ]);
      expect(v.problems.slice(0, 2)).toEqual([
        { ...recordProblem('recordAltered', a!), seq: b!.seq },
        { ...recordProblem('recordAltered', b!), seq: a!.seq },
      ]);
    });

    it('two records swapping their ids are both reported', async () => {
      const [, a, b] = await chain('WS-A');
      const v = await tamper([
        [`update audit_log set id = -1 where id = ?`, [a!.id]],
        [`update audit_log set id = ? where id = ?`, [a!.id, b!.id]],
        [`update audit_log set id = ? where id = -1`, [b!.id]],
      ]);
      expect(v.problems.map((p) => [p.kind, p.recordId])).toEqual([
        ['recordAltered', a!.id],
        ['recordAltered', b!.id],
      ]);
    });

    it('an edited seal is reported', async () => {
      const [first] = await seals();
      const v = await tamper([
        [`update audit_seals set record_count = record_count - 1 where id = ?`, [first!.id]],
      ]);
      expect(v.problems).toEqual([
        { kind: 'sealAltered', workstation: null, seq: null, recordId: null, sealId: first!.id },
      ]);
    });

    it('a seal deleted from between two others breaks the seal chain', async () => {
      const [first, second] = await seals();
      const v = await tamper([[`delete from audit_seals where id = ?`, [first!.id]]]);
      expect(v.problems).toEqual([
        { kind: 'sealAltered', workstation: null, seq: null, recordId: null, sealId: second!.id },
      ]);
    });

    it('records covered by a seal cannot vanish, even with the chain head rewritten to match', async () => {
      // WS-C's chain ended before the first seal: remove its last two records and fix the head.
      const records = await chain('WS-C');
      const kept = records.at(-3)!;
      const v = await tamper([
        [`delete from audit_log where workstation = 'WS-C' and seq > ?`, [kept.seq]],
        [
          `update audit_chain_heads h set seq = a.seq, hash = a.hash from audit_log a
            where h.workstation = 'WS-C' and a.id = ?`,
          [kept.id],
        ],
      ]);
      const [first, second] = await seals();
      expect(v.problems).toEqual([
        { kind: 'sealMismatch', workstation: null, seq: null, recordId: null, sealId: first!.id },
        { kind: 'sealMismatch', workstation: null, seq: null, recordId: null, sealId: second!.id },
      ]);
    });

    it('a whole workstation erased with its head is caught by the seals', async () => {
      const v = await tamper([
        [`delete from audit_log where workstation = 'WS-C'`],
        [`delete from audit_chain_heads where workstation = 'WS-C'`],
      ]);
      expect(v.intact).toBe(false);
      expect(v.problems.map((p) => p.kind)).toEqual(['sealMismatch', 'sealMismatch']);
    });

    it('tampering with one workstation does not implicate the others', async () => {
      const target = (await chain('WS-B'))[1]!;
      const v = await tamper([[`update audit_log set action = 'audit.list' where id = ?`, [target.id]]]);
      expect(v.problems.map((p) => p.workstation)).toEqual(['WS-B']);
    });
  });

  describe('listing the audit log', () => {
    type Item = Awaited<ReturnType<typeof listAll>>[number];
    async function listAll(filter: Record<string, string> = {}) {
      return (await reader.call('audit.list', { ...filter, limit: 500 })).items;
    }
    const ids = (items: Item[]) => items.map((i) => i.id);

    it('lists newest first', async () => {
      const items = await listAll();
      expect(items.length).toBeGreaterThan(20);
      const numeric = items.map((i) => BigInt(i.id));
      expect([...numeric].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))).toEqual(numeric);
    });

    it('by user, whatever the case', async () => {
      const items = await listAll({ user: 'TOM' });
      expect(items.length).toBeGreaterThan(3);
      expect(new Set(items.map((i) => i.actorUsername))).toEqual(new Set(['tom']));
      expect(items.map((i) => i.action)).toEqual(
        expect.arrayContaining([
          'session.login',
          'session.lock',
          'session.unlock',
          'session.logout',
          'staff.list',
        ]),
      );
    });

    it('by action prefix, with wildcards taken literally', async () => {
      const staff = await listAll({ action: 'staff.' });
      expect(staff.length).toBeGreaterThan(4);
      expect(staff.every((i) => i.action.startsWith('staff.'))).toBe(true);
      const enables = await listAll({ action: 'staff.enable' });
      expect(enables.map((i) => i.action)).toEqual(['staff.enable']);
      expect(await listAll({ action: '%' })).toEqual([]);
      expect(await listAll({ action: 'staff_' })).toEqual([]);
    });

    it("by entity, as 'type:id' or a bare id", async () => {
      const typed = await listAll({ entity: `staff_user:${tomId}` });
      expect(typed.every((i) => i.objectType === 'staff_user' && i.objectIds.includes(tomId))).toBe(true);
      expect(typed.map((i) => i.action)).toEqual(
        expect.arrayContaining([
          'staff.create',
          'staff.setRoles',
          'staff.disable',
          'staff.enable',
          'session.login',
        ]),
      );
      expect(ids(await listAll({ entity: tomId }))).toEqual(ids(typed));
      expect(await listAll({ entity: `customer:${tomId}` })).toEqual([]);
      const seals = await listAll({ entity: 'audit_seal' });
      expect(seals.map((i) => i.action)).toEqual(['audit.seal', 'audit.seal']);
    });

    it('by outcome', async () => {
      const denied = await listAll({ outcome: 'Denied' });
      expect(denied.map((i) => [i.action, i.actorUsername])).toEqual([['staff.list', 'tom']]);
      const failures = await listAll({ outcome: 'Failure' });
      expect(failures.map((i) => [i.action, i.workstation])).toEqual([['session.login', 'WS-B']]);
      const all = await listAll();
      const successes = await listAll({ outcome: 'Success' });
      expect(successes.length + denied.length + failures.length).toBe(all.length);
    });

    it('by date range, both ends included', async () => {
      const day2 = await listAll({ from: '2026-03-03', to: '2026-03-03' });
      expect(day2.length).toBeGreaterThan(4);
      expect(day2.every((i) => i.occurredAt.startsWith('2026-03-03'))).toBe(true);
      const fromDay2 = await listAll({ from: '2026-03-03' });
      const untilDay2 = await listAll({ to: '2026-03-03' });
      const all = await listAll();
      expect(fromDay2.every((i) => i.occurredAt >= '2026-03-03')).toBe(true);
      expect(untilDay2.every((i) => i.occurredAt < '2026-03-04')).toBe(true);
      expect(fromDay2.length + untilDay2.length - day2.length).toBe(all.length);
      expect(await listAll({ from: '2026-03-05' })).toEqual([]);
      expect(await listAll({ from: '2026-03-04', to: '2026-03-02' })).toEqual([]);
    });

    it('filters combine', async () => {
      const items = await listAll({ user: 'admin', action: 'staff.', from: '2026-03-04' });
      expect(items.map((i) => i.action).sort()).toEqual(['staff.disable', 'staff.enable']);
    });

    it('pages backwards with a cursor, without gaps or repeats', async () => {
      const client = reader;
      const all = ids(await listAll());
      const seen: string[] = [];
      let before: string | undefined;
      for (let page = 0; page < 100; page++) {
        const result = await client.call('audit.list', { limit: 7, ...(before ? { before } : {}) });
        seen.push(...ids(result.items));
        expect(result.items.length).toBeLessThanOrEqual(7);
        if (!result.nextBefore) break;
        expect(result.nextBefore).toBe(result.items.at(-1)!.id);
        before = result.nextBefore;
      }
      expect(seen).toEqual(all);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('the last page says there is no more', async () => {
      const client = reader;
      const oldest = (await listAll()).at(-1)!;
      const page = await client.call('audit.list', { before: oldest.id, limit: 10 });
      expect(page).toEqual({ items: [], nextBefore: null });
    });
  });
});
