import type { Db, Trx } from '../../db';
import type { CashDay, ControlledStep, LimitKind } from './rules';

// SQL of the cash-controls module. Its own tables are cash_*; customers, deposit accounts, tills and
// staff are read (never written) to show who and what a request or a flag is about.

type Q = Db | Trx;

const num = (v: unknown) => BigInt(String(v ?? 0));

/** One customer's cash steps queue here, so the day's aggregate is never read by two at once. */
export async function lockHolderDay(q: Trx, holderId: string): Promise<void> {
  await q.raw(`select pg_advisory_xact_lock(hashtext('cash-controls.holder'), hashtext(?))`, [holderId]);
}

// ---- Limits and settings ----

export async function roleLimits(q: Q): Promise<Map<string, bigint>> {
  const rows = await q('cash_role_limits').select<{ role: string; withdrawal_limit: string }[]>();
  return new Map(rows.map((r) => [r.role, num(r.withdrawal_limit)]));
}

export async function setRoleLimit(q: Trx, role: string, limit: bigint | null, by: string | null, at: Date) {
  if (limit === null) {
    await q('cash_role_limits').where({ role }).del();
    return;
  }
  await q('cash_role_limits')
    .insert({ role, withdrawal_limit: limit.toString(), updated_by: by, updated_at: at })
    .onConflict('role')
    .merge();
}

export async function tillMaximum(q: Q, tillId: string): Promise<bigint | null> {
  const row = await q('cash_till_maximums').where({ till_id: tillId }).first<{ maximum: string }>('maximum');
  return row ? num(row.maximum) : null;
}

/** The till's cash ledger account (the tills module's table), if the till exists. */
export async function tillLedgerAccount(q: Q, tillId: string): Promise<string | undefined> {
  const row = await q('tills')
    .where({ id: tillId })
    .first<{ ledger_account_id: string }>('ledger_account_id');
  return row?.ledger_account_id;
}

export async function tillsWithMaximums(q: Q) {
  return q('tills as t')
    .leftJoin('cash_till_maximums as m', 'm.till_id', 't.id')
    .orderBy('t.code')
    .select<{ id: string; code: string; name: string; maximum: string | null }[]>(
      't.id',
      't.code',
      't.name',
      'm.maximum',
    );
}

export async function setTillMaximum(q: Trx, tillId: string, maximum: bigint | null, by: string, at: Date) {
  if (maximum === null) {
    await q('cash_till_maximums').where({ till_id: tillId }).del();
    return;
  }
  await q('cash_till_maximums')
    .insert({ till_id: tillId, maximum: maximum.toString(), updated_by: by, updated_at: at })
    .onConflict('till_id')
    .merge();
}

export interface Settings {
  ctrThreshold: bigint;
  structuringBandPercent: number;
}

export async function settings(q: Q): Promise<Settings> {
  const row = await q('cash_control_settings').first();
  return { ctrThreshold: num(row.ctr_threshold), structuringBandPercent: row.structuring_band_percent };
}

export async function setSettings(q: Trx, s: Settings, by: string | null, at: Date) {
  await q('cash_control_settings').update({
    ctr_threshold: s.ctrThreshold.toString(),
    structuring_band_percent: s.structuringBandPercent,
    updated_by: by,
    updated_at: at,
  });
}

// ---- Override requests ----

export async function accountExists(q: Q, id: string): Promise<boolean> {
  return Boolean(await q('deposit_accounts').where({ id }).first('id'));
}

export interface RequestRow {
  id: string;
  account_id: string;
  account_public_id: string;
  holder_name: string;
  step_kind: ControlledStep;
  limit_kind: LimitKind;
  limit_amount: string;
  amount: string;
  checked_amount: string;
  till_id: string | null;
  note: string | null;
  requested_by: string;
  requested_by_name: string;
  workstation: string;
  business_date: string;
  requested_at: Date;
  status: 'pending' | 'approved' | 'refused' | 'used';
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
}

function requestQuery(q: Q) {
  return q('cash_override_requests as r')
    .join('deposit_accounts as a', 'a.id', 'r.account_id')
    .join('prospects as p', 'p.id', 'a.holder_id')
    .join('staff_users as u', 'u.id', 'r.requested_by')
    .leftJoin('staff_users as d', 'd.id', 'r.decided_by')
    .select(
      'r.*',
      'a.public_id as account_public_id',
      'p.full_name as holder_name',
      'u.full_name as requested_by_name',
      'd.full_name as decided_by_name',
    );
}

