import type { Knex } from 'knex';
import { notAwaited, type Db, type Trx } from '../../db';
import type { AuditProblem } from './rules';

export interface NewAuditRecord {
  workstation: string;
  occurredAt: Date;
  businessDate: string | null;
  subjectType: 'User' | 'System';
  actorId: string | null;
  actorUsername: string | null;
  actorRoles: string[];
  action: string;
  objectType: string | null;
  objectIds: string[];
  outcome: 'Success' | 'Failure' | 'Denied';
  commandId: string | null;
  metadata: Record<string, unknown>;
}

export interface AuditRow {
  id: string;
  workstation: string;
  seq: string;
  occurred_at: Date;
  business_date: string | null;
  subject_type: 'User' | 'System';
  actor_username: string | null;
  actor_roles: string[];
  action: string;
  object_type: string | null;
  object_ids: string[];
  outcome: 'Success' | 'Failure' | 'Denied';
  command_id: string | null;
  metadata: Record<string, unknown>;
  hash: string;
}

/** seq, prev_hash and hash are filled in by the chaining trigger; whatever we pass is replaced. */
const RECORD_COLUMNS = `workstation, seq, occurred_at, business_date, subject_type, actor_id, actor_username,
  actor_roles, action, object_type, object_ids, outcome, command_id, metadata, prev_hash, hash`;

function recordValues(r: NewAuditRecord): Knex.RawBinding[] {
  return [
    r.workstation,
    0,
    r.occurredAt,
    r.businessDate,
    r.subjectType,
    r.actorId,
    r.actorUsername,
    r.actorRoles,
    r.action,
    r.objectType,
    r.objectIds,
    r.outcome,
    r.commandId,
    JSON.stringify(r.metadata),
    // prev_hash, seq and hash are set by the chaining trigger.
    '',
    '',
  ];
}
const PLACEHOLDERS = `?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?::text[], ?, ?, ?::jsonb, ?, ?`;

export async function insertRecord(q: Db | Trx, r: NewAuditRecord): Promise<void> {
  await q.raw(`insert into audit_log (${RECORD_COLUMNS}) values (${PLACEHOLDERS})`, recordValues(r));
}

/**
 * A command's success record and its result in the command log, in one statement: the last two
 * writes of every command, so one round trip fewer on the busiest path of the application.
 */
/** The command's last write: it travels with the COMMIT (main/db/pipelined-pg.ts). */
export async function insertRecordWithResult(trx: Trx, r: NewAuditRecord, result: unknown): Promise<void> {
  await trx
    .raw(
      `with result as (update command_log set result = ?::jsonb where command_id = ?)
     insert into audit_log (${RECORD_COLUMNS}) values (${PLACEHOLDERS})`,
      [JSON.stringify(result ?? null), r.commandId, ...recordValues(r)],
    )
    .options(notAwaited('audit.insertRecordWithResult'));
}

export interface ListFilter {
  user?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  entityAny?: string;
  outcome?: string;
  fromTime?: Date;
  toTime?: Date;
  before?: string;
  limit: number;
}

