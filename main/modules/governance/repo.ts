import { notAwaited, type Db, type Trx } from '../../db';
import type { Conclusion, Decision, ProcessStatus, ProcessType } from './rules';

type Q = Db | Trx;

/** The channel every workstation listens on; payloads are small JSON objects with an `event`. */
export const BANK_EVENTS_CHANNEL = 'bank_events';

// ---- Committees ----

export interface CommitteeRow {
  id: string;
  name: string;
  created_at: Date;
}

export interface MemberRow {
  committee_id: string;
  user_id: string;
  username: string;
  full_name: string;
  status: string;
  added_at: Date;
}

export async function committees(q: Q): Promise<CommitteeRow[]> {
  return q<CommitteeRow>('governance_committees').select('id', 'name', 'created_at').orderBy('name');
}

/** With forUpdate, locks the committee row: membership changes and votes of its processes queue on it. */
export async function findCommittee(
  q: Q,
  id: string,
  lock?: 'update' | 'share',
): Promise<CommitteeRow | undefined> {
  const query = q<CommitteeRow>('governance_committees').where({ id }).first('id', 'name', 'created_at');
  if (lock === 'update') query.forUpdate();
  if (lock === 'share') query.forShare();
  return query;
}

export async function committeeNameTaken(q: Q, name: string): Promise<boolean> {
  return Boolean(await q('governance_committees').whereRaw('lower(name) = lower(?)', [name]).first('id'));
}

export async function insertCommittee(q: Q, c: { id: string; name: string; by: string | null; at: Date }) {
  await q('governance_committees').insert({ id: c.id, name: c.name, created_by: c.by, created_at: c.at });
}

export async function members(q: Q, committeeIds?: string[]): Promise<MemberRow[]> {
  const query = q('governance_committee_members as m')
    .join('staff_users as u', 'u.id', 'm.user_id')
    .select('m.committee_id', 'm.user_id', 'u.username', 'u.full_name', 'u.status', 'm.added_at')
    .orderBy('u.username');
  if (committeeIds) query.whereIn('m.committee_id', committeeIds);
  return query;
}

/** Staff users by id, shaped like members (a concluded process's members as they were). */
export async function staffUsers(
  q: Q,
  ids: string[],
): Promise<Omit<MemberRow, 'committee_id' | 'added_at'>[]> {
  if (!ids.length) return [];
  return q('staff_users as u')
    .whereIn('u.id', ids)
    .orderBy('u.username')
    .select('u.id as user_id', 'u.username', 'u.full_name', 'u.status');
}

export async function memberIds(q: Q, committeeId: string): Promise<Set<string>> {
  const rows = await q('governance_committee_members').where({ committee_id: committeeId }).select('user_id');
  return new Set(rows.map((r: { user_id: string }) => r.user_id));
}

export async function memberCounts(q: Q): Promise<Map<string, number>> {
  const { rows } = await q.raw(
    `select c.id, count(m.user_id)::int as n from governance_committees c
       left join governance_committee_members m on m.committee_id = c.id group by c.id`,
  );
  return new Map((rows as { id: string; n: number }[]).map((r) => [r.id, Number(r.n)]));
}

/** Adds a member; false when they were one already (adding is idempotent). */
export async function addMember(
  q: Q,
  m: { committeeId: string; userId: string; by: string | null; at: Date },
): Promise<boolean> {
  const rows = await q('governance_committee_members')
    .insert({ committee_id: m.committeeId, user_id: m.userId, added_by: m.by, added_at: m.at })
    .onConflict(['committee_id', 'user_id'])
    .ignore()
    .returning('user_id');
  return rows.length > 0;
}

/** Removes a member; false when they were not one (removing is idempotent). */
export async function removeMember(q: Q, committeeId: string, userId: string): Promise<boolean> {
  return (
    (await q('governance_committee_members').where({ committee_id: committeeId, user_id: userId }).del()) > 0
  );
}

export async function activeStaffUser(q: Q, userId: string): Promise<boolean> {
  return Boolean(await q('staff_users').where({ id: userId, status: 'active' }).first('id'));
}

// ---- Policies ----

export interface PolicyRow {
  process_type: ProcessType;
  currency: 'USD' | 'BTC';
  updated_at: Date;
  updated_by: string | null;
}

