import knexPkg from 'knex';
import type { Knex } from 'knex';
import pg from 'pg';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import ClientPgLite from 'knex-pglite';
import { AppError } from '../../shared/errors';
import { listenOnServer } from './listen';
import { PipelinedPgClient } from './pipelined-pg';

export { notAwaited } from './pipelined-pg';

/** SQLSTATE of a statement whose guess was stale (migration 0016): the transaction is run again. */
export const STALE_GUESS = 'BKR01';

const { knex } = knexPkg;

export type Db = Knex;
export type Trx = Knex.Transaction;
export type DatabaseKind = 'embedded' | 'server';

export interface DatabaseTarget {
  /** A postgres:// URL for a bank server, or a folder (or 'memory://') for the embedded PGlite. */
  url?: string;
  dataDir?: string;
  poolMax?: number;
  /**
   * Do not insist on reaching a server at open: a workstation with a local store starts offline
   * and connects when the bank answers (ARCHITECTURE 6).
   */
  lazy?: boolean;
}

export interface Database {
  knex: Db;
  kind: DatabaseKind;
  /** Human description without credentials, for logs and the status bar. */
  describe: string;
  /**
   * LISTEN on a channel: onNotify gets each payload as its transaction commits, and null after a
   * lost connection came back (notifications may have been missed). onState, when given, hears
   * whether notifications reach this process at all: true once listening, false the moment the
   * connection is lost. Returns the unlisten function.
   */
  listen(
    channel: string,
    onNotify: (payload: string | null) => void,
    onState?: (listening: boolean) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// The one place where driver differences are normalized. Both drivers hand back:
//   int8 and numeric as strings (money is never a JS number), date as 'YYYY-MM-DD' (never a
//   local-midnight Date), timestamptz as Date.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const identity = (v: string) => v;
// Their arrays too (pg would make numeric[] floats and date[] Dates): parsed as text[] is.
const NUMERIC_ARRAY = 1231;
const DATE_ARRAY = 1182;
const TEXT_ARRAY: number = 1009;

function pgTypes() {
  return {
    getTypeParser(oid: number, format?: string) {
      if (oid === INT8 || oid === NUMERIC || oid === DATE) return identity;
      if (oid === NUMERIC_ARRAY || oid === DATE_ARRAY) return pg.types.getTypeParser(TEXT_ARRAY, 'text');
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable)';
  }
}

/** Opens the bank's database: a PostgreSQL server when given a URL, otherwise the embedded PGlite. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.url) {
    // Knex logs pool errors itself; while we probe, the refusal is ours to report (in one line).
    let probing = true;
    const instance = knex({
      log: {
        warn: (m: unknown) => probing || console.warn('[db]', firstLine(m)),
        error: (m: unknown) => probing || console.error('[db]', firstLine(m)),
        deprecate: () => undefined,
        debug: () => undefined,
      },
      client: PipelinedPgClient,
      connection: { connectionString: target.url, types: pgTypes(), application_name: 'teller-backoffice' },
      pool: { min: 0, max: target.poolMax ?? 10 },
      acquireConnectionTimeout: 10_000,
    });
    try {
      if (!target.lazy) await instance.raw('select 1');
      probing = false;
    } catch (err) {
      await instance.destroy();
      throw new AppError('DATABASE_UNAVAILABLE', {
        target: redactUrl(target.url),
        reason: driverReason(err),
      });
    }
    return {
      knex: instance,
      kind: 'server',
      describe: redactUrl(target.url),
      listen: (channel, onNotify, onState) => listenOnServer(target.url!, channel, onNotify, onState),
      close: () => instance.destroy(),
    };
  }
  const dataDir = target.dataDir ?? 'memory://';
  const lite = new PGlite({
    ...(dataDir === 'memory://' ? {} : { dataDir }),
    // Trigram indexes back the typo-tolerant customer search on both databases.
    extensions: { pg_trgm },
    parsers: {
      [pgliteTypes.INT8]: identity,
      [pgliteTypes.NUMERIC]: identity,
      [pgliteTypes.DATE]: identity,
    },
  });
  await lite.waitReady;
  const instance = knex({
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: () => ({ pglite: lite }) as object,
  } as Knex.Config);
  return {
    knex: instance,
    kind: 'embedded',
    describe: dataDir === 'memory://' ? 'embedded (in memory)' : `embedded (${dataDir})`,
    // PGlite is real PostgreSQL in this process: NOTIFY is delivered to its own listeners at commit.
    listen: async (channel, onNotify, onState) => {
      const stop = await lite.listen(channel, (payload) => onNotify(payload));
      onState?.(true);
      return async () => {
        onState?.(false);
        if (!lite.closed) await stop();
      };
    },
    close: async () => {
      await instance.destroy();
      if (!lite.closed) await lite.close();
    },
  };
}

function firstLine(m: unknown): string {
  return String(m instanceof Error ? m.message : m).split('\n')[0]!;
}

function driverReason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ?? e.message?.split('\n')[0] ?? 'unknown';
}

// Serialization failure, deadlock detected, and a stale guess (migration 0016): each says the same
// transaction run again can succeed.
const RETRYABLE = new Set(['40001', '40P01', STALE_GUESS]);

export interface TxOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  /** How many times a serialization failure or deadlock is retried before it surfaces. */
  retries?: number;
}

/**
 * Runs fn in one database transaction. Serialization failures and deadlocks are retried a bounded
 * number of times with jitter, invisibly to the caller, so a busy bank never shows them to a teller.
 * fn must therefore be safe to re-run: it may not have effects outside the transaction.
 */
export async function inTransaction<T>(
  db: Db,
  fn: (trx: Trx) => Promise<T>,
  opts: TxOptions = {},
): Promise<T> {
  const retries = opts.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (trx) => {
        if (opts.isolation && opts.isolation !== 'read committed') {
          await trx.raw(`set transaction isolation level ${opts.isolation}`);
        }
        return fn(trx);
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code && RETRYABLE.has(code) && attempt < retries) {
        // Contention backs off; a stale guess is already gone, so the next run is straight away.
        if (code !== STALE_GUESS)
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
        continue;
      }
      throw err;
    }
  }
}

/** PostgreSQL's error code of a driver error, if any. */
export function pgCode(err: unknown): string | undefined {
  return (err as { code?: string })?.code;
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return false;
  if (!constraint) return true;
  return e.constraint === constraint || (e.message ?? '').includes(constraint);
}
