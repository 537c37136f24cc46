// The deposits issue's figures: deposits and withdrawals end to end through the IPC router (session
// check, zod, command log, ledger posting, governance, audit record) on the local PostgreSQL server,
// with simulated workstations each on its own router connection, every message through JSON both ways.
//   BENCH_DEPOSITS_WORKSTATIONS  concurrent workstations (default 16)
//   BENCH_DEPOSITS_N             deposits (default 3,000); withdrawals are a third of that
//   BENCH_DEPOSITS_ACCOUNTS      deposit accounts the load is spread over (default 64)
//   BENCH_DEPOSITS_RATE          the steady load's deposits per second (default: the target's, 30% of
//                                the ledger baseline measured at the start of the run)
//   BENCH_DEPOSITS_CONNECTIONS   server connections the workstations share (default: one each, plus
//                                4); fewer stand for a transaction pooler in front of the server
// With either of the last two set, the run is not judged against the target.
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import type { Router } from '../../main/ipc/router';
import type { Connection } from '../../main/ipc/connection';
import { baselineRun, importServices } from './ledger.bench';
import type { Bench, BenchContext } from './lib/bench';
import { int, ms, seconds } from './lib/format';
import { statementProfile } from './lib/statements';
import { summarize } from './lib/stats';
import { cpuMeter, type CpuUsed } from './lib/cpu';

const WORKSTATIONS = Number(process.env.BENCH_DEPOSITS_WORKSTATIONS ?? '16') || 16;
const DEPOSITS = Number(process.env.BENCH_DEPOSITS_N ?? '3000') || 3000;
const ACCOUNTS = Number(process.env.BENCH_DEPOSITS_ACCOUNTS ?? '64') || 64;
/** The target: at least this share of the ledger baseline's rate, at p99 under P99_TARGET_MS. */
const TARGET_SHARE = 0.3;
const P99_TARGET_MS = 25;
const PACED_RATE = Number(process.env.BENCH_DEPOSITS_RATE ?? '0') || null;
const CONNECTIONS = Number(process.env.BENCH_DEPOSITS_CONNECTIONS ?? '0') || null;
/** Why a run is not judged against the target: it was asked to measure something else. */
const NOT_JUDGED = PACED_RATE
  ? 'BENCH_DEPOSITS_RATE set'
  : CONNECTIONS
    ? 'BENCH_DEPOSITS_CONNECTIONS set'
    : null;
const ADMIN = { username: 'bench.admin', password: 'Bench-Admin-Secret-1!', fullName: 'Bench Admin' };

