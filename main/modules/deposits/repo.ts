import { notAwaited, type Db, type Trx } from '../../db';
import type { AccountStatus, ActivityStatus, DepositStatus, WithdrawalStatus } from './rules';

type Q = Db | Trx;

export interface AccountRow {
  id: string;
  public_id: string;
  holder_id: string;
  currency: 'USD';
  status: AccountStatus;
  status_reason: string | null;
  ledger_account_id: string;
  frozen_ledger_account_id: string;
  activity_status: ActivityStatus;
  last_activity_on: string;
  created_at: Date;
}

/** An account with its holder and its balances (main settled and pending, companion settled). */
export interface AccountViewRow extends AccountRow {
  holder_public_id: string;
  holder_name: string;
  customer_type: string;
  settled: string;
  pending: string;
  frozen: string;
}

export interface DepositRow {
  id: string;
  account_id: string;
  amount: string;
  currency: string;
  method: 'cash' | 'wire' | 'check' | 'internal';
  reference: string | null;
  status: DepositStatus;
  effective_date: string;
  ledger_transaction_id: string;
  revert_ledger_transaction_id: string | null;
  revert_reason: string | null;
  created_by: string | null;
  created_at: Date;
  reverted_at: Date | null;
}

export interface WithdrawalRow {
  id: string;
  account_id: string;
  amount: string;
  currency: string;
  method: 'cash' | 'wire' | 'check' | 'internal';
  reference: string | null;
  status: WithdrawalStatus;
  effective_date: string;
  approval_process_id: string | null;
  initiate_transaction_id: string;
  confirm_transaction_id: string | null;
  release_transaction_id: string | null;
  revert_transaction_id: string | null;
  cancel_reason: string | null;
  revert_reason: string | null;
  initiated_by: string | null;
  initiated_at: Date;
  concluded_at: Date | null;
  confirmed_at: Date | null;
}

// Balances signed by the account's normal side, summed over its rows (customer accounts have one).
const balanceOf = (column: string, layer: 'settled' | 'pending') =>
  `(select coalesce(sum(case when b.normal_balance = 'credit' then b.credit - b.debit else b.debit - b.credit end), 0)::text
      from ledger_balances b where b.account_id = a.${column} and b.layer = '${layer}')`;

const VIEW_COLUMNS = `a.*, c.public_id as holder_public_id, p.full_name as holder_name,
  p.customer_type, ${balanceOf('ledger_account_id', 'settled')} as settled,
  ${balanceOf('ledger_account_id', 'pending')} as pending,
  ${balanceOf('frozen_ledger_account_id', 'settled')} as frozen`;

const VIEW_FROM = `deposit_accounts a join customers c on c.id = a.holder_id join prospects p on p.id = a.holder_id`;

const LOCK_CLAUSE = {
  update: 'for update of a',
  // The holder's row too (shared): a customer frozen meanwhile waits for the movement, or stops it.
  money: 'for no key update of a for share of c',
  share: 'for share of a',
} as const;

/**
 * The account row, locked: 'update' for a status change; 'money' for a deposit, withdrawal or
 * revert (they may update the row's last activity, and they queue on the account's one balance row
 * anyway); 'share' for steps that only read it (confirm, cancel, deny).
 */
export async function lockAccount(
  q: Trx,
  id: string,
  mode: keyof typeof LOCK_CLAUSE,
): Promise<
  | (AccountRow & {
      holder_status: string;
      holder_public_id: string;
      holder_name: string;
      business_date: string | null;
    })
  | undefined
> {
  // The bank's business date rides along: every movement needs it, and this saves it a round trip.
  const { rows } = await q
    .raw(
      `select a.*, c.status as holder_status, c.public_id as holder_public_id, p.full_name as holder_name,
              (select business_date from bank limit 1) as business_date
         from deposit_accounts a join customers c on c.id = a.holder_id join prospects p on p.id = a.holder_id
        where a.id = ? ${LOCK_CLAUSE[mode]}`,
      [id],
    )
    .options({ name: `deposits.lockAccount.${mode}` });
  return rows[0];
}

export async function accountView(q: Q, id: string): Promise<AccountViewRow | undefined> {
  // Named: every withdrawal reads it for its approval's summary, and planning it costs ten times
  // its execution.
  const { rows } = await q
    .raw(`select ${VIEW_COLUMNS} from ${VIEW_FROM} where a.id = ?`, [id])
    .options({ name: 'deposits.accountView' });
  return rows[0];
}

export async function accountsOfHolder(q: Q, holderId: string): Promise<AccountViewRow[]> {
  const { rows } = await q.raw(
    `select ${VIEW_COLUMNS} from ${VIEW_FROM} where a.holder_id = ? order by a.created_at`,
    [holderId],
  );
  return rows;
}

