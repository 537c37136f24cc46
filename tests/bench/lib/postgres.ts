import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the benches create throwaway databases on. */
export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export type PostgresTarget =
  { ok: true; adminUrl: string; version: string } | { ok: false; adminUrl: string; reason: string };

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Whether the server answers; never throws. */
export async function probePostgres(adminUrl: string): Promise<PostgresTarget> {
  try {
    const version = await withAdmin(adminUrl, async (c) => {
      const r = await c.query<{ server_version: string }>('show server_version');
      return r.rows[0]?.server_version ?? '?';
    });
    return { ok: true, adminUrl, version };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return { ok: false, adminUrl, reason: e.code ?? e.message?.split('\n')[0] ?? String(err) };
  }
}

/** Creates an empty database named bank_bench_<random>; returns its URL and a dropper. */
export async function createFreshDatabase(
  adminUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bank_bench_${randomBytes(5).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      ),
  };
}