export async function insertRequest(
  q: Trx,
  r: {
    id: string;
    accountId: string;
    kind: ControlledStep;
    limit: LimitKind;
    limitAmount: bigint;
    amount: bigint;
    checkedAmount: bigint;
    tillId: string | null;
    note: string | null;
    requestedBy: string;
    workstation: string;
    businessDate: string;
    at: Date;
  },
) {
  await q('cash_override_requests').insert({
    id: r.id,
    account_id: r.accountId,
    step_kind: r.kind,
    limit_kind: r.limit,
    limit_amount: r.limitAmount.toString(),
    amount: r.amount.toString(),
    checked_amount: r.checkedAmount.toString(),
    till_id: r.tillId,
    note: r.note,
    requested_by: r.requestedBy,
    workstation: r.workstation,
    business_date: r.businessDate,
    requested_at: r.at,
  });
}

export async function findRequest(q: Q, id: string, lock = false): Promise<RequestRow | undefined> {
  const query = requestQuery(q).where('r.id', id);
  if (lock) query.forUpdate('r');
  return query.first();
}

export async function pendingRequests(q: Q, businessDate: string): Promise<RequestRow[]> {
  return requestQuery(q)
    .where({ 'r.status': 'pending', 'r.business_date': businessDate })
    .orderBy('r.requested_at')
    .orderBy('r.id')
    .limit(200);
}

export async function decideRequest(
  q: Trx,
  id: string,
  d: { status: 'approved' | 'refused'; by: string; reason: string; at: Date },
) {
  await q('cash_override_requests')
    .where({ id })
    .update({ status: d.status, decided_by: d.by, decision_reason: d.reason, decided_at: d.at });
}

export async function markRequestUsed(q: Trx, id: string, movementId: string, at: Date) {
  await q('cash_override_requests')
    .where({ id })
    .update({ status: 'used', used_by_movement: movementId, used_at: at });
}

// ---- Overrides given ----

export async function insertOverride(
  q: Trx,
  o: {
    id: string;
    movementId: string;
    kind: ControlledStep;
    limit: LimitKind;
    limitAmount: bigint;
    checkedAmount: bigint;
    accountId: string;
    tillId: string | null;
    requestedBy: string;
    givenBy: string;
    reason: string;
    how: 'at-workstation' | 'remote';
    requestId: string | null;
    workstation: string;
    businessDate: string;
    at: Date;
  },
) {
  await q('cash_overrides').insert({
    id: o.id,
    movement_id: o.movementId,
    step_kind: o.kind,
    limit_kind: o.limit,
    limit_amount: o.limitAmount.toString(),
    checked_amount: o.checkedAmount.toString(),
    account_id: o.accountId,
    till_id: o.tillId,
    requested_by: o.requestedBy,
    given_by: o.givenBy,
    reason: o.reason,
    how: o.how,
    request_id: o.requestId,
    workstation: o.workstation,
    business_date: o.businessDate,
    at: o.at,
  });
}

export interface OverrideRow {
  id: string;
  step_kind: ControlledStep;
  limit_kind: LimitKind;
  limit_amount: string;
  checked_amount: string;
  till_id: string | null;
  given_by: string;
  given_by_username: string;
  reason: string;
  how: 'at-workstation' | 'remote';
  request_id: string | null;
}

export async function overridesOf(q: Q, movementId: string, kind: string): Promise<OverrideRow[]> {
  return q('cash_overrides as o')
    .join('staff_users as g', 'g.id', 'o.given_by')
    .where({ 'o.movement_id': movementId, 'o.step_kind': kind })
    .select('o.*', 'g.username as given_by_username');
}

// ---- Large cash ----

/** The customer's cash of the business day so far, and how many single amounts were near the threshold. */
export async function cashDay(
  q: Trx,
  holderId: string,
  businessDate: string,
  near: { floor: bigint; threshold: bigint },
): Promise<CashDay> {
  const { rows } = await q.raw(
    `select coalesce(sum(amount) filter (where direction = 'in'), 0)::text as cash_in,
            coalesce(sum(amount) filter (where direction = 'out'), 0)::text as cash_out,
            count(*) filter (where amount >= ? and amount < ?)::int as near
       from cash_movements where holder_id = ? and business_date = ?`,
    [near.floor.toString(), near.threshold.toString(), holderId, businessDate],
  );
  const r = rows[0] as { cash_in: string; cash_out: string; near: number };
  return { cashIn: num(r.cash_in), cashOut: num(r.cash_out), nearThreshold: Number(r.near) };
}

export async function insertMovement(
  q: Trx,
  m: {
    movementId: string;
    kind: ControlledStep;
    holderId: string;
    accountId: string;
    direction: 'in' | 'out';
    amount: bigint;
    businessDate: string;
    at: Date;
  },
) {
  await q('cash_movements')
    .insert({
      movement_id: m.movementId,
      step_kind: m.kind,
      holder_id: m.holderId,
      account_id: m.accountId,
      direction: m.direction,
      amount: m.amount.toString(),
      business_date: m.businessDate,
      at: m.at,
    })
    .onConflict('movement_id')
    .ignore();
}