export async function listAccounts(
  q: Q,
  f: { status?: string; activityStatus?: string; offset: number; limit: number },
): Promise<{ rows: AccountViewRow[]; total: number }> {
  const where: string[] = [];
  const args: string[] = [];
  if (f.status) {
    where.push('a.status = ?');
    args.push(f.status);
  }
  if (f.activityStatus) {
    where.push('a.activity_status = ?');
    args.push(f.activityStatus);
  }
  const clause = where.length ? `where ${where.join(' and ')}` : '';
  const { rows } = await q.raw(
    `select ${VIEW_COLUMNS} from ${VIEW_FROM} ${clause} order by a.public_id limit ? offset ?`,
    [...args, f.limit, f.offset],
  );
  const total = await q.raw(`select count(*)::int as n from deposit_accounts a ${clause}`, args);
  return { rows, total: total.rows[0].n };
}

export async function findCustomer(
  q: Trx,
  id: string,
): Promise<
  | {
      id: string;
      public_id: string;
      status: string;
      full_name: string;
      customer_type: string;
      kyc_status: string;
    }
  | undefined
> {
  const { rows } = await q.raw(
    `select c.id, c.public_id, c.status, p.full_name, p.customer_type, p.kyc_status
       from customers c join prospects p on p.id = c.id where c.id = ? for share of c`,
    [id],
  );
  return rows[0];
}

export async function insertAccount(
  q: Trx,
  a: {
    id: string;
    holderId: string;
    ledgerAccountId: string;
    frozenLedgerAccountId: string;
    lastActivityOn: string;
    openedBy: string | null;
    at: Date;
  },
): Promise<void> {
  await q('deposit_accounts').insert({
    id: a.id,
    holder_id: a.holderId,
    ledger_account_id: a.ledgerAccountId,
    frozen_ledger_account_id: a.frozenLedgerAccountId,
    last_activity_on: a.lastActivityOn,
    opened_by: a.openedBy,
    created_at: a.at,
  });
}

export async function findAccountOf(q: Trx, holderId: string, currency: string) {
  return q('deposit_accounts').where({ holder_id: holderId, currency }).first<AccountRow | undefined>();
}

export async function setStatus(
  q: Trx,
  id: string,
  s: { status: AccountStatus; reason: string | null; by: string | null; at: Date },
): Promise<void> {
  await q('deposit_accounts').where({ id }).update({
    status: s.status,
    status_reason: s.reason,
    status_changed_by: s.by,
    status_changed_at: s.at,
  });
}

export async function touchActivity(q: Trx, id: string, on: string): Promise<void> {
  await q('deposit_accounts')
    .where({ id })
    .andWhere('last_activity_on', '<', on)
    .update({ last_activity_on: on, activity_status: 'active' });
}

export async function insertEvent(
  q: Trx,
  e: {
    id: string;
    accountId: string;
    action: string;
    amount?: bigint | null;
    reason?: string | null;
    ledgerTransactionId?: string | null;
    actorId: string | null;
    at: Date;
  },
): Promise<void> {
  await q('deposit_account_events').insert({
    id: e.id,
    account_id: e.accountId,
    action: e.action,
    amount: e.amount ? e.amount.toString() : null,
    reason: e.reason ?? null,
    ledger_transaction_id: e.ledgerTransactionId ?? null,
    actor_id: e.actorId,
    created_at: e.at,
  });
}

// ---- Deposits ----

/** A new deposit's columns, but its ledger transaction (posted in the same statement). */
export interface NewDeposit {
  id: string;
  accountId: string;
  amount: bigint;
  method: DepositRow['method'];
  reference: string | null;
  effectiveDate: string;
  createdBy: string | null;
  at: Date;
}

type DepositColumns = Pick<
  DepositRow,
  'id' | 'account_id' | 'amount' | 'method' | 'reference' | 'effective_date' | 'created_by' | 'created_at'
>;

export function depositRecord(d: NewDeposit): DepositColumns {
  return {
    id: d.id,
    account_id: d.accountId,
    amount: d.amount.toString(),
    method: d.method,
    reference: d.reference,
    effective_date: d.effectiveDate,
    created_by: d.createdBy,
    created_at: d.at,
  };
}

/**
 * The row depositRecord inserts, as the table then holds it (the defaults of migration 0010): the
 * insert travels with the COMMIT and answers nothing, so the command answers from this.
 */
export function recordedDeposit(d: NewDeposit, ledgerTransactionId: string): DepositRow {
  return {
    ...depositRecord(d),
    currency: 'USD',
    status: 'confirmed',
    ledger_transaction_id: ledgerTransactionId,
    revert_ledger_transaction_id: null,
    revert_reason: null,
    reverted_at: null,
  };
}

export async function findDeposit(q: Q, id: string, lock = false): Promise<DepositRow | undefined> {
  const query = q('deposits').where({ id }).first<DepositRow | undefined>();
  return lock ? query.forUpdate() : query;
}

