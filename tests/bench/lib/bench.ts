import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { table, type Column } from './format';
import { createFreshDatabase, type PostgresTarget } from './postgres';

/**
 * One benchmark suite of `npm run bench`. Add a suite by writing tests/bench/<name>.bench.ts that
 * exports a Bench and listing it in tests/bench/run.ts. Benches print figures; they never pass or
 * fail on time.
 */
export interface Bench {
  /** Short name to select it: `npm run bench -- <name>`. */
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<void>;
}

export interface BenchContext {
  /** The PostgreSQL server for throwaway databases, or why it cannot be used (then skip those rows). */
  postgres: PostgresTarget;
  /** Run sizes scaled by BENCH_SCALE (e.g. 0.1 for a quick look); never below `min`. */
  scaled(n: number, min?: number): number;
  /** An empty database on the PostgreSQL server, dropped when the run ends. */
  freshPostgresDatabase(): Promise<string>;
  /** An empty temporary folder, removed when the run ends. */
  tempDir(label: string): Promise<string>;
  /** Runs at the end of the whole run, last registered first, even after a failure. */
  defer(cleanup: () => Promise<void> | void): void;
  section(title: string): void;
  table(columns: (Column | string)[], rows: string[][]): void;
  note(text: string): void;
  /** One line of the final summary block, under this bench's name. */
  summary(label: string, figures: string): void;
  /** Progress for the person waiting (stderr, so the report on stdout stays clean). */
  progress(text: string): void;
}

export interface SummaryLine {
  bench: string;
  label: string;
  figures: string;
}

export function createContext(
  bench: Bench,
  postgres: PostgresTarget,
  cleanups: (() => Promise<void> | void)[],
  summary: SummaryLine[],
): BenchContext {
  const scale = Number(process.env.BENCH_SCALE ?? '1') || 1;
  const defer = (fn: () => Promise<void> | void) => void cleanups.push(fn);
  return {
    postgres,
    scaled: (n, min = 1) => Math.max(min, Math.round(n * scale)),
    async freshPostgresDatabase() {
      if (!postgres.ok) throw new Error(`PostgreSQL unreachable: ${postgres.reason}`);
      const db = await createFreshDatabase(postgres.adminUrl);
      defer(db.drop);
      return db.url;
    },
    async tempDir(label) {
      const dir = await mkdtemp(join(tmpdir(), `bank-bench-${label}-`));
      defer(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
    defer,
    section(title) {
      console.log(`\n## ${bench.title} — ${title}\n`);
    },
    table(columns, rows) {
      console.log(table(columns, rows));
    },
    note(text) {
      console.log(text.replace(/^(\n*)/, '$1  '));
    },
    summary(label, figures) {
      summary.push({ bench: bench.name, label, figures });
    },
    progress(text) {
      process.stderr.write(`  … ${text}\n`);
    },
  };
}
