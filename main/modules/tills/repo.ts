import type { Db, Trx } from '../../db';
import type { Counts } from './rules';

// The only file naming the tills module's tables (migration 0011_tills).

type Q = Db | Trx;

export interface DenominationRow {
  currency: string;
  value: string;
  kind: 'note' | 'coin';
  active: boolean;
}

export interface BranchRow {
  id: string;
  code: string;
  name: string;
  currency: string;
  vault_ledger_account_id: string;
  close_tolerance: string;
  created_at: Date;
}

export interface TillRow {
  id: string;
  branch_id: string;
  code: string;
  name: string;
  currency: string;
  ledger_account_id: string;
  created_at: Date;
}

export interface SessionRow {
  id: string;
  till_id: string;
  teller_id: string;
  teller_name: string;
  business_date: string;
  status: 'opening' | 'open' | 'awaiting_sign_off' | 'closed' | 'cancelled';
  opened_at: Date | null;
  opening_amount: string | null;
  expected_amount: string | null;
  counted_amount: string | null;
  difference: string | null;
  counted_denominations: { value: string; count: number }[] | null;
  over_short_transaction_id: string | null;
  signed_off_by: string | null;
  closed_at: Date | null;
}

export interface TransferRow {
  id: string;
  branch_id: string;
  till_id: string;
  till_code: string;
  session_id: string;
  direction: 'to_till' | 'to_vault';
  purpose: 'opening' | 'replenish' | 'excess';
  amount: string;
  denominations: { value: string; count: number }[];
  status: 'pending' | 'confirmed' | 'cancelled';
  requested_by: string;
  requested_by_name: string;
  requested_at: Date;
  confirmed_by: string | null;
  confirmed_at: Date | null;
  ledger_transaction_id: string | null;
}

// ---- Denominations ----

export function denominations(q: Q, currency: string, activeOnly = false): Promise<DenominationRow[]> {
  const query = q('denominations').where({ currency }).orderBy('value', 'desc');
  if (activeOnly) query.where({ active: true });
  return query.select('currency', 'value', 'kind', 'active');
}

export async function upsertDenominations(
  trx: Trx,
  currency: string,
  items: { value: string; kind: 'note' | 'coin' }[],
): Promise<void> {
  await trx('denominations').where({ currency }).update({ active: false });
  for (const item of items) {
    await trx('denominations')
      .insert({ currency, value: item.value, kind: item.kind, active: true })
      .onConflict(['currency', 'value'])
      .merge({ kind: item.kind, active: true });
  }
}

/** Values no longer active that a till or vault still holds. */
export async function inactiveHeld(trx: Trx, currency: string): Promise<string[]> {
  const rows = await trx('till_cash_holdings as h')
    .join('denominations as d', function () {
      this.on('d.currency', 'h.currency').andOn('d.value', 'h.value');
    })
    .where({ 'h.currency': currency, 'd.active': false })
    .andWhere('h.count', '>', 0)
    .distinct<{ value: string }[]>('h.value as value');
  return rows.map((r) => String(r.value));
}

// ---- Branches and tills ----

export function branches(q: Q): Promise<BranchRow[]> {
  return q('branches').orderBy('code').select('*');
}

export async function branch(q: Q, id: string, lock = false): Promise<BranchRow | undefined> {
  const query = q('branches').where({ id }).first();
  if (lock) query.forUpdate();
  return query;
}

export async function branchByCode(q: Q, code: string): Promise<BranchRow | undefined> {
  return q('branches').whereRaw('lower(code) = lower(?)', [code]).first();
}

export async function insertBranch(
  trx: Trx,
  row: Omit<BranchRow, 'created_at'> & { created_by: string | null; created_at: Date },
) {
  await trx('branches').insert(row);
}

export function tills(q: Q, branchId?: string): Promise<TillRow[]> {
  const query = q('tills').orderBy('code');
  if (branchId) query.where({ branch_id: branchId });
  return query.select('*');
}

export async function till(q: Q, id: string, lock = false): Promise<TillRow | undefined> {
  const query = q('tills').where({ id }).first();
  if (lock) query.forUpdate();
  return query;
}

export async function tillByCode(q: Q, branchId: string, code: string): Promise<TillRow | undefined> {
  return q('tills').where({ branch_id: branchId }).whereRaw('lower(code) = lower(?)', [code]).first();
}

export async function insertTill(
  trx: Trx,
  row: Omit<TillRow, 'created_at'> & { created_by: string | null; created_at: Date },
) {
  await trx('tills').insert(row);
}

// ---- Sessions ----

const sessionColumns = ['s.*', 'u.full_name as teller_name'];

/** The session of a till that is not over yet (opening, open or awaiting sign-off). */
export async function liveSession(q: Q, tillId: string, lock = false): Promise<SessionRow | undefined> {
  const query = q('till_sessions as s')
    .join('staff_users as u', 'u.id', 's.teller_id')
    .where('s.till_id', tillId)
    .whereIn('s.status', ['opening', 'open', 'awaiting_sign_off'])
    .first(sessionColumns);
  if (lock) query.forUpdate('s');
  return query;
}

export async function session(q: Q, id: string, lock = false): Promise<SessionRow | undefined> {
  const query = q('till_sessions as s')
    .join('staff_users as u', 'u.id', 's.teller_id')
    .where('s.id', id)
    .first(sessionColumns);
  if (lock) query.forUpdate('s');
  return query;
}

export async function sessionOfTeller(q: Q, tellerId: string): Promise<SessionRow | undefined> {
  return q('till_sessions as s')
    .join('staff_users as u', 'u.id', 's.teller_id')
    .where('s.teller_id', tellerId)
    .whereIn('s.status', ['opening', 'open', 'awaiting_sign_off'])
    .orderBy('s.created_at', 'desc')
    .first(sessionColumns);
}