export async function list(db: Db, f: ListFilter): Promise<AuditRow[]> {
  const q = db<AuditRow>('audit_log')
    .select(
      'id',
      'workstation',
      'seq',
      'occurred_at',
      'business_date',
      'subject_type',
      'actor_username',
      'actor_roles',
      'action',
      'object_type',
      'object_ids',
      'outcome',
      'command_id',
      'metadata',
      'hash',
    )
    .orderBy('id', 'desc')
    .limit(f.limit);
  if (f.user) q.whereRaw('lower(actor_username) = lower(?)', [f.user]);
  if (f.action) q.where('action', 'like', `${escapeLike(f.action)}%`);
  if (f.objectType) q.where('object_type', f.objectType);
  if (f.objectId) q.whereRaw('? = any(object_ids)', [f.objectId]);
  const any = f.entityAny;
  if (any) q.where((w) => w.where('object_type', any).orWhereRaw('? = any(object_ids)', [any]));
  if (f.outcome) q.where('outcome', f.outcome);
  if (f.fromTime) q.where('occurred_at', '>=', f.fromTime);
  if (f.toTime) q.where('occurred_at', '<', f.toTime);
  if (f.before) q.where('id', '<', f.before);
  return q;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Every record whose digest, link to its predecessor or sequence number is wrong. */
export async function findBrokenRecords(db: Db, limit: number): Promise<AuditProblem[]> {
  const { rows } = await db.raw(
    `select id::text as id, workstation, seq::text as seq,
            case when hash <> expected then 'recordAltered'
                 when seq <> coalesce(prev_seq, 0) + 1 then 'sequenceGap'
                 else 'chainBroken' end as kind
       from (select a.id, a.workstation, a.seq, a.hash, a.prev_hash, audit_record_hash(a) as expected,
                    lag(a.seq) over w as prev_seq, lag(a.hash) over w as prev_in_chain
               from audit_log a window w as (partition by a.workstation order by a.seq)) c
      where hash <> expected
         or seq <> coalesce(prev_seq, 0) + 1
         or prev_hash <> coalesce(prev_in_chain, repeat('0', 64))
      order by id
      limit ?`,
    [limit],
  );
  return rows.map((r: { id: string; workstation: string; seq: string; kind: AuditProblem['kind'] }) => ({
    kind: r.kind,
    workstation: r.workstation,
    seq: r.seq,
    recordId: r.id,
    sealId: null,
  }));
}

/** Chain heads that do not point at the last record of their workstation (tail deleted). */
export async function findHeadMismatches(db: Db): Promise<AuditProblem[]> {
  const { rows } = await db.raw(
    `select h.workstation, h.seq::text as seq
       from audit_chain_heads h
       left join lateral (select seq, hash from audit_log a where a.workstation = h.workstation
                           order by seq desc limit 1) last on true
      where last.seq is distinct from h.seq or last.hash is distinct from h.hash
      order by h.workstation`,
  );
  return rows.map((r: { workstation: string; seq: string }) => ({
    kind: 'headMismatch' as const,
    workstation: r.workstation,
    seq: r.seq,
    recordId: null,
    sealId: null,
  }));
}

export async function countRecords(db: Db): Promise<number> {
  const row = await db('audit_log').count<{ count: string }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

export interface SealRow {
  id: string;
  sealed_at: Date;
  heads: Record<string, { seq: string; hash: string }>;
  record_count: string;
  prev_hash: string;
  hash: string;
}

/** Seals whose own digest or link is wrong, and sealed heads that no longer match their record. */
export async function findBrokenSeals(db: Db): Promise<{ problems: AuditProblem[]; checked: number }> {
  const { rows } = await db.raw(
    `select s.id::text as id,
            (s.hash <> audit_seal_hash(s)) as altered,
            (s.prev_hash <> coalesce(lag(s.hash) over (order by s.id), repeat('0', 64))) as unlinked,
            exists (select 1 from jsonb_each(s.heads) h
                     where not exists (select 1 from audit_log a
                                        where a.workstation = h.key
                                          and a.seq = (h.value->>'seq')::bigint
                                          and a.hash = h.value->>'hash')) as mismatched
       from audit_seals s
      order by s.id`,
  );
  const problems: AuditProblem[] = [];
  for (const r of rows as { id: string; altered: boolean; unlinked: boolean; mismatched: boolean }[]) {
    if (r.altered || r.unlinked) {
      problems.push({ kind: 'sealAltered', workstation: null, seq: null, recordId: null, sealId: r.id });
    } else if (r.mismatched) {
      problems.push({ kind: 'sealMismatch', workstation: null, seq: null, recordId: null, sealId: r.id });
    }
  }
  return { problems, checked: rows.length };
}

export async function lastSeal(q: Db | Trx): Promise<SealRow | undefined> {
  return q<SealRow>('audit_seals').orderBy('id', 'desc').first();
}

/** Seals every workstation's committed chain head. Serialized by an advisory lock, off the hot path. */
export async function insertSeal(trx: Trx, sealedAt: Date): Promise<SealRow> {
  await trx.raw(`select pg_advisory_xact_lock(hashtext('audit_seal'))`);
  const heads: Record<string, { seq: string; hash: string }> = {};
  let total = 0n;
  for (const h of await trx('audit_chain_heads')
    .select('workstation', 'seq', 'hash')
    .orderBy('workstation')) {
    heads[h.workstation] = { seq: String(h.seq), hash: h.hash };
    total += BigInt(h.seq);
  }
  // prev_hash and hash are set by the sealing trigger.
  const [row] = await trx<SealRow>('audit_seals')
    .insert({
      sealed_at: sealedAt,
      heads: JSON.stringify(heads) as never,
      record_count: total.toString(),
      prev_hash: '',
      hash: '',
    })
    .returning('*');
  return row!;
}
