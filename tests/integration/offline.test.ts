import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../main/db';
import { verifyQueued } from '../../main/offline/signing';
import type { OutboxEntryDto, ProcessDetailDto } from '../../shared/contract';
import { insertProspect } from '../fixtures/customers';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, userWithRoles } from './harness';

/**
 * The outbox's replay against the bank (ARCHITECTURE 6), on both databases: entries are queued as
 * the router queues them while offline, then replayed through the normal command path. The link
 * itself is cut in offline-proxy.test.ts (PostgreSQL server only).
 */
describe(`offline: the outbox and its replay (${dbLabel})`, async () => {
  const bank = await startTestBank({ localStore: 'memory://' });
  const s = bank.services;
  const offline = s.offline!;
  const db = s.database.knex;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: sofia } = await userWithRoles(bank, admin, 'sofia', ['supervisor']);
  const { client: sam, password: samPassword } = await userWithRoles(bank, admin, 'sam', ['supervisor']);
  const { client: sue } = await userWithRoles(bank, admin, 'sue', ['supervisor']);
  const { client: tina } = await userWithRoles(bank, admin, 'tina', ['teller']);
  const idOf = async (c: typeof sam) => (await c.call('session.current', {}))!.userId;
  const [sofiaId, samId, sueId, tinaId] = [
    await idOf(sofia),
    await idOf(sam),
    await idOf(sue),
    await idOf(tina),
  ];
  const committee = (await admin.call('governance.committees.create', { commandId: cmd(), name: 'Credit' }))
    .id;
  for (const userId of [sofiaId, samId, sueId]) {
    await admin.call('governance.committees.addMember', { commandId: cmd(), committeeId: committee, userId });
  }
  await admin.call('governance.policies.set', {
    commandId: cmd(),
    processType: 'disbursal',
    currency: 'USD',
    tiers: [{ upTo: null, committeeId: committee, threshold: 2 }],
  });
  const start = async () =>
    (
      await inTransaction(db, (trx) =>
        s.governance.startProcess(
          trx,
          {
            type: 'disbursal',
            amount: '100000',
            currency: 'USD',
            target: { kind: 'disbursal', id: randomUUID() },
            initiatedBy: tinaId,
            summary: { customer: 'Jane Roe' },
          },
          bank.clock.now(),
        ),
      )
    ).id;

  /** What the router does with a queueable command while the monitor says offline. */
  const queue = (
    who: { id: string; username: string; roles: ('supervisor' | 'teller')[] },
    procedure: 'governance.processes.approve' | 'governance.processes.deny',
    input: Record<string, unknown>,
  ) =>
    offline.runOrQueue(
      {
        actor: { type: 'User', userId: who.id, username: who.username, roles: who.roles },
        workstation: 'WS-OFF',
        clock: bank.clock,
      },
      procedure,
      { commandId: cmd(), ...input },
      () =>
        Promise.reject(
          Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
        ),
    ) as Promise<{ queued: true; commandId: string }>;
  const SOFIA = { id: sofiaId, username: 'sofia', roles: ['supervisor' as const] };
  const SAM = { id: samId, username: 'sam', roles: ['supervisor' as const] };
  const entry = async (commandId: string, as = sofia) =>
    (await as.call('offline.outbox.list', {})).find((e: OutboxEntryDto) => e.commandId === commandId)!;

  it('a call that finds the bank unreachable goes to the outbox, signed, and answers queued', async () => {
    const p = await start();
    const answer = await queue(SOFIA, 'governance.processes.approve', { processId: p });
    expect(answer).toMatchObject({ queued: true, seq: expect.any(Number) });
    const row = (await offline.store.entry(answer.commandId))!;
    expect(row).toMatchObject({ status: 'queued', userId: sofiaId, workstation: 'WS-OFF', attempts: 0 });
    const { publicKey } = await offline.store.workstationKey();
    const signed = {
      commandId: row.commandId,
      procedure: row.procedure,
      input: row.input,
      userId: row.userId,
      workstation: row.workstation,
      localTime: row.localTime.toISOString(),
    };
    expect(verifyQueued(publicKey, signed, row.signature!)).toBe(true);
    expect(verifyQueued(publicKey, { ...signed, input: { processId: randomUUID() } }, row.signature!)).toBe(
      false,
    );
    expect(await sofia.call('offline.status', {})).toMatchObject({
      localStore: true,
      pending: 1,
      rejected: 0,
    });
    // Another user's outbox entries are not theirs to see.
    expect(await sam.call('offline.outbox.list', {})).toEqual([]);

    await offline.drain();
    expect(await entry(answer.commandId)).toMatchObject({ status: 'done', attempts: 1, rejection: null });
    const detail = (await sofia.call('governance.processes.get', { id: p })) as ProcessDetailDto;
    expect(detail.votes).toMatchObject([
      { voter: 'sofia', decision: 'approve', channel: 'queued', workstation: 'WS-OFF' },
    ]);
    // Replaying again (a crash before the outbox heard of the commit) changes nothing at the bank.
    await offline.store.markReplaying(row.seq, new Date());
    await offline.drain();
    // Attempts: the first replay, the one cut short, the repeat.
    expect(await entry(answer.commandId)).toMatchObject({ status: 'done', attempts: 3 });
    expect(await db('governance_votes').where({ process_id: p })).toHaveLength(1);
  });

  it('what the bank now refuses ends rejected with its reason; nothing is dropped', async () => {
    const [concluded, leftCommittee, disabled, voted] = [
      await start(),
      await start(),
      await start(),
      await start(),
    ];
    const a = await queue(SOFIA, 'governance.processes.approve', { processId: concluded });
    const b = await queue(SOFIA, 'governance.processes.deny', { processId: leftCommittee, reason: 'No' });
    const c = await queue(SAM, 'governance.processes.approve', { processId: disabled });
    const d = await queue(SOFIA, 'governance.processes.approve', { processId: voted });
    // While they waited: the first process was decided, sofia left the committee for the second
    // (and so for the fourth), sam was disabled.
    await sue.call('governance.processes.deny', { commandId: cmd(), processId: concluded, reason: 'Late' });
    await admin.call('governance.committees.removeMember', {
      commandId: cmd(),
      committeeId: committee,
      userId: sofiaId,
    });
    await admin.call('staff.disable', { commandId: cmd(), userId: samId, reason: 'Left the bank' });
    await offline.drain();
    expect((await entry(a.commandId)).rejection).toEqual({
      code: 'PROCESS_CONCLUDED',
      params: { status: 'denied' },
    });
    expect((await entry(b.commandId)).rejection).toMatchObject({ code: 'NOT_A_MEMBER' });
    expect((await entry(d.commandId)).rejection).toMatchObject({ code: 'NOT_A_MEMBER' });
    const samEntry = (await offline.store.entry(c.commandId))!;
    expect(samEntry).toMatchObject({ status: 'rejected', rejection: { code: 'USER_DISABLED' } });
    expect(await sofia.call('offline.status', {})).toMatchObject({ pending: 0, rejected: 3 });
    expect(await sofia.call('offline.outbox.list', { status: 'rejected' })).toHaveLength(3);
    // The bank heard every attempt: refusals are in its audit log too.
    const refused = await db('audit_log').whereIn('command_id', [a.commandId, b.commandId]).select('outcome');
    expect(refused.map((r) => r.outcome)).toEqual(['Failure', 'Failure']);
    void samPassword;
  });

  it('a vote on a withdrawal cancelled meanwhile is refused with the withdrawal’s state', async () => {
    await admin.call('governance.committees.addMember', {
      commandId: cmd(),
      committeeId: committee,
      userId: sofiaId,
    });
    await admin.call('governance.policies.set', {
      commandId: cmd(),
      processType: 'withdraw',
      currency: 'USD',
      tiers: [{ upTo: null, committeeId: committee, threshold: 1 }],
    });
    await admin.call('accounting.openFirstFiscalYear', { commandId: cmd(), startsOn: '2026-01-01' });
    const customerId = await insertProspect(db, { fullName: 'Dora Depositor' });
    await db('customers').insert({ id: customerId, public_id: 'C-OFF0001', status: 'active' });
    const account = await admin.call('deposits.accounts.open', { commandId: cmd(), customerId });
    await tina.call('deposits.record', {
      commandId: cmd(),
      accountId: account.id,
      amount: '50000',
      method: 'wire',
    });
    const w = await tina.call('deposits.withdrawals.initiate', {
      commandId: cmd(),
      accountId: account.id,
      amount: '20000',
      method: 'wire',
    });
    const processId = (await sofia.call('governance.inbox', { type: 'withdraw' }))[0]!.id;
    const q = await queue(SOFIA, 'governance.processes.approve', { processId });
    await tina.call('deposits.withdrawals.cancel', { commandId: cmd(), id: w.id, reason: 'Customer left' });
    await offline.drain();
    expect((await entry(q.commandId)).rejection).toEqual({
      code: 'WITHDRAWAL_STATE',
      params: { status: 'cancelled', action: 'approve' },
    });
    expect(await db('governance_votes').where({ process_id: processId })).toEqual([]);
  });

  it('the replay tells listeners of every change', async () => {
    const seen: string[] = [];
    const stop = offline.onChange((e) => seen.push(e.status));
    const q = await queue(SOFIA, 'governance.processes.approve', { processId: await start() });
    await offline.drain();
    stop();
    expect(seen).toEqual(['queued', 'replaying', 'done']);
    expect((await entry(q.commandId)).status).toBe('done');
  });
});