export interface NewReport {
  id: string;
  kind: 'ctr' | 'structuring';
  businessDate: string;
  holderId: string;
  accountId: string;
  movementId: string;
  stepKind: ControlledStep;
  direction: 'in' | 'out';
  amount: bigint;
  day: CashDay;
  threshold: bigint;
  conductor: { name: string; idDocument?: string; relationship?: string } | null;
  tellerId: string | null;
  workstation: string;
  at: Date;
}

function reportRow(r: NewReport) {
  return {
    id: r.id,
    kind: r.kind,
    business_date: r.businessDate,
    holder_id: r.holderId,
    account_id: r.accountId,
    movement_id: r.movementId,
    step_kind: r.stepKind,
    direction: r.direction,
    amount: r.amount.toString(),
    day_cash_in: r.day.cashIn.toString(),
    day_cash_out: r.day.cashOut.toString(),
    threshold: r.threshold.toString(),
    near_threshold_count: r.day.nearThreshold,
    conductor_name: r.conductor?.name ?? null,
    conductor_id_document: r.conductor?.idDocument || null,
    conductor_relationship: r.conductor?.relationship || null,
    teller_id: r.tellerId,
    workstation: r.workstation,
    at: r.at,
  };
}

export async function insertCtr(q: Trx, r: NewReport): Promise<void> {
  await q.raw(
    `insert into cash_reports ${columnsOf(reportRow(r))} on conflict (movement_id) where kind = 'ctr' do nothing`,
    Object.values(reportRow(r)),
  );
}

/**
 * One structuring warning per customer and day, kept up to date with the latest near-threshold
 * amount. Returns true when the warning is new.
 */
export async function upsertStructuring(q: Trx, r: NewReport): Promise<boolean> {
  const { rows } = await q.raw(
    `insert into cash_reports ${columnsOf(reportRow(r))}
       on conflict (holder_id, business_date) where kind = 'structuring' do update set
         movement_id = excluded.movement_id, step_kind = excluded.step_kind,
         direction = excluded.direction, amount = excluded.amount,
         day_cash_in = excluded.day_cash_in, day_cash_out = excluded.day_cash_out,
         near_threshold_count = excluded.near_threshold_count, teller_id = excluded.teller_id,
         workstation = excluded.workstation, at = excluded.at
       returning (xmax = 0) as inserted`,
    Object.values(reportRow(r)),
  );
  return Boolean((rows[0] as { inserted: boolean }).inserted);
}

function columnsOf(row: Record<string, unknown>): string {
  const keys = Object.keys(row);
  return `(${keys.join(', ')}) values (${keys.map(() => '?').join(', ')})`;
}

export interface ReportFilter {
  from?: string;
  to?: string;
  kind?: 'ctr' | 'structuring';
}

export interface ReportRow {
  id: string;
  kind: 'ctr' | 'structuring';
  business_date: string;
  holder_public_id: string;
  holder_name: string;
  account_public_id: string;
  movement_id: string;
  step_kind: ControlledStep;
  direction: 'in' | 'out';
  amount: string;
  day_cash_in: string;
  day_cash_out: string;
  threshold: string;
  near_threshold_count: number;
  conductor_name: string | null;
  conductor_id_document: string | null;
  conductor_relationship: string | null;
  teller_name: string | null;
  workstation: string;
  at: Date;
}

function reportsQuery(q: Q, f: ReportFilter) {
  const query = q('cash_reports as r')
    .join('customers as c', 'c.id', 'r.holder_id')
    .join('prospects as p', 'p.id', 'r.holder_id')
    .join('deposit_accounts as a', 'a.id', 'r.account_id')
    .leftJoin('staff_users as u', 'u.id', 'r.teller_id');
  if (f.from) query.where('r.business_date', '>=', f.from);
  if (f.to) query.where('r.business_date', '<=', f.to);
  if (f.kind) query.where('r.kind', f.kind);
  return query;
}

export async function reports(q: Q, f: ReportFilter, page: { offset: number; limit: number }) {
  const rows: ReportRow[] = await reportsQuery(q, f)
    .select(
      'r.*',
      'c.public_id as holder_public_id',
      'p.full_name as holder_name',
      'a.public_id as account_public_id',
      'u.full_name as teller_name',
    )
    .orderBy('r.business_date', 'desc')
    .orderBy('r.at', 'desc')
    .orderBy('r.id')
    .offset(page.offset)
    .limit(page.limit);
  const counted = await reportsQuery(q, f).count<{ count: string | number }[]>('* as count');
  return { rows, total: Number(counted[0]?.count ?? 0) };
}
