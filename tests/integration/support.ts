import type { TestBank, TestClient } from './harness';

/** Tables whose every row is evidence and grows with each audited event. */
const AUDIT_TABLES = new Set(['audit_log', 'audit_chain_heads']);

export interface AuditRow {
  id: string;
  workstation: string;
  seq: string;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  object_type: string | null;
  object_ids: string[];
  outcome: 'Success' | 'Failure' | 'Denied';
  command_id: string | null;
  metadata: Record<string, unknown>;
}

/** A fingerprint of every table of the bank (but the audit log), and where the audit log ends. */
export interface Snapshot {
  tables: Record<string, string>;
  lastAuditId: string;
}

async function tableNames(bank: TestBank): Promise<string[]> {
  const { rows } = await bank.services.database.knex.raw(
    `select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'
        and table_name not like 'knex_migrations%'
      order by table_name`,
  );
  return rows.map((r: { name: string }) => r.name);
}

export async function snapshot(bank: TestBank): Promise<Snapshot> {
  const names = (await tableNames(bank)).filter((name) => !AUDIT_TABLES.has(name));
  // One round trip: a row count and a digest of every row, per table.
  const columns = names.map(
    (name, i) =>
      `(select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "${name.replace(/"/g, '""')}" t) as t${i}`,
  );
  const { rows } = await bank.services.database.knex.raw(`select ${columns.join(', ')}`);
  const tables = Object.fromEntries(names.map((name, i) => [name, rows[0][`t${i}`] as string]));
  return { tables, lastAuditId: await lastAuditId(bank) };
}

export async function lastAuditId(bank: TestBank): Promise<string> {
  const { rows } = await bank.services.database.knex.raw(
    `select coalesce(max(id), 0)::text as id from audit_log`,
  );
  return rows[0].id;
}

export async function auditAfter(bank: TestBank, id: string): Promise<AuditRow[]> {
  return bank.services.database
    .knex('audit_log')
    .where('id', '>', id)
    .orderBy('id')
    .select(
      'id',
      'workstation',
      'seq',
      'actor_id',
      'actor_username',
      'action',
      'object_type',
      'object_ids',
      'outcome',
      'command_id',
      'metadata',
    );
}

/** What changed since the snapshot: the tables whose content differs, and the new audit records. */
export async function changesSince(bank: TestBank, before: Snapshot) {
  const after = await snapshot(bank);
  const changedTables = Object.keys({ ...before.tables, ...after.tables })
    .filter((t) => before.tables[t] !== after.tables[t])
    .sort();
  return { changedTables, audit: await auditAfter(bank, before.lastAuditId) };
}

export async function countRows(bank: TestBank, table: string): Promise<number> {
  const row = await bank.services.database.knex(table).count<{ count: string }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

export async function currentUserId(client: TestClient): Promise<string> {
  const session = await client.call('session.current', {});
  if (!session) throw new Error('not signed in');
  return session.userId;
}

/** Records every router answer (results and errors) as JSON text, to search them afterwards. */
export function recordAnswers(bank: TestBank): string[] {
  const answers: string[] = [];
  const handle = bank.router.handle.bind(bank.router);
  bank.router.handle = async (...args) => {
    const answer = await handle(...args);
    answers.push(JSON.stringify(answer));
    return answer;
  };
  return answers;
}

export const minutes = (n: number) => n * 60_000;
export const seconds = (n: number) => n * 1000;

/**
 * On a bank server: waits until n other sessions of this database are blocked on a lock, so that a
 * race can be staged deterministically (hold a row lock, start the contenders, wait, release).
 */
export async function untilBlockedOnLocks(bank: TestBank, n: number): Promise<void> {
  const knex = bank.services.database.knex;
  for (let attempt = 0; attempt < 500; attempt++) {
    const { rows } = await knex.raw(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (rows[0].n >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`fewer than ${n} sessions ever waited on a lock`);
}
