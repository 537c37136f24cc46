// The ledger's figures: postings per second and latency of deposit- and withdrawal-shaped postings at
// 1-16 concurrent writers against a trivial insert+update baseline measured the same way, what
// sharding a hot omnibus buys, and balance-as-of / trial balance over a large generated ledger.
//   BENCH_LEDGER_SECONDS  duration of each throughput case (default 3)
//   BENCH_LEDGER_ENTRIES  size of the generated ledger (default 3,000,000, which generates in about
//                        70 s on the 2-core dev machine; 10,000,000 takes about 4-5 minutes)
//   BENCH_LEDGER_PARTS    which parts to run, comma-separated: throughput,sharding,batch,large (default all)
import { randomUUID } from 'node:crypto';
import { register } from 'node:module';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database, type Db } from '../../main/db';
import { migrate } from '../../main/db/migrate';
import { createLedger, type Ledger } from '../../main/ledger';
import { DEPOSIT, RECORDED_AT, WITHDRAW } from '../fixtures/ledger-writer';
import type { Bench, BenchContext } from './lib/bench';
import { cpuMeter, type CpuUsed } from './lib/cpu';
import { int, ms } from './lib/format';
import { summarize } from './lib/stats';

const SECONDS = Number(process.env.BENCH_LEDGER_SECONDS ?? '3') || 3;
const ENTRIES = Number(process.env.BENCH_LEDGER_ENTRIES ?? '3000000') || 3_000_000;
const WRITERS = [1, 4, 8, 16];
const RUNS = 20;

type Kind = 'baseline' | 'deposit' | 'withdraw';

interface Fixture {
  db: Db;
  ledger: Ledger;
  omnibus: string;
  /** One funded customer account per writer. */
  customers: string[];
}

async function openLedger(database: Database, writers: number, shards: number): Promise<Fixture> {
  const db = database.knex;
  await migrate(db);
  const ledger = createLedger();
  const at = RECORDED_AT;
  if (!(await db('ledger_fiscal_years').first()))
    await db.transaction((trx) => ledger.openFirstFiscalYear(trx, '2026-01-01', at));
  const tag = randomUUID().slice(0, 8);
  const omnibus = await ledger.createAccount(
    db,
    { code: `omni-${tag}`, name: 'Omnibus', normalBalance: 'debit', currency: 'USD', shards },
    at,
  );
  const customers: string[] = [];
  for (let w = 0; w < writers; w++) {
    const customer = await ledger.createAccount(
      db,
      {
        code: `c-${tag}-${w}`,
        name: `C ${w}`,
        normalBalance: 'credit',
        currency: 'USD',
        preventOverdraft: true,
      },
      at,
    );
    await db.transaction((trx) =>
      ledger.post(
        trx,
        DEPOSIT,
        { omnibus, customer, amount: 10n ** 12n },
        { idempotencyKey: randomUUID(), effectiveDate: '2026-03-02' },
        at,
      ),
    );
    customers.push(customer);
  }
  await baselineTables(db);
  return { db, ledger, omnibus, customers };
}

async function baselineTables(db: Db): Promise<void> {
  await db.raw(
    `create table if not exists bench_rows (id bigserial primary key, writer int not null, at timestamptz not null)`,
  );
  await db.raw(`create table if not exists bench_counters (writer int primary key, n bigint not null)`);
  await db.raw(`insert into bench_counters select g, 0 from generate_series(0, 63) g on conflict do nothing`);
}

/** The baseline transaction: insert one row, update one row of this writer's own. */
function baselineOnce(db: Db, w: number): Promise<unknown> {
  return db.transaction(async (trx) => {
    await trx.raw(`insert into bench_rows (writer, at) values (?, now())`, [w]);
    await trx.raw(`update bench_counters set n = n + 1 where writer = ?`, [w]);
  });
}

/**
 * The ledger issue's baseline on any database, for benches that state their figures against it
 * measured in the same run: this machine's speed varies from day to day, the ratio much less.
 */