export async function markDepositReverted(
  q: Trx,
  id: string,
  r: { transactionId: string; reason: string; by: string | null; at: Date },
): Promise<void> {
  await q('deposits').where({ id }).update({
    status: 'reverted',
    revert_ledger_transaction_id: r.transactionId,
    revert_reason: r.reason,
    reverted_by: r.by,
    reverted_at: r.at,
  });
}

// ---- Withdrawals ----

export async function insertWithdrawal(
  q: Trx,
  w: {
    id: string;
    accountId: string;
    amount: bigint;
    method: string;
    reference: string | null;
    effectiveDate: string;
    initiateTransactionId: string;
    initiatedBy: string | null;
    at: Date;
  },
): Promise<void> {
  await q('withdrawals').insert({
    id: w.id,
    account_id: w.accountId,
    amount: w.amount.toString(),
    method: w.method,
    reference: w.reference,
    effective_date: w.effectiveDate,
    initiate_transaction_id: w.initiateTransactionId,
    initiated_by: w.initiatedBy,
    initiated_at: w.at,
  });
}

export async function findWithdrawal(q: Q, id: string, lock = false): Promise<WithdrawalRow | undefined> {
  const query = q('withdrawals').where({ id }).first<WithdrawalRow | undefined>();
  return lock ? query.forUpdate() : query;
}

export async function updateWithdrawal(
  q: Trx,
  id: string,
  fields: Record<string, unknown>,
): Promise<WithdrawalRow> {
  const [row] = await q('withdrawals').where({ id }).update(fields).returning<WithdrawalRow[]>('*');
  return row!;
}

/** The withdrawal's approval process, once started. Not waited for: it answers nothing. */
export async function linkApprovalProcess(q: Trx, id: string, processId: string): Promise<void> {
  await q('withdrawals')
    .where({ id })
    .update({ approval_process_id: processId })
    .options(notAwaited('deposits.linkApprovalProcess'));
}

