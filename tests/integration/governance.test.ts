import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../main/db';
import { startServices, type Services } from '../../main/services';
import type { ApprovalsChanged, StartProcessInput } from '../../main/modules/governance';
import type { ProcessDetailDto } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { ADMIN, cmd, dbLabel, onServer, signIn, startTestBank, userWithRoles } from './harness';
import { auditAfter, lastAuditId } from './support';

/** Resolves with the first event the predicate accepts (or fails after a generous bound). */
function nextEvent(
  services: Services,
  accept: (e: ApprovalsChanged) => boolean,
  ms = 10_000,
): Promise<ApprovalsChanged> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('no approvals.changed event'));
    }, ms);
    const stop = services.governance.onApprovalsChanged((e) => {
      if (!accept(e)) return;
      clearTimeout(timer);
      stop();
      resolve(e);
    });
  });
}

describe(`governance: committees, tiered policies, approval processes (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const s = bank.services;
  const db = s.database.knex;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const adminId = (await admin.call('session.current', {}))!.userId;
  const { client: sofia } = await userWithRoles(bank, admin, 'sofia', ['supervisor']);
  const { client: sam } = await userWithRoles(bank, admin, 'sam', ['supervisor']);
  const { client: sue } = await userWithRoles(bank, admin, 'sue', ['supervisor']);
  const { client: tina } = await userWithRoles(bank, admin, 'tina', ['teller']);
  const { client: aurora } = await userWithRoles(bank, admin, 'aurora', ['auditor']);
  const idOf = async (c: typeof sofia) => (await c.call('session.current', {}))!.userId;
  const sofiaId = await idOf(sofia);
  const samId = await idOf(sam);
  const sueId = await idOf(sue);
  const tinaId = await idOf(tina);

  // What the governed modules' conclusion handlers did, written in the concluding transaction.
  await db.raw(`create table gov_test_effects (process_id uuid, target_id text, status text)`);
  // The deposits module handles real withdrawals; this file tests governance on its own.
  s.releaseConclusionHandlers();
  s.governance.onConcluded('withdraw', async (trx, p) => {
    if (p.target.id.startsWith('boom')) throw new AppError('CONFLICT', { entity: 'withdrawal' });
    await trx('gov_test_effects').insert({ process_id: p.id, target_id: p.target.id, status: p.status });
  });
  const effects = async (targetId: string) =>
    (await db('gov_test_effects').where({ target_id: targetId }).select('status')).map((r) => r.status);

  const start = (
    amount: string | null,
    target = `w-${randomUUID()}`,
    over: Partial<StartProcessInput> = {},
  ) =>
    inTransaction(db, (trx) =>
      s.governance.startProcess(
        trx,
        {
          type: 'withdraw',
          amount,
          currency: 'USD',
          target: { kind: 'withdrawal', id: target },
          initiatedBy: tinaId,
          summary: { customer: 'Jane Roe', amount: { minor: amount ?? '0', currency: 'USD' } },
          ...over,
        },
        bank.clock.now(),
      ),
    );

  let ops = '';
  let risk = '';

  it('an administrator creates committees with unique names (case-insensitive)', async () => {
    const commandId = cmd();
    const created = await admin.call('governance.committees.create', { commandId, name: 'Operations' });
    expect(created).toMatchObject({ name: 'Operations', members: [], usedBy: [] });
    // A retry of the same intention answers the first result and creates nothing more.
    expect(await admin.call('governance.committees.create', { commandId, name: 'Operations' })).toEqual(
      created,
    );
    const reused = await admin.fail('governance.committees.create', { commandId, name: 'Other' });
    expect(reused).toMatchObject({ code: 'COMMAND_ID_REUSED', params: { field: 'name' } });
    ops = created.id;
    const dup = await admin.fail('governance.committees.create', { commandId: cmd(), name: ' operations ' });
    expect(dup).toMatchObject({ code: 'COMMITTEE_NAME_TAKEN' });
    risk = (await admin.call('governance.committees.create', { commandId: cmd(), name: 'Risk' })).id;
    expect((await sofia.fail('governance.committees.create', { commandId: cmd(), name: 'Mine' })).code).toBe(
      'FORBIDDEN',
    );
    // Readers see them; tellers do not.
    expect((await aurora.call('governance.committees.list', {})).map((c) => c.name)).toEqual([
      'Operations',
      'Risk',
    ]);
    expect((await tina.fail('governance.committees.list', {})).code).toBe('FORBIDDEN');
  });

  it('members are active staff users, added and removed idempotently', async () => {
    const add = (committeeId: string, userId: string) =>
      admin.call('governance.committees.addMember', { commandId: cmd(), committeeId, userId });
    await add(ops, sofiaId);
    const twice = await add(ops, sofiaId);
    expect(twice.members.map((m) => m.username)).toEqual(['sofia']);
    await add(ops, samId);
    for (const u of [sofiaId, samId, sueId]) await add(risk, u);
    const unknown = await admin.fail('governance.committees.addMember', {
      commandId: cmd(),
      committeeId: ops,
      userId: randomUUID(),
    });
    expect(unknown.code).toBe('MEMBER_NOT_ELIGIBLE');
    const noCommittee = await admin.fail('governance.committees.addMember', {
      commandId: cmd(),
      committeeId: randomUUID(),
      userId: sofiaId,
    });
    expect(noCommittee.code).toBe('NOT_FOUND');
    // Removing someone who is not a member changes nothing, and says so in the audit record.
    const from = await lastAuditId(bank);
    const same = await admin.call('governance.committees.removeMember', {
      commandId: cmd(),
      committeeId: ops,
      userId: sueId,
    });
    expect(same.members.map((m) => m.username)).toEqual(['sam', 'sofia']);
    expect(await auditAfter(bank, from)).toMatchObject([
      {
        action: 'governance.committees.removeMember',
        outcome: 'Success',
        object_type: 'committee',
        object_ids: [ops],
        metadata: { changed: false },
      },
    ]);
  });

  it('policies: auto-approve by default, tiers validated (DOMAIN 5.2), a readable preview', async () => {
    const initial = await aurora.call('governance.policies.list', {});
    expect(initial.map((p) => [p.processType, p.tiers.map((t) => t.rule)])).toEqual([
      ['withdraw', ['auto']],
      ['disbursal', ['auto']],
      ['credit-facility-proposal', ['auto']],
    ]);
    const empty = (await admin.call('governance.committees.create', { commandId: cmd(), name: 'Empty' })).id;
    const set = (tiers: unknown) =>
      admin.fail('governance.policies.set', {
        commandId: cmd(),
        processType: 'withdraw',
        currency: 'USD',
        tiers,
      });
    expect(await set([{ upTo: null, committeeId: empty, threshold: 1 }])).toMatchObject({
      code: 'COMMITTEE_EMPTY',
    });
    expect(await set([{ upTo: null, committeeId: ops, threshold: 3 }])).toMatchObject({
      code: 'THRESHOLD_INVALID',
      params: { threshold: 3, members: 2 },
    });
    expect(
      await set([
        { upTo: '2500000', committeeId: null, threshold: null },
        { upTo: '100000', committeeId: null, threshold: null },
        { upTo: null, committeeId: null, threshold: null },
      ]),
    ).toMatchObject({ code: 'POLICY_TIERS_INVALID', params: { tier: 2, problem: 'notAscending' } });
    expect(await set([{ upTo: '100000', committeeId: null, threshold: null }])).toMatchObject({
      code: 'POLICY_TIERS_INVALID',
      params: { problem: 'lastTierBounded' },
    });
    expect((await set([{ upTo: null, committeeId: null, threshold: null, extra: 1 }])).code).toBe(
      'VALIDATION_FAILED',
    );

    const policy = await admin.call('governance.policies.set', {
      commandId: cmd(),
      processType: 'withdraw',
      currency: 'USD',
      tiers: [
        { upTo: '100000', committeeId: null, threshold: null },
        { upTo: '2500000', committeeId: ops, threshold: 1 },
        { upTo: null, committeeId: risk, threshold: 2 },
      ],
    });
    expect(policy.tiers).toMatchObject([
      { tier: 1, above: null, upTo: '100000', rule: 'auto' },
      { tier: 2, above: '100000', upTo: '2500000', committeeName: 'Operations', threshold: 1, members: 2 },
      { tier: 3, above: '2500000', upTo: null, committeeName: 'Risk', threshold: 2, members: 3 },
    ]);
    const preview = (amount: string) =>
      aurora.call('governance.policies.preview', { processType: 'withdraw', amount, currency: 'USD' });
    expect((await preview('100000')).tier).toBe(1);
    expect((await preview('100001')).tier).toBe(2);
    expect((await preview('2500001')).tier).toBe(3);
    // A committee a policy relies on cannot drop below its threshold.
    await admin.call('governance.committees.removeMember', {
      commandId: cmd(),
      committeeId: ops,
      userId: samId,
    });
    const below = await admin.fail('governance.committees.removeMember', {
      commandId: cmd(),
      committeeId: ops,
      userId: sofiaId,
    });
    expect(below).toMatchObject({
      code: 'COMMITTEE_BELOW_THRESHOLD',
      params: { processType: 'withdraw', tier: 2, threshold: 1, members: 0 },
    });
    await admin.call('governance.committees.addMember', {
      commandId: cmd(),
      committeeId: ops,
      userId: samId,
    });
  });

  it('an auto-approve tier concludes Approved at once, its handler in the same transaction', async () => {
    const target = `w-${randomUUID()}`;
    const p = await start('100000', target);
    expect(p).toMatchObject({ status: 'approved', conclusion: 'auto_approved', rule: 'auto', tier: 1 });
    expect(await effects(target)).toEqual(['approved']);
  });

  it('a committee tier snapshots committee and threshold; votes follow DOMAIN 5.3', async () => {
    const target = `w-${randomUUID()}`;
    const p = await start('100001', target);
    expect(p).toMatchObject({
      status: 'in_progress',
      rule: 'committee',
      committeeName: 'Operations',
      threshold: 1,
    });
    // The inbox: members who may vote see it; the initiator and outsiders do not.
    expect((await sofia.call('governance.inbox', {})).map((x) => x.id)).toContain(p.id);
    expect((await sue.call('governance.inbox', {})).map((x) => x.id)).not.toContain(p.id);
    expect((await sue.fail('governance.processes.approve', { commandId: cmd(), processId: p.id })).code).toBe(
      'NOT_A_MEMBER',
    );
    expect(
      (await tina.fail('governance.processes.approve', { commandId: cmd(), processId: p.id })).code,
    ).toBe('FORBIDDEN');
    const commandId = cmd();
    const approved = (await sofia.call('governance.processes.approve', {
      commandId,
      processId: p.id,
    })) as ProcessDetailDto;
    expect(approved).toMatchObject({ status: 'approved', conclusion: 'threshold_reached', approvals: 1 });
    expect(approved.votes).toMatchObject([
      { voter: 'sofia', decision: 'approve', workstation: 'WS-TEST-1', channel: 'online', counted: true },
    ]);
    // A retry with the same command id answers the first result and votes nothing twice.
    expect(await sofia.call('governance.processes.approve', { commandId, processId: p.id })).toEqual(
      approved,
    );
    expect(await db('governance_votes').where({ process_id: p.id }).count({ n: '*' })).toEqual([{ n: '1' }]);
    // The vote answers from what it read and wrote: the same as reading the process afresh.
    expect(await sofia.call('governance.processes.get', { id: p.id })).toEqual(approved);
    expect(await effects(target)).toEqual(['approved']);
    // A vote after the conclusion is refused and shows the status.
    expect(
      await sam.fail('governance.processes.deny', { commandId: cmd(), processId: p.id, reason: 'No' }),
    ).toMatchObject({ code: 'PROCESS_CONCLUDED', params: { status: 'approved' } });
    // Concluded ones stay in the inbox for a while.
    const recent = await sam.call('governance.inbox', { status: 'approved' });
    expect(recent.find((x) => x.id === p.id)).toMatchObject({ canVote: false });
  });

  it('any deny denies (with its reason); the initiator may not vote; votes are final', async () => {
    await admin.call('governance.committees.addMember', {
      commandId: cmd(),
      committeeId: risk,
      userId: tinaId,
    });
    const target = `w-${randomUUID()}`;
    const p = await start('9000000', target);
    expect(p).toMatchObject({ committeeName: 'Risk', threshold: 2, tier: 3 });
    const first = await sam.call('governance.processes.approve', { commandId: cmd(), processId: p.id });
    expect(first).toMatchObject({ status: 'in_progress', approvals: 1 });
    expect(await sam.call('governance.processes.get', { id: p.id })).toEqual(first);
    expect(
      (await sam.fail('governance.processes.deny', { commandId: cmd(), processId: p.id, reason: 'x' })).code,
    ).toBe('ALREADY_VOTED');
    // Tina is a member of Risk now (a teller, so the router refuses her anyway); as initiator the
    // rule itself refuses: an admin initiator shows it end to end below.
    const denied = (await sue.call('governance.processes.deny', {
      commandId: cmd(),
      processId: p.id,
      reason: 'Customer called to cancel',
    })) as ProcessDetailDto;
    expect(denied).toMatchObject({ status: 'denied', conclusion: 'denied_by_vote' });
    expect(denied.votes.map((v) => [v.voter, v.decision, v.reason])).toEqual([
      ['sam', 'approve', null],
      ['sue', 'deny', 'Customer called to cancel'],
    ]);
    expect(await effects(target)).toEqual(['denied']);
    await expect(db('governance_votes').where({ process_id: p.id }).del()).rejects.toThrow();
    await admin.call('governance.committees.removeMember', {
      commandId: cmd(),
      committeeId: risk,
      userId: tinaId,
    });

    await admin.call('governance.committees.addMember', {
      commandId: cmd(),
      committeeId: risk,
      userId: adminId,
    });
    const mine = await start('9000000', `w-${randomUUID()}`, { initiatedBy: adminId });
    expect(
      (await admin.fail('governance.processes.approve', { commandId: cmd(), processId: mine.id })).code,
    ).toBe('INITIATOR_CANNOT_VOTE');
    expect((await admin.call('governance.inbox', {})).map((x) => x.id)).not.toContain(mine.id);
  });

  it('membership changes re-evaluate running processes in the same transaction', async () => {
    // Risk: sofia, sam, sue, admin; threshold 2 for the top tier.
    const target = `w-${randomUUID()}`;
    const p = await start('9000000', target);
    await sam.call('governance.processes.approve', { commandId: cmd(), processId: p.id });
    // Rules change for later processes only.
    await admin.call('governance.policies.set', {
      commandId: cmd(),
      processType: 'withdraw',
      currency: 'USD',
      tiers: [{ upTo: null, committeeId: null, threshold: null }],
    });
    // Sam leaves: his approval no longer counts.
    await admin.call('governance.committees.removeMember', {
      commandId: cmd(),
      committeeId: risk,
      userId: samId,
    });
    const after = await sofia.call('governance.processes.get', { id: p.id });
    expect(after).toMatchObject({ status: 'in_progress', approvals: 0, threshold: 2 });
    expect(after.votes).toMatchObject([{ voter: 'sam', counted: false }]);
    // Members leave until only one voter is left: the threshold is unreachable, the process denied.
    await admin.call('governance.committees.removeMember', {
      commandId: cmd(),
      committeeId: risk,
      userId: sueId,
    });
    const from = await lastAuditId(bank);
    await admin.call('governance.committees.removeMember', {
      commandId: cmd(),
      committeeId: risk,
      userId: adminId,
    });
    const denied = await sofia.call('governance.processes.get', { id: p.id });
    expect(denied).toMatchObject({ status: 'denied', conclusion: 'threshold_unreachable' });
    expect(await effects(target)).toEqual(['denied']);
    expect((await auditAfter(bank, from))[0]).toMatchObject({
      action: 'governance.committees.removeMember',
      metadata: { concluded: [p.id] },
    });

    // A member added mid-process brings a threshold in reach and can cast the deciding vote.
    await admin.call('governance.policies.set', {
      commandId: cmd(),
      processType: 'withdraw',
      currency: 'USD',
      tiers: [{ upTo: null, committeeId: risk, threshold: 1 }],
    });
    const q = await start('5000', `w-${randomUUID()}`);
    expect(q).toMatchObject({ status: 'in_progress', threshold: 1 });
    await admin.call('governance.committees.addMember', {
      commandId: cmd(),
      committeeId: risk,
      userId: samId,
    });
    expect(
      (
        (await sam.call('governance.processes.approve', {
          commandId: cmd(),
          processId: q.id,
        })) as ProcessDetailDto
      ).status,
    ).toBe('approved');
    // A concluded process keeps the membership it was decided with: sam's return changes nothing.
    const decided = await sofia.call('governance.processes.get', { id: p.id });
    expect(decided).toMatchObject({ status: 'denied', approvals: 0, members: [{ username: 'sofia' }] });
    expect(decided.votes).toMatchObject([{ voter: 'sam', counted: false }]);
  });

  it('if the conclusion handler throws, the vote is rolled back with it', async () => {
    const p = await start('5000', `boom-${randomUUID()}`);
    const failed = await sofia.fail('governance.processes.approve', { commandId: cmd(), processId: p.id });
    expect(failed.code).toBe('CONFLICT');
    expect(await db('governance_votes').where({ process_id: p.id }).count({ n: '*' })).toEqual([{ n: '0' }]);
    expect((await sofia.call('governance.processes.get', { id: p.id })).status).toBe('in_progress');
    // …and so is the whole governed operation when it happens at start.
    await admin.call('governance.policies.set', {
      commandId: cmd(),
      processType: 'withdraw',
      currency: 'USD',
      tiers: [{ upTo: null, committeeId: null, threshold: null }],
    });
    const target = `boom-${randomUUID()}`;
    await expect(start('5000', target)).rejects.toThrow('CONFLICT');
    expect(await db('governance_processes').where({ target_id: target }).count({ n: '*' })).toEqual([
      { n: '0' },
    ]);
  });

  it('readers see every process, with the summary in the order its module gave', async () => {
    const p = await start('5000', `w-${randomUUID()}`, {
      summary: { zeta: 'first', alpha: 2, amount: { minor: '5000', currency: 'USD' }, frozen: false },
    });
    const all = await aurora.call('governance.processes.list', { type: 'withdraw' });
    const seen = all.find((x) => x.id === p.id)!;
    expect(Object.keys(seen.summary)).toEqual(['zeta', 'alpha', 'amount', 'frozen']);
    // An auditor is no voter, whatever committee they might sit on.
    expect(all.every((x) => !x.canVote)).toBe(true);
    expect((await aurora.fail('governance.inbox', {})).code).toBe('FORBIDDEN');
    await expect(
      start('5000', `w-${randomUUID()}`, { summary: { nested: { deep: true } } as never }),
    ).rejects.toThrow('summary');
  });

  it('every vote and governance action is audited', async () => {
    const actions = (
      await db('audit_log').where('action', 'like', 'governance.%').select('action', 'outcome')
    ).map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'governance.committees.create:Success',
        'governance.committees.create:Failure',
        'governance.committees.addMember:Success',
        'governance.policies.set:Success',
        'governance.policies.set:Failure',
        'governance.processes.approve:Success',
        'governance.processes.deny:Success',
        'governance.processes.approve:Failure',
        'governance.committees.create:Denied',
      ]),
    );
  });

  it('NOTIFY at commit reaches listeners: never on rollback', async () => {
    const started = nextEvent(s, (e) => e.status === 'approved');
    const p = await start('5000');
    expect(await started).toEqual({ processId: p.id, type: 'withdraw', status: 'approved' });
    const seen: ApprovalsChanged[] = [];
    const stop = s.governance.onApprovalsChanged((e) => seen.push(e));
    await expect(start('5000', `boom-${randomUUID()}`)).rejects.toThrow();
    // A committed one afterwards: by the time it arrives, a rolled-back one would have too.
    const later = nextEvent(s, () => true);
    const q = await start('5000');
    await later;
    stop();
    expect(seen.map((e) => e.processId)).toEqual([q.id]);
  });

  it.runIf(onServer)('NOTIFY reaches a second services instance on the same database', async () => {
    const base = new URL(process.env.TEST_DATABASE_URL!);
    base.pathname = `/${(await db.raw('select current_database() as name')).rows[0].name}`;
    const other = await startServices({
      database: { url: base.toString(), poolMax: 2 },
      monitorIntervalMs: 0,
    });
    try {
      const arrived = nextEvent(other, (e) => e.status === 'approved');
      const p = await start('5000');
      expect(await arrived).toEqual({ processId: p.id, type: 'withdraw', status: 'approved' });
    } finally {
      await other.close();
    }
  });

  it.runIf(onServer)(
    'the listener reconnects after losing its connection, and asks for a resync',
    async () => {
      const resync = nextEvent(s, (e) => e.processId === null);
      const { rows } = await db.raw(
        `select pg_terminate_backend(pid) as killed from pg_stat_activity
        where application_name = 'teller-backoffice-listen' and datname = current_database()`,
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(await resync).toEqual({ processId: null, type: null, status: null });
      const arrived = nextEvent(s, (e) => e.status === 'approved');
      const p = await start('5000');
      expect((await arrived).processId).toBe(p.id);
    },
  );

  it.runIf(onServer)(
    'two supervisors voting at once on a threshold of 1: exactly one conclusion',
    async () => {
      await admin.call('governance.policies.set', {
        commandId: cmd(),
        processType: 'withdraw',
        currency: 'USD',
        tiers: [{ upTo: null, committeeId: ops, threshold: 1 }],
      });
      for (let round = 0; round < 5; round++) {
        const target = `w-race-${round}-${randomUUID()}`;
        const p = await start('5000', target);
        const [a, b] = await Promise.all([
          sofia.raw('governance.processes.approve', { commandId: cmd(), processId: p.id }),
          sam.raw('governance.processes.deny', { commandId: cmd(), processId: p.id, reason: 'Too much' }),
        ]);
        const winners = [a, b].filter((r) => r.ok);
        const losers = [a, b].filter((r) => !r.ok);
        expect(winners).toHaveLength(1);
        const status = (winners[0] as { result: { status: string } }).result.status;
        expect(losers[0]).toMatchObject({
          ok: false,
          error: { code: 'PROCESS_CONCLUDED', params: { status } },
        });
        expect(await effects(target)).toEqual([status]);
        expect(await db('governance_votes').where({ process_id: p.id }).count({ n: '*' })).toEqual([
          { n: '1' },
        ]);
      }
    },
  );
});
