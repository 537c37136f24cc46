// The foundation issue's figures: the IPC round trip over the host's WebSocket bridge, the host's
// cold start to the login screen, and the host's memory when idle. Everything runs against the
// built host (`node out/main/host.js`) as a child process, so the client and the server do not
// share an event loop and what is measured is what ships.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser } from '@playwright/test';
import type { Bench, BenchContext } from './lib/bench';
import { int, mib, ms, pct, seconds } from './lib/format';
import { ROOT, startHost, type HostOptions, type HostProcess } from './lib/host';
import { RpcClient, runLoad, type LoadResult } from './lib/rpc';
import { median } from './lib/stats';

const DEMO = JSON.parse(readFileSync(join(ROOT, 'resources/demo/demo-bank.json'), 'utf8')) as {
  password: string;
  staff: { username: string }[];
};
const DEMO_ADMIN = DEMO.staff[0]!.username;

const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const CONCURRENT_CALLERS = 8;
const COLD_START_RUNS = 3;
const IDLE_SECONDS = 5;

type DbKind = 'pglite' | 'postgres';
const DATABASES: DbKind[] = ['pglite', 'postgres'];

async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
  });
  // Let Chromium finish its own start (it keeps a core busy for a while) before anything is timed.
  const context = await browser.newContext();
  await (await context.newPage()).goto('about:blank');
  await context.close();
  await sleep(2000);
  return browser;
}

/** Where a host for `db` keeps its data; undefined when PostgreSQL is unreachable. */
async function hostTarget(ctx: BenchContext, db: DbKind, label: string): Promise<HostOptions | undefined> {
  if (db === 'postgres') {
    if (!ctx.postgres.ok) return undefined;
    return { database: await ctx.freshPostgresDatabase() };
  }
  return { dataDir: join(await ctx.tempDir(label), 'data') };
}

const skipped = (cells: number) => Array<string>(cells).fill('–');

function skippedNote(ctx: BenchContext) {
  if (!ctx.postgres.ok)
    ctx.note(`\nPostgreSQL rows skipped: the server is unreachable (${ctx.postgres.reason}).`);
}

// ---------------------------------------------------------------------------------------------
// 1. Round trip of a trivial procedure through the router over the WebSocket bridge.

interface RpcCase {
  procedure: 'system.info' | 'session.activity';
  signedIn: boolean;
  /** Calls by the 8 callers together (before BENCH_SCALE). */
  concurrentCalls: number;
}

const RPC_CASES: RpcCase[] = [
  { procedure: 'system.info', signedIn: false, concurrentCalls: 20_000 },
  // Fewer calls: it is the slower one, and the runtime of the whole bench should stay near 3 minutes.
  { procedure: 'session.activity', signedIn: true, concurrentCalls: 10_000 },
];