export async function listWithdrawals(
  q: Q,
  f: { accountId?: string; status?: string; offset: number; limit: number },
): Promise<{ rows: WithdrawalRow[]; total: number }> {
  const where: Record<string, string> = {};
  if (f.accountId) where.account_id = f.accountId;
  if (f.status) where.status = f.status;
  const rows = await q('withdrawals')
    .where(where)
    .orderBy([
      { column: 'initiated_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(f.limit)
    .offset(f.offset);
  const total = await q('withdrawals').where(where).count<{ n: string }[]>({ n: '*' }).first();
  return { rows, total: Number(total?.n ?? 0) };
}

export async function withdrawalsInFlight(q: Trx, accountId: string): Promise<number> {
  const row = await q('withdrawals')
    .where({ account_id: accountId })
    .whereIn('status', ['pending_approval', 'pending_confirmation'])
    .count<{ n: string }[]>({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

// ---- History: deposits, withdrawals and account events, newest first ----

export interface HistoryRow {
  kind: string;
  id: string;
  at: Date;
  amount: string | null;
  direction: 'in' | 'out' | null;
  status: string | null;
  method: string | null;
  reference: string | null;
  reason: string | null;
  balance_after: string | null;
}

// The settled balance of the main account after the line's own ledger entry (its one row, so the
// entry's balance_after is the account's balance at that moment).
const after = (tx: string) =>
  `(select e.balance_after::text from ledger_entries e
     where e.transaction_id = ${tx} and e.account_id = a.ledger_account_id and e.layer = 'settled' limit 1)`;

const HISTORY = `
  select 'deposit' as kind, d.id::text, d.created_at as at, d.amount::text, 'in' as direction, d.status,
         d.method, d.reference, null as reason, ${after('d.ledger_transaction_id')} as balance_after
    from deposits d join deposit_accounts a on a.id = d.account_id where d.account_id = ?
  union all
  select 'deposit_reverted', d.id::text, d.reverted_at, d.amount::text, 'out', d.status, d.method, d.reference,
         d.revert_reason, ${after('d.revert_ledger_transaction_id')}
    from deposits d join deposit_accounts a on a.id = d.account_id
   where d.account_id = ? and d.status = 'reverted'
  union all
  select 'withdrawal', w.id::text, w.initiated_at, w.amount::text, 'out', w.status, w.method, w.reference,
         coalesce(w.cancel_reason, w.revert_reason), ${after('w.initiate_transaction_id')}
    from withdrawals w join deposit_accounts a on a.id = w.account_id where w.account_id = ?
  union all
  select 'withdrawal_reverted', w.id::text, w.reverted_at, w.amount::text, 'in', w.status, w.method,
         w.reference, w.revert_reason, ${after('w.revert_transaction_id')}
    from withdrawals w join deposit_accounts a on a.id = w.account_id
   where w.account_id = ? and w.status = 'reverted'
  union all
  select ev.action, ev.id::text, ev.created_at, ev.amount::text,
         case ev.action when 'freeze' then 'out' when 'unfreeze' then 'in' end, null, null, null, ev.reason,
         case when ev.ledger_transaction_id is null then null else ${after('ev.ledger_transaction_id')} end
    from deposit_account_events ev join deposit_accounts a on a.id = ev.account_id where ev.account_id = ?`;

const HISTORY_IDS = (id: string) => [id, id, id, id, id];

export interface HistoryFilter {
  show?: 'all' | 'movements' | 'events';
  /** Inclusive dates of the line's time, as a day in the bank's time zone. */
  from?: string;
  to?: string;
  timeZone?: string;
}

const MOVEMENTS = `('deposit', 'deposit_reverted', 'withdrawal', 'withdrawal_reverted')`;

function filtered(id: string, f: HistoryFilter): { sql: string; bindings: string[] } {
  const show = f.show ?? 'all';
  const tz = f.timeZone ?? 'UTC';
  const where = [
    show === 'all' ? 'true' : `kind ${show === 'movements' ? 'in' : 'not in'} ${MOVEMENTS}`,
    f.from ? '(at at time zone ?)::date >= ?::date' : 'true',
    f.to ? '(at at time zone ?)::date <= ?::date' : 'true',
  ].join(' and ');
  return {
    sql: `select * from (${HISTORY}) h where ${where}`,
    bindings: [...HISTORY_IDS(id), ...(f.from ? [tz, f.from] : []), ...(f.to ? [tz, f.to] : [])],
  };
}

export async function history(
  q: Q,
  id: string,
  p: { offset: number; limit: number } & HistoryFilter,
): Promise<HistoryRow[]> {
  const { sql, bindings } = filtered(id, p);
  const { rows } = await q.raw(`${sql} order by at desc, kind, id limit ? offset ?`, [
    ...bindings,
    p.limit,
    p.offset,
  ]);
  return rows;
}

export async function historyCount(q: Q, id: string, f: HistoryFilter = {}): Promise<number> {
  const { sql, bindings } = filtered(id, f);
  const { rows } = await q.raw(`select count(*)::int as n from (${sql}) f`, bindings);
  return rows[0].n;
}

// ---- Dormancy ----

export async function getThresholds(
  q: Q,
): Promise<{ inactive_days: number; escheatable_days: number } | undefined> {
  return q('deposit_settings').where({ id: 1 }).first('inactive_days', 'escheatable_days');
}

export async function putThresholds(
  q: Trx,
  t: { inactiveDays: number; escheatableDays: number; by: string | null; at: Date },
): Promise<void> {
  await q('deposit_settings')
    .insert({
      id: 1,
      inactive_days: t.inactiveDays,
      escheatable_days: t.escheatableDays,
      updated_by: t.by,
      updated_at: t.at,
    })
    .onConflict('id')
    .merge();
}

/**
 * Classifies every open account for a business date in one statement, with the same rule as
 * rules.activityStatus ('past' a threshold = strictly more days). Returns how many changed.
 */
export async function classify(
  q: Trx,
  p: { businessDate: string; inactiveDays: number; escheatableDays: number },
): Promise<{ accounts: number; changed: number }> {
  const { rows } = await q.raw(
    `with computed as (
       select id, activity_status as before,
              case when (?::date - last_activity_on) > ? then 'escheatable'
                   when (?::date - last_activity_on) > ? then 'inactive'
                   else 'active' end as after
         from deposit_accounts where status <> 'closed'
     ), updated as (
       update deposit_accounts a set activity_status = c.after, activity_classified_on = ?::date
         from computed c where a.id = c.id
       returning c.before <> c.after as changed
     )
     select count(*)::int as accounts, count(*) filter (where changed)::int as changed from updated`,
    [p.businessDate, p.escheatableDays, p.businessDate, p.inactiveDays, p.businessDate],
  );
  return rows[0];
}

export async function findRun(q: Q, businessDate: string) {
  return q('deposit_activity_runs')
    .where({ business_date: businessDate })
    .first<
      { accounts: number; changed: number; inactive_days: number; escheatable_days: number } | undefined
    >();
}

export async function putRun(
  q: Trx,
  r: {
    businessDate: string;
    inactiveDays: number;
    escheatableDays: number;
    accounts: number;
    changed: number;
    at: Date;
  },
): Promise<void> {
  await q('deposit_activity_runs')
    .insert({
      business_date: r.businessDate,
      inactive_days: r.inactiveDays,
      escheatable_days: r.escheatableDays,
      accounts: r.accounts,
      changed: r.changed,
      ran_at: r.at,
    })
    .onConflict('business_date')
    .merge();
}