export interface TierRow {
  process_type: ProcessType;
  position: number;
  up_to: string | null;
  committee_id: string | null;
  threshold: number | null;
}

export async function policies(q: Q): Promise<(PolicyRow & { updater: string | null })[]> {
  return q('governance_policies as p')
    .leftJoin('staff_users as u', 'u.id', 'p.updated_by')
    .select('p.process_type', 'p.currency', 'p.updated_at', 'p.updated_by', 'u.username as updater')
    .orderBy('p.process_type');
}

/** With lock, the policy row is locked: a policy change and the processes it routes queue on it. */
export async function findPolicy(
  q: Q,
  type: ProcessType,
  lock?: 'update' | 'share',
): Promise<PolicyRow | undefined> {
  const query = q<PolicyRow>('governance_policies')
    .where({ process_type: type })
    .first('process_type', 'currency', 'updated_at', 'updated_by');
  if (lock === 'update') query.forUpdate();
  if (lock === 'share') query.forShare();
  return query;
}

export async function tiers(q: Q, type?: ProcessType): Promise<TierRow[]> {
  const query = q<TierRow>('governance_policy_tiers')
    .select('process_type', 'position', 'up_to', 'committee_id', 'threshold')
    .orderBy(['process_type', 'position']);
  if (type) query.where({ process_type: type });
  return query;
}

export async function tiersOfCommittee(q: Q, committeeId: string): Promise<TierRow[]> {
  return q<TierRow>('governance_policy_tiers')
    .where({ committee_id: committeeId })
    .select('process_type', 'position', 'up_to', 'committee_id', 'threshold');
}

export async function putPolicy(
  q: Q,
  p: {
    type: ProcessType;
    currency: string;
    tiers: { upTo: string | null; committeeId: string | null; threshold: number | null }[];
    by: string | null;
    at: Date;
  },
): Promise<void> {
  await q('governance_policies')
    .where({ process_type: p.type })
    .update({ currency: p.currency, updated_by: p.by, updated_at: p.at });
  await q('governance_policy_tiers').where({ process_type: p.type }).del();
  await q('governance_policy_tiers').insert(
    p.tiers.map((t, position) => ({
      process_type: p.type,
      position,
      up_to: t.upTo,
      committee_id: t.committeeId,
      threshold: t.threshold,
    })),
  );
}

// ---- Processes and votes ----

export interface ProcessRow {
  id: string;
  process_type: ProcessType;
  status: ProcessStatus;
  amount: string | null;
  currency: 'USD' | 'BTC' | null;
  target_kind: string;
  target_id: string;
  initiated_by: string | null;
  summary: Record<string, unknown>;
  rule: 'auto' | 'committee';
  tier_position: number;
  tier_up_to: string | null;
  committee_id: string | null;
  threshold: number | null;
  started_at: Date;
  concluded_at: Date | null;
  conclusion: Conclusion | null;
  final_members: string[] | null;
  final_approvals: number | null;
  initiator: string | null;
  committee_name: string | null;
}

export interface VoteRow {
  process_id: string;
  voter_id: string;
  decision: Decision;
  reason: string | null;
  workstation: string;
  channel: 'online' | 'queued';
  voted_at: Date;
  username: string;
  full_name: string;
}

const processQuery = (q: Q) =>
  q('governance_processes as p')
    .leftJoin('staff_users as u', 'u.id', 'p.initiated_by')
    .leftJoin('governance_committees as c', 'c.id', 'p.committee_id')
    .select('p.*', 'u.username as initiator', 'c.name as committee_name');

export async function insertProcess(
  q: Q,
  p: {
    id: string;
    type: ProcessType;
    amount: string | null;
    currency: string | null;
    targetKind: string;
    targetId: string;
    initiatedBy: string | null;
    summary: Record<string, unknown>;
    rule: 'auto' | 'committee';
    tierPosition: number;
    tierUpTo: string | null;
    committeeId: string | null;
    threshold: number | null;
    at: Date;
  },
): Promise<void> {
  await q('governance_processes').insert({
    id: p.id,
    process_type: p.type,
    status: 'in_progress',
    amount: p.amount,
    currency: p.currency,
    target_kind: p.targetKind,
    target_id: p.targetId,
    initiated_by: p.initiatedBy,
    summary: JSON.stringify(p.summary),
    rule: p.rule,
    tier_position: p.tierPosition,
    tier_up_to: p.tierUpTo,
    committee_id: p.committeeId,
    threshold: p.threshold,
    started_at: p.at,
  });
}