export async function baselineRun(db: Db, writers: number, seconds = SECONDS): Promise<Run> {
  await baselineTables(db);
  return load((w) => baselineOnce(db, w), writers, seconds, db);
}

function once(f: Fixture, kind: Kind, w: number): Promise<unknown> {
  if (kind === 'baseline') return baselineOnce(f.db, w);
  return f.db.transaction((trx) =>
    f.ledger.post(
      trx,
      kind === 'deposit' ? DEPOSIT : WITHDRAW,
      { omnibus: f.omnibus, customer: f.customers[w]!, amount: 1n },
      { idempotencyKey: randomUUID(), effectiveDate: '2026-03-02' },
      RECORDED_AT,
    ),
  );
}

export interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  count: number;
  /** CPU the measured part used (after the warm-up), where the run was metered. */
  cpu?: CpuUsed;
}

async function load(
  op: (writer: number) => Promise<unknown>,
  writers: number,
  seconds: number,
  meterOn?: Db,
): Promise<Run> {
  // A short warm-up, then a fixed duration; every writer has one transaction in flight.
  const warm = performance.now() + 300;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (performance.now() < warm) await op(w);
    }),
  );
  const samples: number[] = [];
  const meter = meterOn ? await cpuMeter(meterOn) : null;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await op(w);
        samples.push(performance.now() - t0);
      }
    }),
  );
  const wall = performance.now() - start;
  const cpu = meter ? await meter.stop() : undefined;
  const s = summarize(samples);
  return { perSecond: (s.count / wall) * 1000, p50: s.p50, p99: s.p99, count: s.count, cpu };
}

const cell = (r: Run) => [int(r.perSecond), ms(r.p50), ms(r.p99)];
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

async function throughput(ctx: BenchContext) {
  ctx.section('posting throughput against a trivial transaction');
  ctx.note(
    `Each case runs ${SECONDS} s (after 0.3 s warm-up) with N writers, one transaction in flight each, own connection.`,
  );
  ctx.note('baseline: insert one row + update one row (a different row per writer) in one transaction.');
  ctx.note(
    'deposit: 2 entries (omnibus with 8 shards DR, customer CR); withdrawal: 4 entries (settled + pending).',
  );
  ctx.note('ratio: ledger postings/s over baseline transactions/s, same driver, same concurrency.\n');
  const rows: string[][] = [];
  const targets: { label: string; writers: number[]; open: () => Promise<Database> }[] = [
    { label: 'pglite', writers: [1], open: () => openDatabase({ dataDir: 'memory://' }) },
  ];
  if (ctx.postgres.ok) {
    const url = await ctx.freshPostgresDatabase();
    targets.push({ label: 'postgres', writers: WRITERS, open: () => openDatabase({ url, poolMax: 24 }) });
  } else ctx.note(`PostgreSQL rows skipped: ${ctx.postgres.reason}`);
  for (const t of targets) {
    const database = await t.open();
    try {
      for (const writers of t.writers) {
        const f = await openLedger(database, writers, 8);
        const r = {} as Record<Kind, Run>;
        for (const kind of ['baseline', 'deposit', 'withdraw'] as Kind[]) {
          ctx.progress(`ledger: ${kind} on ${t.label} with ${writers} writers`);
          r[kind] = await load((w) => once(f, kind, w), writers, SECONDS);
        }
        rows.push([
          t.label,
          String(writers),
          ...cell(r.baseline),
          ...cell(r.deposit),
          ratio(r.deposit.perSecond, r.baseline.perSecond),
          ...cell(r.withdraw),
          ratio(r.withdraw.perSecond, r.baseline.perSecond),
        ]);
        ctx.summary(
          `${t.label} ${writers} writer${writers > 1 ? 's' : ''}`,
          `baseline ${int(r.baseline.perSecond)}/s; deposit ${int(r.deposit.perSecond)}/s p50 ${ms(r.deposit.p50)} p99 ${ms(r.deposit.p99)} (${ratio(r.deposit.perSecond, r.baseline.perSecond)}); ` +
            `withdrawal ${int(r.withdraw.perSecond)}/s p50 ${ms(r.withdraw.p50)} p99 ${ms(r.withdraw.p99)} (${ratio(r.withdraw.perSecond, r.baseline.perSecond)})`,
        );
      }
    } finally {
      await database.close();
    }
  }
  ctx.table(
    [
      'database',
      'writers',
      'base/s',
      'base p50',
      'base p99',
      'dep/s',
      'dep p50',
      'dep p99',
      'dep ratio',
      'wd/s',
      'wd p50',
      'wd p99',
      'wd ratio',
    ],
    rows,
  );
}

