// `npm run bench [-- <bench name>...]`: runs the benches and prints their figures, one table per
// section and a compact summary block at the end. Figures only: nothing here passes or fails on time.
//   BENCH_DATABASE_URL  PostgreSQL server for throwaway databases (default postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_SCALE         multiplies the call counts (e.g. 0.1 for a quick look)
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Bench, SummaryLine } from './lib/bench';
import { createContext } from './lib/bench';
import { DEFAULT_ADMIN_URL, probePostgres, redact } from './lib/postgres';
import { foundation } from './foundation.bench';
import { ledgerBench } from './ledger.bench';
import { customersBench } from './customers.bench';
import { documentsBench } from './documents.bench';
import { depositsBench } from './deposits.bench';
import { governanceBench } from './governance.bench';

/** Every bench, in the order they run. Add new ones here. */
const BENCHES: Bench[] = [
  foundation,
  ledgerBench,
  customersBench,
  documentsBench,
  depositsBench,
  governanceBench,
];

function gitRevision(): string {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${rev} (uncommitted changes)` : rev;
  } catch {
    return 'unknown';
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
  if (unknown.length) {
    console.error(`unknown bench: ${unknown.join(', ')} (known: ${BENCHES.map((b) => b.name).join(', ')})`);
    process.exit(2);
  }
  const selected = wanted.length ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;

  const adminUrl = process.env.BENCH_DATABASE_URL || DEFAULT_ADMIN_URL;
  const postgres = await probePostgres(adminUrl);
  const cpu = cpus();
  console.log('# Benchmarks');
  console.log(`  revision   ${gitRevision()}`);
  console.log(`  node       ${process.version} on ${process.platform}/${process.arch}`);
  console.log(
    `  cpu        ${cpu.length} × ${cpu[0]?.model.trim() ?? '?'}; ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
  );
  console.log(
    `  postgres   ${postgres.ok ? `${redact(adminUrl)} (server ${postgres.version})` : `UNREACHABLE at ${redact(adminUrl)} (${postgres.reason}): PostgreSQL rows are skipped`}`,
  );
  console.log(`  load       ${load()} (1/5/15 min; other work on this machine skews the figures)`);
  if (process.env.BENCH_SCALE)
    console.log(`  scale      ${process.env.BENCH_SCALE} × the default call counts`);

  const cleanups: (() => Promise<void> | void)[] = [];
  const summary: SummaryLine[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch (err) {
          console.error(`cleanup failed: ${(err as Error).message}`);
        }
      }
    })());
  process.once('SIGINT', () => {
    console.error('\ninterrupted: cleaning up');
    void cleanup().then(() => process.exit(130));
  });

  const started = performance.now();
  let failed = false;
  try {
    for (const bench of selected) {
      try {
        await bench.run(createContext(bench, postgres, cleanups, summary));
      } catch (err) {
        failed = true;
        console.error(`\nbench '${bench.name}' failed: ${(err as Error).stack ?? err}`);
      }
    }
  } finally {
    await cleanup();
  }

  const width = Math.max(...summary.map((s) => s.label.length), 10);
  console.log('\n==================== bench summary ====================');
  for (const name of new Set(summary.map((s) => s.bench))) {
    console.log(`[${name}]`);
    for (const s of summary.filter((l) => l.bench === name))
      console.log(`  ${s.label.padEnd(width)}  ${s.figures}`);
  }
  console.log(
    `(total bench time ${((performance.now() - started) / 1000).toFixed(0)} s; load ${load()}; ${cpu.length} CPUs)`,
  );
  console.log('=======================================================');
  process.exit(failed ? 1 : 0);
}

void main();
