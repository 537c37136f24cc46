import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../main/db';
import { LocalStore } from '../../main/offline';
import type { OutboxEntryDto } from '../../shared/contract';
import type { ErrorPayload } from '../../shared/errors';
import { ADMIN, cmd, onServer, signIn, startTestBank, userWithRoles } from './harness';
import { TcpProxy } from './tcp-proxy';

/**
 * ARCHITECTURE 6 end to end on a PostgreSQL server: the workstation's app runs as its own process
 * behind a TCP proxy this test controls. The link is cut, votes queue, the app is killed and comes
 * back while still offline, the link returns and the outbox replays by itself, once per vote.
 */
describe('offline votes through a cut link (postgres)', async () => {
  if (!onServer) {
    it.skip('needs a PostgreSQL server (TEST_DATABASE_URL): PGlite cannot be put behind a proxy');
    return;
  }
  const bank = await startTestBank();
  const s = bank.services;
  const db = s.database.knex;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const sofia = await userWithRoles(bank, admin, 'sofia', ['supervisor']);
  const { client: sam } = await userWithRoles(bank, admin, 'sam', ['supervisor']);
  const { client: sue } = await userWithRoles(bank, admin, 'sue', ['supervisor']);
  const { client: tina } = await userWithRoles(bank, admin, 'tina', ['teller']);
  const tinaId = (await tina.call('session.current', {}))!.userId;
  const idOf = async (c: typeof sam) => (await c.call('session.current', {}))!.userId;
  const sofiaId = await idOf(sofia.client);
  const committee = (await admin.call('governance.committees.create', { commandId: cmd(), name: 'Credit' }))
    .id;
  for (const userId of [sofiaId, await idOf(sam), await idOf(sue)]) {
    await admin.call('governance.committees.addMember', { commandId: cmd(), committeeId: committee, userId });
  }
  await admin.call('governance.policies.set', {
    commandId: cmd(),
    processType: 'disbursal',
    currency: 'USD',
    tiers: [{ upTo: null, committeeId: committee, threshold: 2 }],
  });
  // Disbursals have no module yet: their processes conclude with nobody to tell.
  const start = () =>
    inTransaction(db, (trx) =>
      s.governance.startProcess(trx, {
        type: 'disbursal',
        amount: '250000',
        currency: 'USD',
        target: { kind: 'disbursal', id: randomUUID() },
        initiatedBy: tinaId,
        summary: { customer: 'Jane Roe' },
      }),
    );
  const processes = [await start(), await start(), await start(), await start()];
  const [p1, p2, p3, p4] = processes.map((p) => p.id) as [string, string, string, string];

  const target = new URL(bank.databaseUrl!);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.start();
  const viaProxy = new URL(target.toString());
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const dir = mkdtempSync(join(tmpdir(), 'bank-offline-'));
  const storeDir = join(dir, 'local-store');
  let app: App | null = null;

  afterAll(async () => {
    app?.child.kill('SIGKILL');
    await proxy.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  interface App {
    child: ChildProcess;
    startedAs: string;
    call<T = unknown>(name: string, input: unknown, conn?: string): Promise<T>;
    fail(name: string, input: unknown, conn?: string): Promise<ErrorPayload>;
    /** Events the app pushes (outbox.changed, connectivity.changed). */
    events: { event: string; payload: { status?: string } }[];
  }

  async function launch(): Promise<App> {
    const child = fork(
      resolve(import.meta.dirname, 'offline-app.ts'),
      [viaProxy.toString(), storeDir, 'WS-SUP'],
      {
        execArgv: ['--import', resolve(import.meta.dirname, 'raw-loader.mjs'), '--import', 'tsx'],
        // The app's own log (pool errors while the link is cut) is kept for a failed start only.
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      },
    );
    const events: App['events'] = [];
    const pending = new Map<number, (r: { ok: boolean; result?: unknown; error?: ErrorPayload }) => void>();
    let next = 1;
    const startedAs = await new Promise<string>((resolveReady, reject) => {
      let log = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-4000)));
      child.once('exit', (code) =>
        reject(new Error(`the app exited with ${code} before it was ready:\n${log}`)),
      );
      child.on('message', (m: { ready?: boolean; state?: string; id?: number; event?: string }) => {
        if (m.ready) resolveReady(m.state!);
        if (m.event) {
          events.push(m as App['events'][number]);
        }
        if (m.id !== undefined) pending.get(m.id)?.(m as never);
      });
    });
    const raw = (name: string, input: unknown, conn = 'sofia') =>
      new Promise<{ ok: boolean; result?: unknown; error?: ErrorPayload }>((r) => {
        const id = next++;
        pending.set(id, r);
        child.send({ id, conn, name, input });
      });
    return {
      child,
      startedAs,
      events,
      async call<T>(name: string, input: unknown, conn?: string) {
        const r = await raw(name, input, conn);
        if (!r.ok) throw new Error(`${name} failed: ${JSON.stringify(r.error)}`);
        return r.result as T;
      },
      async fail(name: string, input: unknown, conn?: string) {
        const r = await raw(name, input, conn);
        if (r.ok) throw new Error(`${name} unexpectedly succeeded`);
        return r.error!;
      },
    };
  }

  async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000) {
    const started = Date.now();
    for (;;) {
      const v = await probe();
      if (ok(v)) return { value: v, ms: Date.now() - started };
      if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const state = () => app!.call<{ state: string }>('system.connectivity', {}).then((c) => c.state);
  const outbox = () => app!.call<OutboxEntryDto[]>('offline.outbox.list', {});
  const votesOf = async (processId: string) =>
    db('governance_votes').where({ process_id: processId, voter_id: sofiaId }).select('channel', 'decision');
  const commandIds: string[] = [];

  it('online, signing in keeps a verifier and a copy of the inbox', async () => {
    app = await launch();
    expect(app.startedAs).toBe('online');
    await app.call('session.login', { username: 'sofia', password: sofia.password });
    const { value } = await until(
      'the inbox copy',
      () => app!.call<{ approvalsAsOf: string | null }>('offline.status', {}),
      (st) => st.approvalsAsOf !== null,
    );
    expect(value).toMatchObject({ localStore: true, pending: 0 });
  });

  it('cut: the monitor says offline within seconds; votes queue; the rest is refused at once', async () => {
    await proxy.cut();
    const { ms } = await until('offline', state, (st) => st === 'offline');
    expect(ms).toBeLessThan(5_000);
    for (const [name, input] of [
      ['governance.processes.approve', { processId: p1 }],
      ['governance.processes.approve', { processId: p2 }],
      ['governance.processes.deny', { processId: p3, reason: 'Collateral not seen' }],
      ['governance.processes.approve', { processId: p4 }],
    ] as const) {
      const commandId = cmd();
      commandIds.push(commandId);
      expect(await app!.call(name, { commandId, ...input })).toMatchObject({ queued: true, commandId });
    }
    const refused = Date.now();
    expect((await app!.fail('staff.list', {})).code).toBe('OFFLINE');
    expect(Date.now() - refused).toBeLessThan(1_000);
    // The inbox is served from its copy, the queued votes shown as decided.
    const inbox = await app!.call<{ id: string; canVote: boolean; myVote: string | null }[]>(
      'governance.inbox',
      {},
    );
    expect(inbox.find((p) => p.id === p1)).toMatchObject({ canVote: false, myVote: 'approve' });
    expect(inbox.find((p) => p.id === p3)).toMatchObject({ canVote: false, myVote: 'deny' });
    // Meanwhile, at the bank, p4 is decided without sofia.
    await sam.call('governance.processes.deny', { commandId: cmd(), processId: p4, reason: 'Too risky' });
  });

  it('killed and restarted while still offline: the app starts, the queue is intact, unlock works', async () => {
    app!.child.kill('SIGKILL');
    await new Promise((r) => app!.child.once('exit', r));
    app = await launch();
    expect(app.startedAs).toBe('offline');
    // What the bank said last is what the sign-in screen shows: never the setup screen.
    expect(await app.call('system.info', {})).toMatchObject({
      needsSetup: false,
      bankName: 'First Test Bank',
    });
    expect((await app.fail('session.login', { username: 'sofia', password: 'Wrong-Pass-2026!' })).code).toBe(
      'INVALID_CREDENTIALS',
    );
    await app.call('session.login', { username: 'sofia', password: sofia.password });
    // The lock screen works offline too, against the same verifier.
    await app.call('session.lock', {});
    expect((await app.fail('offline.outbox.list', {})).code).toBe('WORKSTATION_LOCKED');
    expect((await app.fail('session.unlock', { password: 'Wrong-Pass-2026!' })).code).toBe(
      'INVALID_CREDENTIALS',
    );
    await app.call('session.unlock', { password: sofia.password });
    const entries = await outbox();
    expect(entries.map((e) => [e.commandId, e.status, e.signed]).reverse()).toEqual(
      commandIds.map((id) => [id, 'queued', true]),
    );
    const inbox = await app.call<{ id: string }[]>('governance.inbox', {});
    expect(inbox.map((p) => p.id)).toEqual(expect.arrayContaining([p1, p2, p3]));
    expect(await votesOf(p1)).toEqual([]);
  });

  it('the link returns: the outbox replays by itself, once per vote; a concluded process rejects', async () => {
    await proxy.restore();
    const { value } = await until(
      'the replay',
      outbox,
      (es) => es.every((e) => e.status === 'done' || e.status === 'rejected'),
      20_000,
    );
    const byId = new Map(value.map((e) => [e.commandId, e]));
    expect(commandIds.slice(0, 3).map((id) => byId.get(id)!.status)).toEqual(['done', 'done', 'done']);
    expect(byId.get(commandIds[3]!)).toMatchObject({
      status: 'rejected',
      rejection: { code: 'PROCESS_CONCLUDED', params: { status: 'denied' } },
    });
    expect(await votesOf(p1)).toEqual([{ channel: 'queued', decision: 'approve' }]);
    expect(await votesOf(p2)).toEqual([{ channel: 'queued', decision: 'approve' }]);
    expect(await votesOf(p3)).toEqual([{ channel: 'queued', decision: 'deny' }]);
    expect(await votesOf(p4)).toEqual([]);
    // The vote's audit record carries the workstation's signature made at decision time.
    const audit = await db('audit_log').where({ command_id: commandIds[0] }).first();
    expect(audit.metadata).toMatchObject({ channel: 'queued', signature: expect.any(String) });
  });

  it('a replay cut after the bank committed and repeated counts the vote once', async () => {
    app!.child.kill('SIGKILL');
    await new Promise((r) => app!.child.once('exit', r));
    // As if the app had died between the bank's commit and the outbox hearing of it.
    const store = await LocalStore.open(storeDir);
    const entry = (await store.entry(commandIds[0]!))!;
    await store.markReplaying(entry.seq, new Date());
    await store.close();
    app = await launch();
    await app.call('session.login', { username: 'sofia', password: sofia.password });
    await until(
      'the repeat',
      outbox,
      (es) => es.find((e) => e.commandId === commandIds[0])!.status === 'done',
    );
    expect(await votesOf(p1)).toEqual([{ channel: 'queued', decision: 'approve' }]);
    const logged = await db('command_log').where({ command_id: commandIds[0] }).count({ n: '*' });
    expect(Number(logged[0]!.n)).toBe(1);
    expect((await outbox()).find((e) => e.commandId === commandIds[0])!.attempts).toBe(3);
  });

  it('a replay cut live in the middle resumes when the link returns; each vote counts once', async () => {
    const more: string[] = [];
    for (let i = 0; i < 30; i++) more.push((await start()).id);
    await proxy.cut();
    await until('offline', state, (st) => st === 'offline');
    const queued: string[] = [];
    for (const processId of more) {
      const commandId = cmd();
      queued.push(commandId);
      await app!.call('governance.processes.approve', { commandId, processId });
    }
    // The last ten processes are held by another transaction at the bank: their votes wait there,
    // in flight, while the others go through. Then the link is cut under them.
    const held = more.slice(20);
    const holder = await db.transaction();
    await holder('governance_processes').whereIn('id', held).forUpdate().select('id');
    const sofiasVotes = async () =>
      Number(
        (
          await db('governance_votes')
            .whereIn('process_id', more)
            .where({ voter_id: sofiaId })
            .count({ n: '*' })
        )[0]!.n,
      );
    await proxy.restore();
    await until('the votes not held', sofiasVotes, (n) => n === 20, 20_000);
    await proxy.cut();
    const { value: midway } = await until('the replay to stop', outbox, (es) =>
      es.every((e) => e.status !== 'replaying'),
    );
    await holder.rollback();
    const fate = (ids: string[]) => midway.filter((e) => ids.includes(e.commandId)).map((e) => e.status);
    expect(fate(queued.slice(0, 20))).toEqual(Array(20).fill('done'));
    expect(fate(queued.slice(20))).toEqual(Array(10).fill('queued'));
    expect(await sofiasVotes()).toBe(20);
    await proxy.restore();
    await until('the rest', outbox, (es) =>
      es.filter((e) => queued.includes(e.commandId)).every((e) => e.status === 'done'),
    );
    const votes = await db('governance_votes')
      .whereIn('process_id', more)
      .where({ voter_id: sofiaId })
      .select('process_id');
    expect(votes.map((v) => v.process_id).sort()).toEqual([...more].sort());
  });
});