async function sharding(ctx: BenchContext) {
  if (!ctx.postgres.ok) return;
  ctx.section('hot omnibus: 1 shard vs 8 shards, 8 writers, deposits');
  const url = await ctx.freshPostgresDatabase();
  const database = await openDatabase({ url, poolMax: 24 });
  const rows: string[][] = [];
  try {
    const r: Record<number, Run> = {};
    for (const shards of [1, 8]) {
      const f = await openLedger(database, 8, shards);
      ctx.progress(`ledger: deposits, omnibus with ${shards} shard(s), 8 writers`);
      r[shards] = await load((w) => once(f, 'deposit', w), 8, SECONDS);
      rows.push([String(shards), ...cell(r[shards])]);
    }
    ctx.table(['shards', 'postings/s', 'p50', 'p99'], rows);
    ctx.summary(
      'omnibus shards 1 vs 8',
      `${int(r[1]!.perSecond)}/s p99 ${ms(r[1]!.p99)} vs ${int(r[8]!.perSecond)}/s p99 ${ms(r[8]!.p99)} (${ratio(r[8]!.perSecond, r[1]!.perSecond)})`,
    );
  } finally {
    await database.close();
  }
}

/** Single-writer deposits one transaction each, against batches of 200 in one statement and commit. */
async function batchPath(ctx: BenchContext) {
  if (!ctx.postgres.ok) return;
  ctx.section('batch path: 200 deposits per statement vs one per transaction, 1 writer');
  const url = await ctx.freshPostgresDatabase();
  const database = await openDatabase({ url, poolMax: 4 });
  try {
    const f = await openLedger(database, 1, 8);
    ctx.progress('ledger: single deposits, 1 writer');
    const single = await load((w) => once(f, 'deposit', w), 1, SECONDS);
    ctx.progress('ledger: batches of 200 deposits, 1 writer');
    const BATCH = 200;
    let posted = 0;
    const start = performance.now();
    const end = start + SECONDS * 1000;
    while (performance.now() < end) {
      const postings = Array.from({ length: BATCH }, () => ({
        params: { omnibus: f.omnibus, customer: f.customers[0]!, amount: 1n },
        opts: { idempotencyKey: randomUUID(), effectiveDate: '2026-03-02' },
      }));
      await f.db.transaction((trx) => f.ledger.postBatch(trx, DEPOSIT, postings, RECORDED_AT));
      posted += BATCH;
    }
    const batchRate = (posted / (performance.now() - start)) * 1000;
    ctx.table(
      ['path', 'postings/s'],
      [
        ['one posting per transaction', int(single.perSecond)],
        [`batches of ${BATCH}`, int(batchRate)],
      ],
    );
    ctx.summary(
      'batch path',
      `${int(batchRate)}/s vs ${int(single.perSecond)}/s single (${ratio(batchRate, single.perSecond)})`,
    );
  } finally {
    await database.close();
  }
}

// The accounting module imports its default chart with Vite's `?raw`, which tsx does not know: a
// tiny loader hook serves such imports as a string, and the modules are imported after it.
const RAW_LOADER = `
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('?raw')) return next(url, context);
  const text = await readFile(fileURLToPath(url.slice(0, -4)), 'utf8');
  return { format: 'module', source: 'export default ' + JSON.stringify(text), shortCircuit: true };
}`;