type Call = (name: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

function client(router: Router, conn: Connection): Call {
  return async (name, input) => {
    const wire = JSON.stringify(input);
    const answer = JSON.parse(JSON.stringify(await router.handle(conn, name, JSON.parse(wire), wire.length)));
    if (!answer.ok) throw new Error(`${name}: ${answer.error.code} ${JSON.stringify(answer.error.params)}`);
    return answer.result;
  };
}

/** Runs `count` operations on `workers` concurrent workstations; latency per operation. */
interface Load {
  samples: number[];
  wallMs: number;
  cpu: CpuUsed;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `count` operations on `workers` concurrent workstations; latency per operation. Without a
 * rate each workstation starts its next operation as soon as the last one ends (saturation); with
 * one, operation i is due at i / rate seconds (customers arrive at that rate) and its latency runs
 * from when it was due, so an operation kept waiting for a free workstation counts its wait.
 */
async function load(
  db: Knex,
  workers: Call[],
  count: number,
  op: (call: Call, i: number) => Promise<void>,
  ratePerSecond?: number,
): Promise<Load> {
  const samples: number[] = [];
  let next = 0;
  const meter = await cpuMeter(db);
  const started = performance.now();
  await Promise.all(
    workers.map(async (call) => {
      while (next < count) {
        const i = next++;
        const due = ratePerSecond ? started + (i * 1000) / ratePerSecond : 0;
        if (ratePerSecond) await sleep(due - performance.now());
        const t0 = ratePerSecond ? due : performance.now();
        await op(call, i);
        samples.push(performance.now() - t0);
      }
    }),
  );
  const wallMs = performance.now() - started;
  return { samples, wallMs, cpu: await meter.stop() };
}

async function measure(
  ctx: BenchContext,
  url: string,
): Promise<{
  rows: string[][];
  baseline: { perSecond: number; p50: number; p99: number };
  targetRate: number;
  statementRows: string[][] | null;
}> {
  // The services import the default chart with Vite's `?raw`: the ledger bench's loader serves it.
  const { startServices, internalConnection, Router } = await importServices();
  const services = await startServices({
    database: { url, poolMax: CONNECTIONS ?? WORKSTATIONS + 4 },
    scryptCost: { N: 2 ** 12, r: 8, p: 1 },
    monitorIntervalMs: 0,
  });
  ctx.defer(() => services.close());
  const router = new Router(services, { log: () => undefined });
  const setup = client(router, internalConnection('WS-BENCH-SETUP'));
  await setup('setup.createBank', {
    commandId: randomUUID(),
    bankName: 'Bench Bank',
    businessDate: '2026-03-02',
    admin: { ...ADMIN, passwordConfirmation: ADMIN.password },
  });
  const admin = client(router, internalConnection('WS-BENCH-ADMIN'));
  await admin('session.login', { username: ADMIN.username, password: ADMIN.password });
  await admin('accounting.openFirstFiscalYear', { commandId: randomUUID(), startsOn: '2026-01-01' });
  // A teller per workstation, as in a branch: each teller's journal is their own chain, so one user
  // signed in on all sixteen would queue every deposit behind one journal head.
  ctx.progress(`signing in ${WORKSTATIONS} tellers`);
  const workers: Call[] = [];
  for (let i = 0; i < WORKSTATIONS; i++) {
    const username = `bench.teller${i + 1}`;
    const temporary = `Bench-Temporary-${i + 1}-Secret!`;
    await admin('staff.create', {
      commandId: randomUUID(),
      username,
      fullName: `Bench Teller ${i + 1}`,
      roles: ['teller'],
      temporaryPassword: temporary,
    });
    const call = client(router, internalConnection(`WS-BENCH-${i + 1}`));
    await call('session.login', { username, password: temporary });
    await call('session.changePassword', {
      commandId: randomUUID(),
      currentPassword: temporary,
      newPassword: `Bench-Teller-${i + 1}-Secret!`,
    });
    workers.push(call);
  }

  const accounts = ctx.scaled(ACCOUNTS, 4);
  ctx.progress(`opening ${accounts} deposit accounts`);
  const db = services.database.knex;
  const accountIds: string[] = [];
  for (let i = 0; i < accounts; i++) {
    const id = randomUUID();
    await db('prospects').insert({
      id,
      customer_type: 'individual',
      email: `bench-${i}@example.com`,
      full_name: `Bench Customer ${i}`,
    });
    await db('customers').insert({ id, public_id: `C-B${String(i).padStart(6, '0')}` });
    accountIds.push(
      (await admin('deposits.accounts.open', { commandId: randomUUID(), customerId: id })).id as string,
    );
  }

  // The yardstick, on this database with this pool in this run: the machine's speed varies from day
  // to day (the same bench has measured 1,645/s and 2,916/s on two days), the share much less.
  ctx.progress(`ledger baseline (insert + update) with ${WORKSTATIONS} writers`);
  const baseline = await baselineRun(db, WORKSTATIONS);
  const targetRate = Math.round(baseline.perSecond * TARGET_SHARE);

  const deposits = ctx.scaled(DEPOSITS, 100);
  ctx.progress(`${int(deposits)} deposits from ${WORKSTATIONS} workstations`);
  const deposit = async (call: Call, i: number) => {
    await call('deposits.record', {
      commandId: randomUUID(),
      accountId: accountIds[i % accountIds.length],
      amount: String(100_000 + (i % 997)),
      method: 'wire',
    });
  };
  const statements = await statementProfile(db);
  await statements?.reset();
  const dep = await load(db, workers, deposits, deposit);
  const statementRows = (await statements?.top(deposits)) ?? null;
  const pacedRate = PACED_RATE ?? targetRate;
  const steady = Math.max(100, Math.round(pacedRate * 5));
  ctx.progress(`${int(steady)} deposits arriving at ${pacedRate}/s`);
  const paced = await load(db, workers, steady, deposit, pacedRate);

  const withdrawals = Math.max(30, Math.round(deposits / 3));
  ctx.progress(`${int(withdrawals)} withdrawals (initiate + auto-approve + confirm)`);
  const wd = await load(db, workers, withdrawals, async (call, i) => {
    const w = await call('deposits.withdrawals.initiate', {
      commandId: randomUUID(),
      accountId: accountIds[i % accountIds.length],
      amount: String(1_000 + (i % 101)),
      method: 'cash',
    });
    await call('deposits.withdrawals.confirm', { commandId: randomUUID(), id: w.id });
  });

  const tb = (await admin('accounting.trialBalance', {
    from: '2026-01-01',
    to: '2026-12-31',
    layer: 'all',
  })) as { balanced: boolean };
  if (!tb.balanced) throw new Error('the trial balance does not balance after the load');

  const row = (label: string, r: Load) => {
    const s = summarize(r.samples);
    const rate = (s.count / r.wallMs) * 1000;
    const per = (total: number | null) => (total === null ? 'n/a' : ms(total / s.count));
    ctx.summary(
      `postgres, ${WORKSTATIONS} workstations: ${label}`,
      `${rate.toFixed(0)}/s, p50 ${ms(s.p50)}, p99 ${ms(s.p99)}; CPU per operation: ` +
        `server ${per(r.cpu.serverMs)}, workstations ${per(r.cpu.clientMs)}`,
    );
    return [
      label,
      int(WORKSTATIONS),
      int(s.count),
      seconds(r.wallMs),
      `${rate.toFixed(0)}/s`,
      ms(s.p50),
      ms(s.p99),
      ms(s.max),
      per(r.cpu.serverMs),
      per(r.cpu.clientMs),
    ];
  };
  const rows = [
    row('deposit (saturated)', dep),
    row(`deposit, arriving at ${pacedRate}/s`, paced),
    row('withdrawal (initiate + confirm)', wd),
  ];
  const pacedStats = summarize(paced.samples);
  const kept = (pacedStats.count / paced.wallMs) * 1000 >= pacedRate * 0.97;
  const met = kept && pacedStats.p99 < P99_TARGET_MS;
  ctx.summary(
    `target: ${TARGET_SHARE * 100}% of the baseline at p99 < ${P99_TARGET_MS} ms`,
    `baseline ${int(baseline.perSecond)}/s (p99 ${ms(baseline.p99)}) → ${targetRate}/s; ` +
      `deposits ${kept ? 'kept up' : 'fell behind'} at ${pacedRate}/s, p99 ${ms(pacedStats.p99)}; ` +
      `saturated ${((summarize(dep.samples).count / dep.wallMs) * 1000).toFixed(0)}/s = ` +
      `${((summarize(dep.samples).count / dep.wallMs / baseline.perSecond) * 100000).toFixed(0)}% of the baseline: ` +
      (NOT_JUDGED ? `not judged (${NOT_JUDGED})` : met ? 'met' : 'not met'),
  );
  const budget = cpuBudget(baseline.cpu, baseline.count, dep, targetRate);
  if (budget) ctx.summary('CPU budget at the target rate', budget);
  return { rows, baseline, targetRate, statementRows };
}

/**
 * Why the target is or is not within reach on this machine: what one deposit and one baseline
 * transaction cost in CPU (server and workstations, which here share the same cores), and how many
 * cores deposits at the target rate would keep busy. Null where the server's CPU cannot be read.
 */
function cpuBudget(
  baseline: CpuUsed | undefined,
  baselineCount: number,
  dep: Load,
  rate: number,
): string | null {
  if (!baseline || baseline.serverMs === null || dep.cpu.serverMs === null) return null;
  const deposits = dep.samples.length;
  const server = dep.cpu.serverMs / deposits;
  const workstations = dep.cpu.clientMs / deposits;
  const perBaseline = (baseline.serverMs + baseline.clientMs) / baselineCount;
  const cores = (perOp: number) => ((rate * perOp) / 1000).toFixed(2);
  return (
    `a deposit uses ${ms(server + workstations)} of CPU (server ${ms(server)}, workstations ` +
    `${ms(workstations)}), the baseline's transaction ${ms(perBaseline)} ` +
    `(${((server + workstations) / perBaseline).toFixed(1)}×); deposits at ${rate}/s need ` +
    `${cores(server + workstations)} cores (server ${cores(server)}) of this machine's ${availableParallelism()}; ` +
    `the one thread playing the workstations caps deposits near ${int(1000 / workstations)}/s`
  );
}

export const depositsBench: Bench = {
  name: 'deposits',
  title: 'Deposits',
  async run(ctx) {
    ctx.section('deposits and withdrawals through the IPC router');
    ctx.note(
      `Each operation is a router call as a renderer makes it (JSON both ways): session check, ` +
        `zod, one transaction with the command log, the account row lock, the ledger ` +
        `posting (omnibus sharded, customer account one row), and the audit record. A withdrawal is ` +
        `two commands: initiate (posting + approval process, auto-approved by the default policy) ` +
        `and confirm (posting). Spread over ${ACCOUNTS} accounts.`,
    );
    if (!ctx.postgres.ok) {
      ctx.note(`skipped: PostgreSQL is unreachable (${ctx.postgres.reason}).`);
      return;
    }
    const { rows, baseline, targetRate, statementRows } = await measure(
      ctx,
      await ctx.freshPostgresDatabase(),
    );
    ctx.table(
      [
        { header: 'operation', align: 'left' },
        'workstations',
        'operations',
        'wall',
        'throughput',
        'p50',
        'p99',
        'max',
        'server CPU/op',
        'workstation CPU/op',
      ],
      rows,
    );
    ctx.note(
      'CPU per operation: the database server backends (from /proc) and this one process, which plays ' +
        'all the workstations. Here both share the same 2 cores; in a branch every workstation brings ' +
        "its own CPU, so the server's figure is what bounds the bank's deposit rate.",
    );
    ctx.note(
      `Ledger baseline, measured first in this run on the same database and pool (insert one row + ` +
        `update one row, ${WORKSTATIONS} writers): ${int(baseline.perSecond)}/s, p50 ${ms(baseline.p50)}, ` +
        `p99 ${ms(baseline.p99)}. The issue's target is deposits at ${TARGET_SHARE * 100}% of it ` +
        `(${targetRate}/s) with p99 under ${P99_TARGET_MS} ms: the paced row, whose latency runs from ` +
        `each deposit's arrival. Postings straight into the ledger: \`npm run bench -- ledger\`.`,
    );
    if (statementRows) {
      ctx.note('Server executor time per deposit in the saturated run, by statement (pg_stat_statements):');
      ctx.table(
        [
          { header: 'level', align: 'left' },
          'calls per deposit',
          'time per deposit',
          { header: 'query', align: 'left' },
        ],
        statementRows,
      );
    } else {
      ctx.note(
        'For the server time per statement, load pg_stat_statements on the server ' +
          "(shared_preload_libraries, and pg_stat_statements.track = 'all' to see inside the ledger's functions).",
      );
    }
  },
};