/** The process row locked FOR UPDATE first when forUpdate: concurrent votes queue on it. */
export async function findProcess(q: Q, id: string, forUpdate = false): Promise<ProcessRow | undefined> {
  const query = processQuery(q).where('p.id', id);
  // The process row only: the initiator and the committee are read, not locked.
  if (forUpdate) query.forUpdate('p');
  return query.first();
}

/**
 * The committee a process was started under (fixed for its life), share-locked: a membership change
 * (which locks it exclusively) waits for the vote, or the vote for it. Undefined: no such process.
 */
export async function lockCommitteeOfProcess(
  q: Q,
  id: string,
): Promise<{ committee_id: string | null } | undefined> {
  const { rows } = await q.raw(
    `select p.committee_id,
            (select c.id from governance_committees c where c.id = p.committee_id for share) as locked
       from governance_processes p where p.id = ?`,
    [id],
  );
  return rows[0];
}

export async function findProcessOf(
  q: Q,
  type: ProcessType,
  target: { kind: string; id: string },
): Promise<ProcessRow | undefined> {
  return processQuery(q)
    .where({ 'p.process_type': type, 'p.target_kind': target.kind, 'p.target_id': target.id })
    .first();
}

/** The in-progress processes of a committee, locked in id order (the same order everywhere). */
export async function lockOpenProcessesOf(q: Q, committeeId: string): Promise<string[]> {
  const rows = await q('governance_processes')
    .where({ committee_id: committeeId, status: 'in_progress' })
    .orderBy('id')
    .forUpdate()
    .select('id');
  return rows.map((r: { id: string }) => r.id);
}

export async function conclude(
  q: Q,
  id: string,
  c: {
    status: 'approved' | 'denied';
    conclusion: Conclusion;
    at: Date;
    members: string[];
    approvals: number;
  },
  /** Announced at commit on the bank's events channel, when it concluded here: same statement. */
  notifyPayload?: Record<string, unknown>,
): Promise<void> {
  const fields = [c.status, c.conclusion, c.at, c.members, c.approvals, id];
  const update = `update governance_processes
       set status = ?, conclusion = ?, concluded_at = ?, final_members = ?::text[], final_approvals = ?
     where id = ? and status = 'in_progress'`;
  if (!notifyPayload) return void (await q.raw(update, fields));
  await q.raw(`with concluded as (${update} returning id) select pg_notify(?, ?) from concluded`, [
    ...fields,
    BANK_EVENTS_CHANNEL,
    JSON.stringify(notifyPayload),
  ]);
}

const fromJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/**
 * A process locked for a vote, with its committee's members and its votes, in one statement (the
 * vote path's reads: the members and votes come as JSON, shaped like members() and votes()).
 */
export async function processForVote(
  trx: Trx,
  id: string,
): Promise<{ row: ProcessRow; members: MemberRow[]; votes: VoteRow[] } | undefined> {
  const { rows } = await trx.raw(
    `select p.*, u.username as initiator, c.name as committee_name,
            coalesce((select json_agg(json_build_object('committee_id', m.committee_id, 'user_id', m.user_id,
                        'username', mu.username, 'full_name', mu.full_name, 'status', mu.status,
                        'added_at', m.added_at) order by mu.username)
                        from governance_committee_members m join staff_users mu on mu.id = m.user_id
                       where m.committee_id = p.committee_id), '[]') as members_json,
            coalesce((select json_agg(json_build_object('process_id', v.process_id, 'voter_id', v.voter_id,
                        'decision', v.decision, 'reason', v.reason, 'workstation', v.workstation,
                        'channel', v.channel, 'voted_at', v.voted_at, 'username', vu.username,
                        'full_name', vu.full_name) order by v.seq)
                        from governance_votes v join staff_users vu on vu.id = v.voter_id
                       where v.process_id = p.id), '[]') as votes_json
       from governance_processes p
       left join staff_users u on u.id = p.initiated_by
       left join governance_committees c on c.id = p.committee_id
      where p.id = ? for update of p`,
    [id],
  );
  const found = rows[0];
  if (!found) return undefined;
  const { members_json, votes_json, ...row } = found;
  return {
    row: row as ProcessRow,
    members: fromJson<MemberRow[]>(members_json).map((m) => ({ ...m, added_at: new Date(m.added_at) })),
    votes: fromJson<VoteRow[]>(votes_json).map((v) => ({ ...v, voted_at: new Date(v.voted_at) })),
  };
}