export async function importServices() {
  register(`data:text/javascript,${encodeURIComponent(RAW_LOADER)}`);
  const [{ startServices }, { internalConnection, Router }, { createAccountingService }] = await Promise.all([
    import('../../main/services'),
    import('../../main/ipc/router'),
    import('../../main/modules/accounting'),
  ]);
  return { startServices, internalConnection, Router, createAccountingService };
}

async function largeLedger(ctx: BenchContext) {
  if (!ctx.postgres.ok) return;
  const { startServices, internalConnection, Router, createAccountingService } = await importServices();
  const accountsPerSide = 50;
  const transactions = Math.round(ENTRIES / 2);
  ctx.section(`balance as of a date and trial balance over ${int(ENTRIES)} generated entries`);
  if (!process.env.BENCH_LEDGER_ENTRIES)
    ctx.note(
      `Default size ${int(ENTRIES)} entries; set BENCH_LEDGER_ENTRIES=10000000 for the full 10M (several minutes).`,
    );
  const url = await ctx.freshPostgresDatabase();
  const services = await startServices({
    database: { url, poolMax: 4 },
    scryptCost: { N: 2 ** 12, r: 8, p: 1 },
    monitorIntervalMs: 0,
  });
  try {
    const router = new Router(services, { log: () => undefined });
    const r = await router.handle(internalConnection('WS-BENCH'), 'setup.createBank', {
      commandId: randomUUID(),
      bankName: 'Bench Bank',
      businessDate: '2026-12-31',
      admin: {
        username: 'admin',
        password: 'Correct-Horse-42!',
        passwordConfirmation: 'Correct-Horse-42!',
        fullName: 'A',
      },
    });
    if (!r.ok) throw new Error(`setup failed: ${r.error.code}`);
    const db = services.database.knex;
    const ledger = services.ledger;
    const assets = await services.accounting.setIdOf(db, '12.01');
    const deposits = await services.accounting.setIdOf(db, '21.01');
    await db.transaction((trx) => ledger.openFirstFiscalYear(trx, '2024-01-01', RECORDED_AT));
    const debitSide: string[] = [];
    const creditSide: string[] = [];
    for (let i = 0; i < accountsPerSide; i++) {
      debitSide.push(
        await ledger.createAccount(
          db,
          { code: `a-${i}`, name: `Asset ${i}`, normalBalance: 'debit', currency: 'USD', setIds: [assets] },
          RECORDED_AT,
        ),
      );
      creditSide.push(
        await ledger.createAccount(
          db,
          {
            code: `l-${i}`,
            name: `Deposit ${i}`,
            normalBalance: 'credit',
            currency: 'USD',
            setIds: [deposits],
          },
          RECORDED_AT,
        ),
      );
    }
    ctx.progress(`ledger: generating ${int(ENTRIES)} entries`);
    const t0 = performance.now();
    await db.transaction(async (trx) => {
      // Around the triggers, consistently: transactions, their two entries, the daily rows and the
      // balance rows, as the triggers would have written them. 3 years of days, 100 accounts.
      await trx.raw(`set local session_replication_role = replica`);
      await trx.raw(`create temp table gen_pairs (p int primary key, dr uuid, cr uuid) on commit drop`);
      await trx.raw(
        `insert into gen_pairs select i - 1, d, c from unnest(?::uuid[], ?::uuid[]) with ordinality as u(d, c, i)`,
        [debitSide, creditSide],
      );
      await trx.raw(
        `insert into ledger_transactions (id, idempotency_key, payload_hash, template_code, effective_date, entry_count, recorded_at)
         select md5(t::text)::uuid, 'gen-' || t, 'gen', 'GEN', date '2024-01-01' + (t / ${accountsPerSide}) % 1096, 2, now()
           from generate_series(1, ?) t`,
        [transactions],
      );
      await trx.raw(
        `insert into ledger_entries (transaction_id, seq, account_id, currency, layer, direction, amount, effective_date, shard)
         select md5(t::text)::uuid, s.seq, case when s.seq = 0 then p.dr else p.cr end, 'USD', 'settled',
                case when s.seq = 0 then 'debit' else 'credit' end, 1 + t % 1000, date '2024-01-01' + (t / ${accountsPerSide}) % 1096, 0
           from generate_series(1, ?) t
           join gen_pairs p on p.p = t % ${accountsPerSide}
           cross join (values (0), (1)) s(seq)`,
        [transactions],
      );
      await trx.raw(
        `insert into ledger_daily (account_id, currency, layer, effective_date, shard, debit, credit)
         select account_id, currency, layer, effective_date, shard,
                coalesce(sum(amount) filter (where direction = 'debit'), 0),
                coalesce(sum(amount) filter (where direction = 'credit'), 0)
           from ledger_entries where transaction_id in (select id from ledger_transactions where template_code = 'GEN')
          group by account_id, currency, layer, effective_date, shard`,
      );
      await trx.raw(
        `update ledger_balances b set debit = d.debit, credit = d.credit
           from (select account_id, currency, layer, shard, sum(debit) as debit, sum(credit) as credit
                   from ledger_daily group by 1, 2, 3, 4) d
          where b.account_id = d.account_id and b.currency = d.currency and b.layer = d.layer and b.shard = d.shard`,
      );
    });
    await db.raw('analyze');
    const generatedMs = performance.now() - t0;
    const counts = (
      await db.raw(
        `select (select count(*) from ledger_entries)::bigint as entries,
                (select count(*) from ledger_transactions)::bigint as transactions,
                (select count(*) from ledger_daily)::bigint as daily`,
      )
    ).rows[0] as { entries: string; transactions: string; daily: string };
    const unbalanced = await ledger.unbalancedLayers(db);
    if (unbalanced.length) throw new Error(`generated ledger unbalanced: ${JSON.stringify(unbalanced)}`);

    const timed = async (fn: () => Promise<unknown>) => {
      await fn();
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await fn();
        samples.push(performance.now() - t);
      }
      return summarize(samples);
    };
    const accounting = createAccountingService(db, ledger);
    ctx.progress('ledger: balance as of / trial balance');
    const asOf = await timed(() => ledger.balanceAsOf(db, debitSide[7]!, '2025-08-15'));
    const tb = await timed(() =>
      accounting.trialBalance({ from: '2026-01-01', to: '2026-06-30', currency: 'USD', layer: 'settled' }),
    );
    const check = await accounting.trialBalance({
      from: '2026-01-01',
      to: '2026-06-30',
      currency: 'USD',
      layer: 'settled',
    });
    ctx.note(
      `${int(Number(counts.entries))} entries, ${int(Number(counts.transactions))} transactions, ${int(Number(counts.daily))} ledger_daily rows ` +
        `(100 accounts × 3 years), generated in ${ms(generatedMs)}; ${RUNS} timed runs each after one warm-up.\n`,
    );
    ctx.table(
      ['query', 'p50', 'p99', 'max'],
      [
        ['balanceAsOf (one account, 2025-08-15)', ms(asOf.p50), ms(asOf.p99), ms(asOf.max)],
        [`trialBalance 2026-01-01..06-30 (${check.lines.length} lines)`, ms(tb.p50), ms(tb.p99), ms(tb.max)],
      ],
    );
    ctx.summary(
      'large ledger',
      `${int(Number(counts.entries))} entries / ${int(Number(counts.daily))} daily rows (generated in ${ms(generatedMs)}): ` +
        `balanceAsOf p50 ${ms(asOf.p50)} p99 ${ms(asOf.p99)}; trialBalance p50 ${ms(tb.p50)} p99 ${ms(tb.p99)}`,
    );
  } finally {
    await services.close();
  }
}

export const ledgerBench: Bench = {
  name: 'ledger',
  title: 'Ledger',
  async run(ctx) {
    const parts = { throughput, sharding, batch: batchPath, large: largeLedger };
    const wanted = process.env.BENCH_LEDGER_PARTS?.split(',').map((p) => p.trim());
    for (const [name, part] of Object.entries(parts)) if (!wanted || wanted.includes(name)) await part(ctx);
  },
};