export function liveSessions(q: Q, tillIds: string[]): Promise<SessionRow[]> {
  if (!tillIds.length) return Promise.resolve([]);
  return q('till_sessions as s')
    .join('staff_users as u', 'u.id', 's.teller_id')
    .whereIn('s.till_id', tillIds)
    .whereIn('s.status', ['opening', 'open', 'awaiting_sign_off'])
    .select(sessionColumns);
}

export async function insertSession(
  trx: Trx,
  row: { id: string; till_id: string; teller_id: string; business_date: string; created_at: Date },
) {
  await trx('till_sessions').insert({ ...row, status: 'opening' });
}

export async function updateSession(trx: Trx, id: string, fields: Record<string, unknown>) {
  await trx('till_sessions').where({ id }).update(fields);
}

export async function movementCount(q: Q, sessionId: string): Promise<number> {
  const row = await q('till_cash_movements')
    .where({ session_id: sessionId })
    .count<{ n: string }[]>({ n: '*' });
  return Number(row[0]?.n ?? 0);
}

// ---- Transfers ----

function transfers(q: Q) {
  return q('vault_transfers as t')
    .join('tills as ti', 'ti.id', 't.till_id')
    .join('staff_users as u', 'u.id', 't.requested_by')
    .select('t.*', 'ti.code as till_code', 'u.full_name as requested_by_name');
}

export async function transfer(q: Q, id: string, lock = false): Promise<TransferRow | undefined> {
  if (lock) await q('vault_transfers').where({ id }).forUpdate().first('id');
  return transfers(q).where('t.id', id).first();
}

export function pendingTransfers(q: Q, f: { branchId?: string; sessionId?: string }): Promise<TransferRow[]> {
  const query = transfers(q).where('t.status', 'pending').orderBy('t.requested_at');
  if (f.branchId) query.where('t.branch_id', f.branchId);
  if (f.sessionId) query.where('t.session_id', f.sessionId);
  return query;
}

export async function insertTransfer(
  trx: Trx,
  row: Omit<
    TransferRow,
    'till_code' | 'requested_by_name' | 'confirmed_by' | 'confirmed_at' | 'ledger_transaction_id' | 'status'
  >,
) {
  await trx('vault_transfers').insert({
    ...row,
    status: 'pending',
    denominations: JSON.stringify(row.denominations),
  });
}

export async function updateTransfer(trx: Trx, id: string, fields: Record<string, unknown>) {
  await trx('vault_transfers').where({ id }).update(fields);
}

// ---- Holdings and movements ----

/** A holder's notes and coins; locked for the movement about to change them. */
export async function holdings(q: Q, holderId: string, currency: string, lock = false): Promise<Counts> {
  const query = q('till_cash_holdings').where({ holder_id: holderId, currency }).select('value', 'count');
  if (lock) query.forUpdate();
  const rows: { value: string; count: string }[] = await query;
  return new Map(rows.map((r) => [BigInt(r.value), BigInt(r.count)]));
}

/** Writes the holder's new counts (a CHECK refuses a negative one whatever the caller did). */
export async function putHoldings(trx: Trx, holderId: string, currency: string, counts: Counts) {
  for (const [value, count] of counts) {
    await trx('till_cash_holdings')
      .insert({ holder_id: holderId, currency, value: String(value), count: String(count) })
      .onConflict(['holder_id', 'currency', 'value'])
      .merge({ count: String(count) });
  }
}

export async function insertMovement(
  trx: Trx,
  row: {
    id: string;
    holder_kind: 'till' | 'vault';
    holder_id: string;
    session_id: string | null;
    kind: string;
    subject_id: string | null;
    amount: bigint;
    denominations: { value: string; count: number }[];
    ledger_transaction_id: string | null;
    business_date: string;
    actor_id: string | null;
    at: Date;
  },
) {
  await trx('till_cash_movements').insert({
    ...row,
    amount: String(row.amount),
    denominations: JSON.stringify(row.denominations),
  });
}

/** The till movement a deposit or withdrawal made (its counts are what a revert gives back). */
export async function movementOfSubject(
  q: Q,
  subjectId: string,
  kind: string,
): Promise<{ holder_id: string; denominations: { value: string; count: number }[] } | undefined> {
  return q('till_cash_movements')
    .where({ subject_id: subjectId, kind, holder_kind: 'till' })
    .first('holder_id', 'denominations');
}

/** Sessions not closed whose business date is on or before the date (the month-close gate). */
export async function liveSessionsUpTo(q: Q, date: string): Promise<number> {
  const row = await q('till_sessions')
    .whereIn('status', ['opening', 'open', 'awaiting_sign_off'])
    .andWhere('business_date', '<=', date)
    .count<{ n: string }[]>({ n: '*' });
  return Number(row[0]?.n ?? 0);
}

/** Where a cash withdrawal was started, when it was started at a till. */
export async function recordWithdrawalOrigin(
  trx: Trx,
  o: { withdrawalId: string; tillId: string; by: string | null; at: Date },
): Promise<void> {
  await trx('till_withdrawal_origins').insert({
    withdrawal_id: o.withdrawalId,
    till_id: o.tillId,
    initiated_by: o.by,
    initiated_at: o.at,
  });
}

export async function withdrawalOrigin(q: Q, withdrawalId: string): Promise<{ code: string } | undefined> {
  return q('till_withdrawal_origins as o')
    .join('tills as t', 't.id', 'o.till_id')
    .where('o.withdrawal_id', withdrawalId)
    .first('t.code');
}