async function rpcSection(ctx: BenchContext) {
  const warmup = ctx.scaled(300, 50);
  const singleCalls = ctx.scaled(3_000, 100);
  const concurrent = RPC_CASES.map((c) => `${int(ctx.scaled(c.concurrentCalls, 200))} (${c.procedure})`);
  ctx.section('IPC round trip over the WebSocket bridge');
  ctx.note(
    `Client: ws sockets in this process; server: the built host in a child process. ${int(warmup)} warm-up calls, then`,
  );
  ctx.note(
    `${int(singleCalls)} calls by 1 caller, then ${concurrent.join(' / ')} calls by ${CONCURRENT_CALLERS} callers`,
  );
  ctx.note(
    `(own socket each, one call in flight each, warmed up again first). Latency as seen by the client.`,
  );
  ctx.note(
    'Host CPU: the host process’s CPU time during the run over its wall time (100% = one core busy).\n',
  );

  const rows: string[][] = [];
  for (const db of DATABASES) {
    const target = await hostTarget(ctx, db, 'rpc');
    if (!target) {
      for (const c of RPC_CASES) rows.push([db, c.procedure, ...skipped(8)]);
      continue;
    }
    ctx.progress(`rpc: starting the host on ${db}`);
    const host = await startHost({ ...target, demo: true });
    try {
      for (const c of RPC_CASES) {
        ctx.progress(`rpc: ${c.procedure} on ${db}`);
        const clients = await Promise.all(
          Array.from({ length: CONCURRENT_CALLERS }, () => RpcClient.connect(host.port, host.token)),
        );
        try {
          if (c.signedIn) {
            for (const client of clients) {
              await client.call('session.login', { username: DEMO_ADMIN, password: DEMO.password });
            }
          }
          await runLoad(clients.slice(0, 1), warmup, c.procedure);
          const cpu0 = host.cpuMs();
          const single = await runLoad(clients.slice(0, 1), singleCalls, c.procedure);
          const singleCpu = (host.cpuMs() - cpu0) / single.wallMs;
          await runLoad(clients, warmup, c.procedure);
          const cpu1 = host.cpuMs();
          const loaded = await runLoad(clients, ctx.scaled(c.concurrentCalls, 200), c.procedure);
          const loadedCpu = (host.cpuMs() - cpu1) / loaded.wallMs;
          const row = (callers: number, r: LoadResult, cpu: number) => [
            db,
            c.procedure,
            String(callers),
            int(r.latency.count),
            int(r.callsPerSecond),
            ms(r.latency.p50),
            ms(r.latency.p90),
            ms(r.latency.p99),
            ms(r.latency.max),
            pct(cpu),
          ];
          rows.push(row(1, single, singleCpu), row(CONCURRENT_CALLERS, loaded, loadedCpu));
          ctx.summary(
            `rpc ${c.procedure} · ${db}`,
            `1 caller p50 ${ms(single.latency.p50)} p99 ${ms(single.latency.p99)} | ` +
              `${CONCURRENT_CALLERS} callers ${int(loaded.callsPerSecond)} calls/s, p50 ${ms(loaded.latency.p50)} p99 ${ms(loaded.latency.p99)}`,
          );
        } finally {
          await Promise.all(clients.map((client) => client.close()));
        }
      }
    } finally {
      await host.stop();
    }
  }
  ctx.table(
    ['database', 'procedure', 'callers', 'calls', 'calls/s', 'p50', 'p90', 'p99', 'max', 'host CPU'],
    rows,
  );
  ctx.note(`\nsystem.info: public, one read of the bank profile. session.activity: signed in, so every call`);
  ctx.note('also re-reads the user (identity and roles) and the bank settings before the trivial handler.');
  skippedNote(ctx);
  if (!ctx.postgres.ok) {
    ctx.summary('rpc · postgres', `skipped (PostgreSQL unreachable: ${ctx.postgres.reason})`);
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Host cold start to the first login screen.

interface ColdRun {
  readyMs: number;
  loginMs: number;
}

async function coldStart(browser: Browser | undefined, target: HostOptions): Promise<ColdRun> {
  // The browser is already up and its tab open: only the app's own start is timed.
  const context = await browser?.newContext();
  const page = await context?.newPage();
  let host: HostProcess | undefined;
  try {
    host = await startHost({ ...target, demo: true });
    let loginMs = Number.NaN;
    if (page) {
      await page.goto(host.url);
      await page
        .getByRole('button', { name: 'Sign in', exact: true })
        .waitFor({ state: 'visible', timeout: 30_000 });
      loginMs = performance.now() - host.spawnedAt;
    }
    return { readyMs: host.readyMs, loginMs };
  } finally {
    await context?.close();
    await host?.stop();
  }
}

/** A data folder that has been migrated and has the demo bank, shared by sections 2 and 3. */
let preparedDataDir: string | undefined;

async function migratedDataDir(ctx: BenchContext): Promise<string> {
  if (!preparedDataDir) {
    const dataDir = join(await ctx.tempDir('prepared'), 'data');
    const host = await startHost({ dataDir, demo: true });
    await host.stop();
    preparedDataDir = dataDir;
  }
  return preparedDataDir;
}

async function coldStartSection(ctx: BenchContext, browser: Browser | undefined) {
  ctx.section('host cold start to the login screen (embedded database)');
  ctx.note('`node out/main/host.js --data-dir <dir> --demo`; (a) spawn → ready line on stdout;');
  ctx.note('(b) spawn → the login screen’s “Sign in” button visible in headless Chromium (launched');
  ctx.note(`beforehand, tab open, navigates at the ready line). Median of ${COLD_START_RUNS} runs.`);
  ctx.note('Fresh: empty folder, so it migrates the schema and loads the demo bank (7 staff, scrypt');
  ctx.note('N=2^15 each). Existing: a folder already migrated with the demo bank loaded.\n');

  const results: Record<'fresh' | 'existing', ColdRun[]> = { fresh: [], existing: [] };
  for (let i = 0; i < COLD_START_RUNS; i++) {
    ctx.progress(`cold start: fresh data dir, run ${i + 1}/${COLD_START_RUNS}`);
    const dataDir = join(await ctx.tempDir('cold'), 'data');
    results.fresh.push(await coldStart(browser, { dataDir }));
    preparedDataDir ??= dataDir;
  }
  const existing = await migratedDataDir(ctx);
  for (let i = 0; i < COLD_START_RUNS; i++) {
    ctx.progress(`cold start: existing data dir, run ${i + 1}/${COLD_START_RUNS}`);
    results.existing.push(await coldStart(browser, { dataDir: existing }));
  }

  const rows: string[][] = [];
  for (const kind of ['fresh', 'existing'] as const) {
    const runs = results[kind];
    const ready = runs.map((r) => r.readyMs);
    const login = runs.map((r) => r.loginMs);
    const uiOnly = runs.map((r) => r.loginMs - r.readyMs);
    rows.push([kind, '(a) spawn → ready', ...ready.map(seconds), seconds(median(ready))]);
    rows.push(['', '(b) spawn → Sign in visible', ...login.map(seconds), seconds(median(login))]);
    rows.push(['', '    of which ready → Sign in', ...uiOnly.map(seconds), seconds(median(uiOnly))]);
    ctx.summary(
      `cold start · ${kind} data dir`,
      `ready ${seconds(median(ready))}, login screen ${seconds(median(login))} (median of ${runs.length})`,
    );
  }
  ctx.table(
    [
      'data dir',
      { header: 'measure', align: 'left' },
      ...Array.from({ length: COLD_START_RUNS }, (_, i) => `run ${i + 1}`),
      'median',
    ],
    rows,
  );
  if (!browser) ctx.note('\n(b) not measured: Chromium could not be launched.');
}

// ---------------------------------------------------------------------------------------------
// 3. Memory of the host process when idle.

async function memorySection(ctx: BenchContext, browser: Browser | undefined) {
  ctx.section('host memory, idle');
  ctx.note('RSS from /proc/<pid>/status (VmRSS); heap from process.memoryUsage() inside the host (a');
  ctx.note('bench-only --import probe, asked over stdin). “after start”: at the ready line. “idle”: one');
  ctx.note(
    `tab connected and signed in (${DEMO_ADMIN}), then ${IDLE_SECONDS} s idle. “live heap”: heap used after a full GC.`,
  );
  ctx.note('With the embedded database, PGlite (WebAssembly) runs inside the host and counts in its RSS.\n');

  const rows: string[][] = [];
  for (const db of DATABASES) {
    const target =
      db === 'pglite' ? { dataDir: await migratedDataDir(ctx) } : await hostTarget(ctx, db, 'memory');
    if (!target) {
      rows.push([db, 'skipped', ...skipped(6)]);
      continue;
    }
    if (db === 'postgres') {
      // Migrate and load the demo bank first, so both databases start from an existing bank.
      await (await startHost({ ...target, demo: true })).stop();
    }
    ctx.progress(`memory: host on ${db}`);
    const host = await startHost({ ...target, memoryProbe: true });
    const context = await browser?.newContext();
    try {
      const start = host.rss();
      const startHeap = await host.memoryUsage();
      rows.push([
        db,
        'after start',
        mib(start.rss),
        mib(startHeap.heapUsed),
        mib(startHeap.heapTotal),
        mib(startHeap.external),
        '',
        mib(start.peak),
      ]);
      let signedIn = false;
      if (context) {
        const page = await context.newPage();
        await page.goto(host.url);
        await page.getByLabel('Username').fill(DEMO_ADMIN);
        await page.getByLabel('Password').fill(DEMO.password);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible', timeout: 30_000 });
        signedIn = true;
      }
      await sleep(IDLE_SECONDS * 1000);
      const idle = host.rss();
      const idleHeap = await host.memoryUsage();
      const live = await host.memoryUsage({ gc: true });
      rows.push([
        '',
        signedIn ? `idle ${IDLE_SECONDS} s, 1 tab signed in` : `idle ${IDLE_SECONDS} s, no browser`,
        mib(idle.rss),
        mib(idleHeap.heapUsed),
        mib(idleHeap.heapTotal),
        mib(idleHeap.external),
        mib(live.heapUsed),
        mib(idle.peak),
      ]);
      ctx.summary(
        `memory host · ${db}`,
        `RSS ${mib(start.rss)} after start, ${mib(idle.rss)} idle signed in; heap used ${mib(idleHeap.heapUsed)} (live ${mib(live.heapUsed)})`,
      );
    } finally {
      await context?.close();
      await host.stop();
    }
  }
  ctx.table(
    [
      'database',
      { header: 'when', align: 'left' },
      'RSS',
      'heap used',
      'heap total',
      'external',
      'live heap',
      'peak RSS',
    ],
    rows,
  );
  skippedNote(ctx);
  if (!ctx.postgres.ok) {
    ctx.summary('memory host · postgres', `skipped (PostgreSQL unreachable: ${ctx.postgres.reason})`);
  }
}

export const foundation: Bench = {
  name: 'foundation',
  title: 'Foundation',
  async run(ctx) {
    await rpcSection(ctx);
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
    } catch (err) {
      ctx.note(`Chromium could not be launched from ${CHROMIUM}: ${(err as Error).message.split('\n')[0]}`);
    }
    try {
      await coldStartSection(ctx, browser);
      await memorySection(ctx, browser);
    } finally {
      await browser?.close();
    }
  },
};
