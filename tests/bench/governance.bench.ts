// The offline issue's figures (ARCHITECTURE 6), on the local PostgreSQL server:
//   - replay of queued votes from a workstation's outbox (its own PGlite store) through the normal
//     command path: identity re-read, command log, vote, evaluation, conclusion, audit record;
//   - the time from a withdrawal's initiation on one connection to its NOTIFY reaching another.
//   BENCH_OFFLINE_VOTES   queued votes to replay (default 10,000)
//   BENCH_NOTIFY_N        withdrawals timed for the NOTIFY latency (default 300)
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { importServices } from './ledger.bench';
import { runCommand } from '../../main/ipc/command';
import { procedures } from '../../shared/contract';
import type { Bench, BenchContext } from './lib/bench';
import { int, ms, seconds } from './lib/format';
import { summarize } from './lib/stats';

const VOTES = Number(process.env.BENCH_OFFLINE_VOTES ?? '10000') || 10_000;
const NOTIFIES = Number(process.env.BENCH_NOTIFY_N ?? '300') || 300;
const ADMIN = { username: 'bench.admin', password: 'Bench-Admin-Secret-1!', fullName: 'Bench Admin' };
const SUPERVISOR_PASSWORD = 'Bench-Supervisor-Secret-1!';

type Call = (name: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

async function startBank(ctx: BenchContext, localStore?: string) {
  const { startServices, internalConnection, Router } = await importServices();
  const url = await ctx.freshPostgresDatabase();
  const services = await startServices({
    database: { url, poolMax: 8 },
    scryptCost: { N: 2 ** 12, r: 8, p: 1 },
    monitorIntervalMs: 0,
    localStore,
  });
  ctx.defer(() => services.close());
  const router = new Router(services, { log: () => undefined });
  const client =
    (workstation: string): Call =>
    async (name, input) => {
      const wire = JSON.stringify(input);
      const conn = connections.get(workstation) ?? internalConnection(workstation);
      connections.set(workstation, conn);
      const answer = JSON.parse(JSON.stringify(await router.handle(conn, name, JSON.parse(wire))));
      if (!answer.ok) throw new Error(`${name}: ${answer.error.code} ${JSON.stringify(answer.error.params)}`);
      return answer.result;
    };
  const connections = new Map<string, ReturnType<typeof internalConnection>>();
  const admin = client('WS-BENCH-ADMIN');
  await admin('setup.createBank', {
    commandId: randomUUID(),
    bankName: 'Bench Bank',
    businessDate: '2026-03-02',
    admin: { ...ADMIN, passwordConfirmation: ADMIN.password },
  });
  await admin('session.login', { username: ADMIN.username, password: ADMIN.password });
  return { services, admin, client, url };
}

async function replayFigures(ctx: BenchContext): Promise<string[]> {
  const votes = ctx.scaled(VOTES, 100);
  const { services, admin } = await startBank(ctx, await ctx.tempDir('outbox'));
  const offline = services.offline!;
  const db = services.database.knex;
  const sofia = (await admin('staff.create', {
    commandId: randomUUID(),
    username: 'sofia',
    fullName: 'Sofia Supervisor',
    roles: ['supervisor'],
    temporaryPassword: SUPERVISOR_PASSWORD,
  })) as { id: string };
  const committee = (await admin('governance.committees.create', { commandId: randomUUID(), name: 'Credit' }))
    .id as string;
  await admin('governance.committees.addMember', {
    commandId: randomUUID(),
    committeeId: committee,
    userId: sofia.id,
  });
  await admin('governance.policies.set', {
    commandId: randomUUID(),
    processType: 'disbursal',
    currency: 'USD',
    tiers: [{ upTo: null, committeeId: committee, threshold: 1 }],
  });

  const startProcesses = async (n: number) => {
    const processIds: string[] = [];
    for (let i = 0; i < n; i += 200) {
      processIds.push(...(await startBatch(i, Math.min(n, i + 200))));
    }
    return processIds;
  };
  const startBatch = (from: number, to: number) =>
    db.transaction(async (trx) => {
      const ids: string[] = [];
      for (let j = from; j < to; j++) {
        const p = await services.governance.startProcess(trx, {
          type: 'disbursal',
          amount: String(100_000 + j),
          currency: 'USD',
          target: { kind: 'disbursal', id: randomUUID() },
          initiatedBy: null,
          summary: { customer: `Bench Customer ${j}` },
        });
        ids.push(p.id);
      }
      return ids;
    });
  ctx.progress(`starting ${int(votes)} approval processes`);
  const processIds = await startProcesses(votes);

  ctx.progress(`queueing ${int(votes)} votes in the workstation's outbox`);
  const queueStarted = performance.now();
  const actor = {
    type: 'User' as const,
    userId: sofia.id,
    username: 'sofia',
    roles: ['supervisor' as const],
  };
  const unreachable = () =>
    Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
  for (const processId of processIds) {
    await offline.runOrQueue(
      { actor, workstation: 'WS-BENCH-SUP', clock: services.clock },
      'governance.processes.approve',
      { commandId: randomUUID(), processId },
      unreachable,
    );
  }
  const queueMs = performance.now() - queueStarted;

  ctx.progress(`replaying ${int(votes)} votes`);
  const started = performance.now();
  // The monitor is not running here: a probe that timed out under load would leave it 'offline'
  // and the replay waiting, so each round asks it first.
  let rounds = 0;
  while ((await offline.store.pendingCount()) > 0 && rounds++ < 20) {
    await services.monitor.probe();
    await offline.drain();
  }
  const replayMs = performance.now() - started;
  if (rounds > 1)
    ctx.note(`(the replay took ${rounds} rounds: the monitor saw the bank as offline under load)`);
  const done = await offline.store.entries(votes + 10);
  const notDone = done.filter((e) => e.status !== 'done').length;
  if (notDone > 0) throw new Error(`${notDone} outbox entries did not replay`);
  const counted = await db('governance_votes').where({ channel: 'queued' }).count({ n: '*' });
  if (Number(counted[0]!.n) !== votes) throw new Error(`the bank shows ${counted[0]!.n} votes, not ${votes}`);
  const rate = (votes / replayMs) * 1000;

  // The same votes taken online, for comparison: runCommand with the same handler, 6 at a time.
  const baseline = Math.min(votes, ctx.scaled(2_000, 100));
  ctx.progress(`${int(baseline)} online votes for comparison`);
  const online = await startProcesses(baseline);
  const onlineStarted = performance.now();
  let next = 0;
  const ctxOf = { actor, workstation: 'WS-BENCH-SUP', clock: services.clock };
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next < online.length) {
        const processId = online[next++]!;
        await runCommand(
          db,
          services.audit,
          ctxOf,
          {
            procedure: 'governance.processes.approve',
            commandId: randomUUID(),
            payload: { processId },
            output: procedures['governance.processes.approve'].output,
          },
          (scope) => services.governance.approve(scope, processId),
        );
      }
    }),
  );
  const onlineRate = (baseline / (performance.now() - onlineStarted)) * 1000;
  ctx.summary(
    'replay of queued votes (postgres)',
    `${rate.toFixed(0)} votes/s over ${int(votes)} votes (target ≥ 500/s); ` +
      `the same votes online: ${onlineRate.toFixed(0)}/s`,
  );
  return [
    int(votes),
    seconds(queueMs),
    `${((votes / queueMs) * 1000).toFixed(0)}/s`,
    seconds(replayMs),
    `${rate.toFixed(0)}/s`,
    `${onlineRate.toFixed(0)}/s`,
  ];
}

