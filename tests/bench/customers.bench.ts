// The customers issue's figures: customer search latency over many generated customers, by kind of
// query, through the customers service as the IPC handler calls it.
//   BENCH_CUSTOMERS          customers on the PostgreSQL server (default 200,000)
//   BENCH_CUSTOMERS_PGLITE   customers on PGlite (default 200,000; about 15 s to load on the 2-core
//                            dev machine, 9 s on the server)
//   BENCH_CUSTOMERS_QUERIES  searches per kind (default 400)
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database } from '../../main/db';
import { migrate } from '../../main/db/migrate';
import { createAuditService } from '../../main/modules/audit';
import { createCustomerService } from '../../main/modules/customers';
import { generateCustomers, generatedCustomer } from '../fixtures/customer-generator';
import type { Bench, BenchContext } from './lib/bench';
import { int, ms, seconds } from './lib/format';
import { summarize } from './lib/stats';

const SERVER_N = Number(process.env.BENCH_CUSTOMERS ?? '200000') || 200_000;
const PGLITE_N = Number(process.env.BENCH_CUSTOMERS_PGLITE ?? '200000') || 200_000;
const QUERIES = Number(process.env.BENCH_CUSTOMERS_QUERIES ?? '400') || 400;
const TARGET_P99_MS = 30;

/** A deterministic pseudo-random sequence, so every run asks the same questions. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** One typo: a letter dropped, two neighbours swapped, or a letter replaced. */
function typo(word: string, r: () => number): string {
  const i = 1 + Math.floor(r() * Math.max(1, word.length - 2));
  const kind = Math.floor(r() * 3);
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1);
  if (kind === 1 && i + 1 < word.length) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  return word.slice(0, i) + 'e' + word.slice(i + 1);
}

type Kind = 'name with a typo' | 'email prefix' | 'public id' | 'id document number';
const KINDS: Kind[] = ['name with a typo', 'email prefix', 'public id', 'id document number'];

function queries(kind: Kind, n: number, count: number): { q: string; g: number }[] {
  const r = rng(kind.length * 7919 + n);
  return Array.from({ length: count }, () => {
    const g = 1 + Math.floor(r() * n);
    const c = generatedCustomer(g);
    const [first, last] = c.fullName.split(' ') as [string, string];
    switch (kind) {
      case 'name with a typo':
        // Half of them the last name alone, half first and last name: one typo in either.
        return { q: r() < 0.5 ? typo(last, r) : `${first} ${typo(last, r)}`, g };
      case 'email prefix':
        return { q: c.email.slice(0, 5 + Math.floor(r() * 6)), g };
      case 'public id':
        return { q: c.publicId, g };
      case 'id document number':
        return { q: c.idDocumentNumber, g };
    }
  });
}

async function measure(
  ctx: BenchContext,
  label: string,
  open: () => Promise<Database>,
  n: number,
): Promise<string[][]> {
  const database = await open();
  ctx.defer(() => database.close());
  const db = database.knex;
  await migrate(db);
  ctx.progress(`${label}: generating ${int(n)} customers`);
  const t0 = performance.now();
  await generateCustomers(db, n, { onBatch: (done) => ctx.progress(`${label}: ${int(done)} customers`) });
  const loadMs = performance.now() - t0;
  const customers = createCustomerService(db, createAuditService(db));

  const rows: string[][] = [];
  for (const kind of KINDS) {
    const qs = queries(kind, n, ctx.scaled(QUERIES, 50));
    // Warm the caches the way a working day does.
    for (const { q } of qs.slice(0, 30)) await customers.search(q, 20);
    const samples: number[] = [];
    let found = 0;
    let empty = 0;
    for (const { q, g } of qs) {
      const started = performance.now();
      const hits = await customers.search(q, 20);
      samples.push(performance.now() - started);
      if (hits.some((h) => h.publicId === generatedCustomer(g).publicId)) found++;
      if (hits.length === 0) empty++;
    }
    const s = summarize(samples);
    rows.push([
      label,
      int(n),
      kind,
      int(s.count),
      ms(s.p50),
      ms(s.p99),
      ms(s.max),
      `${Math.round((100 * found) / qs.length)}%`,
      int(empty),
    ]);
    ctx.summary(
      `${label} ${int(n)}: ${kind}`,
      `p50 ${ms(s.p50)}, p99 ${ms(s.p99)} (target < ${TARGET_P99_MS} ms)`,
    );
  }
  ctx.note(`${label}: loaded ${int(n)} customers in ${seconds(loadMs)}`);
  return rows;
}

export const customersBench: Bench = {
  name: 'customers',
  title: 'Customers',
  async run(ctx) {
    ctx.section('customer search latency by kind of query');
    ctx.note(
      `Each search is customers.search(q, 20) as the IPC handler calls it, in process (no IPC): one ` +
        `statement, or for text that may be a name, one read transaction (candidate name words, then ` +
        `the search). 'found' = the customer the query was made from is among the 20 hits (a surname ` +
        `has hundreds of holders). Target p99 < ${TARGET_P99_MS} ms.`,
    );
    const rows: string[][] = [];
    if (ctx.postgres.ok) {
      const url = await ctx.freshPostgresDatabase();
      rows.push(
        ...(await measure(
          ctx,
          'postgres',
          () => openDatabase({ url, poolMax: 4 }),
          ctx.scaled(SERVER_N, 1000),
        )),
      );
    } else {
      ctx.note(`PostgreSQL rows skipped: the server is unreachable (${ctx.postgres.reason}).`);
    }
    rows.push(
      ...(await measure(
        ctx,
        'pglite',
        () => openDatabase({ dataDir: 'memory://' }),
        ctx.scaled(PGLITE_N, 1000),
      )),
    );
    ctx.table(
      [
        'database',
        'customers',
        { header: 'query', align: 'left' },
        'searches',
        'p50',
        'p99',
        'max',
        'found',
        'no hits',
      ],
      rows,
    );
  },
};
