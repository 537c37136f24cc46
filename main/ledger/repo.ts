import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { notAwaited, type Db, type Trx } from '../db';
import type { Currency, Layer, NormalBalance } from './types';

type Q = Db | Trx;

export interface AccountRow {
  id: string;
  code: string;
  name: string;
  normal_balance: NormalBalance;
  currency: Currency;
  locked: boolean;
  prevent_overdraft: boolean;
  shards: number;
}

export async function insertAccount(
  q: Q,
  a: {
    id: string;
    code: string;
    name: string;
    normalBalance: NormalBalance;
    currency: Currency;
    preventOverdraft: boolean;
    shards: number;
    metadata: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  await q('ledger_accounts').insert({
    id: a.id,
    code: a.code,
    name: a.name,
    normal_balance: a.normalBalance,
    currency: a.currency,
    prevent_overdraft: a.preventOverdraft,
    shards: a.shards,
    metadata: JSON.stringify(a.metadata),
    created_at: a.at,
  });
}

export async function findAccount(q: Q, id: string): Promise<AccountRow | undefined> {
  return q<AccountRow>('ledger_accounts').where({ id }).first();
}

export async function findAccountByCode(q: Q, code: string): Promise<AccountRow | undefined> {
  return q<AccountRow>('ledger_accounts').where({ code }).first();
}

export async function setLocked(q: Q, id: string, locked: boolean): Promise<void> {
  await q('ledger_accounts').where({ id }).update({ locked });
}

export async function insertSet(
  q: Q,
  s: { id: string; code: string; name: string; normalBalance: NormalBalance; at: Date },
): Promise<void> {
  await q('ledger_account_sets').insert({
    id: s.id,
    code: s.code,
    name: s.name,
    normal_balance: s.normalBalance,
    created_at: s.at,
  });
}

export async function addMember(q: Q, setId: string, member: { accountId: string } | { setId: string }) {
  await q('ledger_set_members')
    .insert(
      'accountId' in member
        ? { set_id: setId, account_id: member.accountId }
        : { set_id: setId, child_set_id: member.setId },
    )
    .onConflict()
    .ignore();
}

export interface PostRow {
  transaction_id: string;
  replayed: boolean;
}

export interface WirePosting {
  id: string;
  key: string;
  hash: string;
  template: string;
  date: string;
  description: string;
  metadata: Record<string, unknown>;
  entries: unknown[];
}

export async function postBatch(trx: Trx, postings: WirePosting[], recordedAt: Date): Promise<PostRow[]> {
  const { rows } = await trx.raw(`select * from ledger_post_batch(?::jsonb, ?::timestamptz)`, [
    JSON.stringify(postings),
    recordedAt,
  ]);
  return rows;
}

export interface PostCall {
  id: string;
  key: string;
  hash: string;
  template: string;
  date: string;
  description: string;
  metadata: Record<string, unknown>;
  recordedAt: Date;
  entries: unknown[];
}

// The hottest statements of the bank are named (`.options({ name })`): the server then parses and
// plans them once per connection instead of on every call, about a fifth less server CPU per deposit.
// PGlite ignores the name.
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

const POST_CALL = `ledger_post(?::uuid, ?, ?, ?, ?::date, ?, ?::jsonb, ?::timestamptz, ?::jsonb)`;

const postBindings = (p: PostCall) => [
  p.id,
  p.key,
  p.hash,
  p.template,
  p.date,
  p.description,
  JSON.stringify(p.metadata),
  p.recordedAt,
  JSON.stringify(p.entries),
];

export async function post(trx: Trx, p: PostCall): Promise<PostRow> {
  const { rows } = await trx
    .raw(`select * from ${POST_CALL}`, postBindings(p))
    .options({ name: 'ledger.post' });
  return rows[0];
}

/** A posting module's row, inserted with the posting: table, values, the transaction id's column. */
export interface ModuleRow {
  table: string;
  row: Record<string, unknown>;
  transactionColumn: string;
}

/**
 * Posts, and inserts the posting module's own row with the transaction's id in the same statement.
 * VALUES (not SELECT) so each value takes its column's type; ledger_post is volatile, so the CTE
 * runs exactly once. Sent with the COMMIT (main/db/pipelined-pg.ts), so it answers nothing: the
 * transaction id is the caller's (PostCall.id) and must be new — a replay (the key posted before)
 * is refused with IDEMPOTENCY_KEY_REUSED rather than linking the row to another transaction.
 */
export async function postAndInsertAtCommit(trx: Trx, p: PostCall, record: ModuleRow): Promise<void> {
  const columns = Object.keys(record.row);
  await trx
    .raw(
      `with posted as (select * from ${POST_CALL}),
       inserted as (
         insert into ?? (${columns.map(() => '??').join(', ')}, ??)
         values (${columns.map(() => '?').join(', ')}, (select transaction_id from posted))
         returning 1)
     select bank_require(not (select replayed from posted) and (select count(*) from inserted) = 1,
                         'BK005', 'IDEMPOTENCY_KEY_REUSED')`,
      [
        ...postBindings(p),
        record.table,
        ...columns,
        record.transactionColumn,
        ...columns.map((c) => record.row[c] as Knex.RawBinding),
      ],
    )
    .options(notAwaited(`ledger.postAndInsertAtCommit.${record.table}.${digest(columns.join(','))}`));
}

export interface BalanceRow {
  currency: Currency;
  layer: Layer;
  normal_balance: NormalBalance;
  debit: string;
  credit: string;
}

export async function currentBalances(q: Q, accountId: string): Promise<BalanceRow[]> {
  return q('ledger_balances')
    .where({ account_id: accountId })
    .groupBy('currency', 'layer', 'normal_balance')
    .select(
      'currency',
      'layer',
      'normal_balance',
      q.raw('sum(debit)::bigint as debit'),
      q.raw('sum(credit)::bigint as credit'),
    );
}

export async function balancesAsOf(
  q: Q,
  accountId: string,
  date: string,
): Promise<Omit<BalanceRow, 'normal_balance'>[]> {
  return q('ledger_daily')
    .where({ account_id: accountId })
    .where('effective_date', '<=', date)
    .groupBy('currency', 'layer')
    .select(
      'currency',
      'layer',
      q.raw('sum(debit)::bigint as debit'),
      q.raw('sum(credit)::bigint as credit'),
    );
}

/** Balances recomputed from the entries themselves, against the kept balance rows. */
export async function inconsistentBalances(
  q: Q,
): Promise<{ account_id: string; currency: string; layer: string }[]> {
  const { rows } = await q.raw(
    `with kept as (
       select account_id, currency, layer, sum(debit)::bigint as debit, sum(credit)::bigint as credit
         from ledger_balances group by account_id, currency, layer),
     daily as (
       select account_id, currency, layer, sum(debit)::bigint as debit, sum(credit)::bigint as credit
         from ledger_daily group by account_id, currency, layer),
     recomputed as (
       select account_id, currency, layer,
              coalesce(sum(amount) filter (where direction = 'debit'), 0)::bigint as debit,
              coalesce(sum(amount) filter (where direction = 'credit'), 0)::bigint as credit
         from ledger_entries group by account_id, currency, layer)
     select k.account_id, k.currency, k.layer
       from kept k
       left join recomputed r using (account_id, currency, layer)
       left join daily d using (account_id, currency, layer)
      where k.debit <> coalesce(r.debit, 0) or k.credit <> coalesce(r.credit, 0)
         or k.debit <> coalesce(d.debit, 0) or k.credit <> coalesce(d.credit, 0)`,
  );
  return rows;
}

// ---- Read models for the ledger screens ----

export interface AccountSummaryRow extends AccountRow {
  settled: string;
  pending: string;
}

/** Balances summed over shards and signed by the account's normal side. */
const signedSum = (layer: 'settled' | 'pending') =>
  `coalesce((select sum(case when a.normal_balance = 'debit' then b.debit - b.credit else b.credit - b.debit end)
      from ledger_balances b where b.account_id = a.id and b.layer = '${layer}'), 0)::bigint::text`;

/** Escapes LIKE's wildcards so a search term matches literally. */
function likeTerm(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function searchAccounts(
  q: Q,
  p: { search: string; offset: number; limit: number },
): Promise<AccountSummaryRow[]> {
  const query = q('ledger_accounts as a').select(
    'a.*',
    q.raw(`${signedSum('settled')} as settled`),
    q.raw(`${signedSum('pending')} as pending`),
  );
  if (p.search) {
    const term = likeTerm(p.search);
    query.where((w) => w.where('a.code', 'ilike', term).orWhere('a.name', 'ilike', term));
  }
  return query.orderBy('a.code').offset(p.offset).limit(p.limit);
}

export async function accountSummary(q: Q, id: string): Promise<AccountSummaryRow | undefined> {
  return q('ledger_accounts as a')
    .where('a.id', id)
    .first('a.*', q.raw(`${signedSum('settled')} as settled`), q.raw(`${signedSum('pending')} as pending`));
}

export async function setsOfAccount(q: Q, id: string): Promise<{ code: string; name: string }[]> {
  return q('ledger_set_members as m')
    .join('ledger_account_sets as s', 's.id', 'm.set_id')
    .where('m.account_id', id)
    .orderBy('s.code')
    .select('s.code', 's.name');
}

export interface AccountEntryRow {
  id: string;
  recorded_at: Date;
  effective_date: string;
  transaction_id: string;
  template_code: string;
  description: string;
  currency: Currency;
  layer: Layer;
  direction: 'debit' | 'credit';
  amount: string;
  balance_after: string | null;
}

function accountEntries(q: Q, accountId: string, p: { from?: string; to?: string }) {
  const query = q('ledger_entries as e')
    .join('ledger_transactions as t', 't.id', 'e.transaction_id')
    .where('e.account_id', accountId)
    .select(
      'e.id',
      't.recorded_at',
      'e.effective_date',
      'e.transaction_id',
      't.template_code',
      't.description',
      'e.currency',
      'e.layer',
      'e.direction',
      'e.amount',
      'e.balance_after',
    );
  if (p.from) query.where('e.effective_date', '>=', p.from);
  if (p.to) query.where('e.effective_date', '<=', p.to);
  return query;
}

/** One page of an account's entries, newest first, before the cursor (an entry id). */
export async function accountEntriesPage(
  q: Q,
  accountId: string,
  p: { from?: string; to?: string; before?: string; limit: number },
): Promise<AccountEntryRow[]> {
  const query = accountEntries(q, accountId, p);
  if (p.before) query.where('e.id', '<', p.before);
  return query.orderBy('e.id', 'desc').limit(p.limit);
}

export async function countAccountEntries(q: Q, accountId: string): Promise<number> {
  const row = await q('ledger_entries')
    .where({ account_id: accountId })
    .count<{ n: string }>('* as n')
    .first();
  return Number(row?.n ?? 0);
}

/** The whole history of an account, oldest first (bounded by the caller). */
export async function allAccountEntries(q: Q, accountId: string, limit: number): Promise<AccountEntryRow[]> {
  return accountEntries(q, accountId, {}).orderBy('e.id', 'asc').limit(limit);
}

export interface JournalRow {
  id: string;
  recorded_at: Date;
  effective_date: string;
  template_code: string;
  description: string;
}

/** Transactions newest first, keyset-paged on (recorded_at, id). */
export async function journalPage(
  q: Q,
  p: { from?: string; to?: string; template?: string; before?: { at: string; id: string }; limit: number },
): Promise<JournalRow[]> {
  const query = q('ledger_transactions').select(
    'id',
    'recorded_at',
    'effective_date',
    'template_code',
    'description',
  );
  if (p.from) query.where('effective_date', '>=', p.from);
  if (p.to) query.where('effective_date', '<=', p.to);
  if (p.template) query.where('template_code', p.template);
  if (p.before) query.whereRaw('(recorded_at, id) < (?::timestamptz, ?::uuid)', [p.before.at, p.before.id]);
  return query
    .orderBy([
      { column: 'recorded_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(p.limit);
}

export interface JournalEntryRow {
  transaction_id: string;
  account_id: string;
  account_code: string;
  account_name: string;
  currency: Currency;
  layer: Layer;
  direction: 'debit' | 'credit';
  amount: string;
}

export async function entriesOfTransactions(q: Q, ids: string[]): Promise<JournalEntryRow[]> {
  if (ids.length === 0) return [];
  return q('ledger_entries as e')
    .join('ledger_accounts as a', 'a.id', 'e.account_id')
    .whereIn('e.transaction_id', ids)
    .orderBy(['e.transaction_id', 'e.seq'])
    .select(
      'e.transaction_id',
      'e.account_id',
      'a.code as account_code',
      'a.name as account_name',
      'e.currency',
      'e.layer',
      'e.direction',
      'e.amount',
    );
}