export async function votes(q: Q, processIds: string[]): Promise<VoteRow[]> {
  if (!processIds.length) return [];
  return q('governance_votes as v')
    .join('staff_users as u', 'u.id', 'v.voter_id')
    .whereIn('v.process_id', processIds)
    .orderBy('v.seq')
    .select(
      'v.process_id',
      'v.voter_id',
      'v.decision',
      'v.reason',
      'v.workstation',
      'v.channel',
      'v.voted_at',
      'u.username',
      'u.full_name',
    );
}

export async function insertVote(
  q: Q,
  v: {
    id: string;
    processId: string;
    voterId: string;
    decision: Decision;
    reason: string | null;
    workstation: string;
    commandId: string | null;
    at: Date;
    channel?: 'online' | 'queued';
  },
): Promise<void> {
  await q('governance_votes').insert({
    id: v.id,
    process_id: v.processId,
    voter_id: v.voterId,
    decision: v.decision,
    reason: v.reason,
    workstation: v.workstation,
    channel: v.channel ?? 'online',
    command_id: v.commandId,
    voted_at: v.at,
  });
}

export async function listProcesses(
  q: Q,
  f: { type?: ProcessType; status?: ProcessStatus; limit?: number },
): Promise<ProcessRow[]> {
  const query = processQuery(q)
    .orderBy('p.started_at', 'desc')
    .orderBy('p.id')
    .limit(f.limit ?? 200);
  if (f.type) query.where('p.process_type', f.type);
  if (f.status) query.where('p.status', f.status);
  return query;
}

/**
 * A voter's inbox: every in-progress process of a committee they belong to now, which they did not
 * start and have not voted on yet; and the processes of their committees (or that they voted on) concluded since `since`.
 */
export async function inbox(
  q: Q,
  userId: string,
  f: { type?: ProcessType; status?: ProcessStatus; since: Date },
): Promise<ProcessRow[]> {
  const query = processQuery(q)
    .where((w) =>
      w
        .where((open) =>
          open
            .where('p.status', 'in_progress')
            .whereExists((m) =>
              m
                .from('governance_committee_members as gm')
                .whereRaw('gm.committee_id = p.committee_id')
                .where('gm.user_id', userId),
            )
            .where((i) => i.whereNull('p.initiated_by').orWhereNot('p.initiated_by', userId))
            .whereNotExists((v) =>
              v.from('governance_votes as gv').whereRaw('gv.process_id = p.id').where('gv.voter_id', userId),
            ),
        )
        .orWhere((done) =>
          done
            .whereNot('p.status', 'in_progress')
            .where('p.concluded_at', '>=', f.since)
            .where((mine) =>
              mine
                .whereExists((m) =>
                  m
                    .from('governance_committee_members as gm')
                    .whereRaw('gm.committee_id = p.committee_id')
                    .where('gm.user_id', userId),
                )
                .orWhereExists((v) =>
                  v
                    .from('governance_votes as gv')
                    .whereRaw('gv.process_id = p.id')
                    .where('gv.voter_id', userId),
                ),
            ),
        ),
    )
    .orderByRaw(`case when p.status = 'in_progress' then 0 else 1 end`)
    .orderBy('p.started_at', 'desc')
    .orderBy('p.id')
    .limit(200);
  if (f.type) query.where('p.process_type', f.type);
  if (f.status) query.where('p.status', f.status);
  return query;
}

/**
 * Delivered to every listening workstation when the transaction commits, never on rollback. Not
 * waited for: it answers nothing (main/db/pipelined-pg.ts).
 */
export async function notify(q: Q, payload: Record<string, unknown>): Promise<void> {
  await q
    .raw('select pg_notify(?, ?)', [BANK_EVENTS_CHANNEL, JSON.stringify(payload)])
    .options(notAwaited('governance.notify'));
}
