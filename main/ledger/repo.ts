import type { Db, Trx } from '../db';
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

export async function post(
  trx: Trx,
  p: {
    id: string;
    key: string;
    hash: string;
    template: string;
    date: string;
    description: string;
    metadata: Record<string, unknown>;
    recordedAt: Date;
    entries: unknown[];
  },
): Promise<PostRow> {
  const { rows } = await trx.raw(
    `select * from ledger_post(?::uuid, ?, ?, ?, ?::date, ?, ?::jsonb, ?::timestamptz, ?::jsonb)`,
    [
      p.id,
      p.key,
      p.hash,
      p.template,
      p.date,
      p.description,
      JSON.stringify(p.metadata),
      p.recordedAt,
      JSON.stringify(p.entries),
    ],
  );
  return rows[0];
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