async function notifyFigures(ctx: BenchContext): Promise<string[]> {
  const n = ctx.scaled(NOTIFIES, 20);
  const { services, admin, url } = await startBank(ctx);
  const db = services.database.knex;
  await admin('accounting.openFirstFiscalYear', { commandId: randomUUID(), startsOn: '2026-01-01' });
  const id = randomUUID();
  await db('prospects').insert({
    id,
    customer_type: 'individual',
    email: 'bench@example.com',
    full_name: 'Bench Customer',
  });
  await db('customers').insert({ id, public_id: 'C-B000001' });
  const accountId = (await admin('deposits.accounts.open', { commandId: randomUUID(), customerId: id })).id;
  await admin('deposits.record', { commandId: randomUUID(), accountId, amount: '100000000', method: 'wire' });

  // The second connection: a workstation's LISTEN, as main/db/listen.ts holds it.
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  ctx.defer(() => listener.end());
  let arrived: (() => void) | null = null;
  listener.on('notification', () => arrived?.());
  await listener.query('listen bank_events');

  ctx.progress(`${int(n)} withdrawals, each timed to its NOTIFY on another connection`);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const heard = new Promise<void>((resolve) => (arrived = resolve));
    const t0 = performance.now();
    await Promise.all([
      admin('deposits.withdrawals.initiate', {
        commandId: randomUUID(),
        accountId,
        amount: '1000',
        method: 'wire',
      }),
      heard,
    ]);
    samples.push(performance.now() - t0);
    arrived = null;
  }
  const s = summarize(samples);
  ctx.summary(
    'withdrawal initiation → NOTIFY on a second connection (postgres)',
    `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}`,
  );
  return [int(s.count), ms(s.p50), ms(s.p99), ms(s.max)];
}

export const governanceBench: Bench = {
  name: 'governance',
  title: 'Governance and offline votes',
  async run(ctx) {
    if (!ctx.postgres.ok) {
      ctx.section('offline replay and live approvals');
      ctx.note(`skipped: PostgreSQL is unreachable (${ctx.postgres.reason}).`);
      return;
    }
    ctx.section('replay of queued votes from a workstation outbox');
    ctx.note(
      'Votes queued while offline (local PGlite store, each signed with the workstation key), then ' +
        'replayed in outbox order (one process’s votes one after another, up to 6 processes side by side) ' +
        'through runCommand: identity re-read, command log, vote, ' +
        'evaluation and conclusion (threshold 1), audit record, outbox row marked done.',
    );
    ctx.table(
      ['votes', 'queue time', 'queued/s', 'replay time', 'replayed/s', 'online votes/s (same path)'],
      [await replayFigures(ctx)],
    );
    ctx.section('live approvals: withdrawal initiation to NOTIFY');
    ctx.note(
      'From the router call that initiates a withdrawal (auto-approved tier: process start and ' +
        'conclusion, NOTIFY at commit) to the notification arriving on a separate LISTEN connection.',
    );
    ctx.table(['samples', 'p50', 'p99', 'max'], [await notifyFigures(ctx)]);
  },
};
