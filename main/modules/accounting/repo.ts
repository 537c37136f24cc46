import type { Db, Trx } from '../../db';
import type { BaseConfig, ChartNode } from './rules';

type Q = Db | Trx;

export interface ChartNodeRow {
  code: string;
  name: string;
  parent_code: string | null;
  normal_balance: 'debit' | 'credit';
  set_id: string;
}

export async function chart(q: Q): Promise<ChartNodeRow[]> {
  return q<ChartNodeRow>('chart_nodes')
    .select('code', 'name', 'parent_code', 'normal_balance', 'set_id')
    .orderBy('code');
}

export function asNodes(rows: ChartNodeRow[]): Map<string, ChartNode> {
  return new Map(
    rows.map((r) => [
      r.code,
      { code: r.code, name: r.name, parentCode: r.parent_code, normalBalance: r.normal_balance },
    ]),
  );
}

export async function lockChart(q: Q): Promise<void> {
  await q.raw(`select pg_advisory_xact_lock(hashtext('accounting.chart'))`);
}

export async function insertNode(
  q: Q,
  n: {
    code: string;
    name: string;
    parentCode: string | null;
    normalBalance: string;
    setId: string;
    at: Date;
  },
): Promise<void> {
  await q('chart_nodes').insert({
    code: n.code,
    name: n.name,
    parent_code: n.parentCode,
    normal_balance: n.normalBalance,
    set_id: n.setId,
    created_at: n.at,
  });
}

export async function getBaseConfig(q: Q): Promise<BaseConfig | undefined> {
  const row = await q('accounting_config').where({ id: 1 }).first('base');
  return row?.base;
}

export async function putBaseConfig(q: Q, base: BaseConfig, at: Date): Promise<void> {
  await q('accounting_config')
    .insert({ id: 1, base: JSON.stringify(base), updated_at: at })
    .onConflict('id')
    .merge();
}

export interface SetBalanceRow {
  code: string;
  currency: string;
  layer: string;
  debit: string;
  credit: string;
}

/**
 * Every chart node's aggregate: the sum of the balance rows of all accounts anywhere below it.
 * Read from the leaf balance rows at query time; no ancestor is ever updated by a posting.
 */
export async function chartBalances(q: Q): Promise<SetBalanceRow[]> {
  const { rows } = await q.raw(
    `with recursive reach(node_set, set_id) as (
       select set_id, set_id from chart_nodes
       union
       select r.node_set, m.child_set_id from reach r
         join ledger_set_members m on m.set_id = r.set_id and m.child_set_id is not null),
     accounts as (
       select distinct r.node_set, m.account_id from reach r
         join ledger_set_members m on m.set_id = r.set_id and m.account_id is not null)
     select c.code, b.currency, b.layer, sum(b.debit)::bigint as debit, sum(b.credit)::bigint as credit
       from accounts a
       join chart_nodes c on c.set_id = a.node_set
       join ledger_balances b on b.account_id = a.account_id
      group by c.code, b.currency, b.layer`,
  );
  return rows;
}

export interface TrialBalanceRow {
  code: string;
  name: string;
  normal_balance: 'debit' | 'credit';
  opening_debit: string;
  opening_credit: string;
  period_debit: string;
  period_credit: string;
}

/**
 * The chart's first-level nodes over a date range, from the daily movements of every account
 * below each root. Layers: 'settled' only, or both layers together.
 */
export async function trialBalance(
  q: Q,
  p: { from: string; to: string; currency: string; layers: string[] },
): Promise<TrialBalanceRow[]> {
  const { rows } = await q.raw(
    `with recursive reach(root_set, set_id) as (
       select set_id, set_id from chart_nodes where parent_code is null
       union
       select r.root_set, m.child_set_id from reach r
         join ledger_set_members m on m.set_id = r.set_id and m.child_set_id is not null),
     accounts as (
       select distinct r.root_set, m.account_id from reach r
         join ledger_set_members m on m.set_id = r.set_id and m.account_id is not null),
     moves as (
       select a.root_set,
              coalesce(sum(d.debit) filter (where d.effective_date < ?::date), 0) as opening_debit,
              coalesce(sum(d.credit) filter (where d.effective_date < ?::date), 0) as opening_credit,
              coalesce(sum(d.debit) filter (where d.effective_date >= ?::date), 0) as period_debit,
              coalesce(sum(d.credit) filter (where d.effective_date >= ?::date), 0) as period_credit
         from accounts a
         join ledger_daily d on d.account_id = a.account_id
        where d.currency = ? and d.layer = any(?::text[]) and d.effective_date <= ?::date
        group by a.root_set)
     select c.code, c.name, c.normal_balance,
            coalesce(m.opening_debit, 0)::bigint as opening_debit,
            coalesce(m.opening_credit, 0)::bigint as opening_credit,
            coalesce(m.period_debit, 0)::bigint as period_debit,
            coalesce(m.period_credit, 0)::bigint as period_credit
       from chart_nodes c left join moves m on m.root_set = c.set_id
      where c.parent_code is null
      order by c.code`,
    [p.from, p.from, p.from, p.from, p.currency, p.layers, p.to],
  );
  return rows;
}

export interface ManualRow {
  id: string;
  status: 'pending_approval' | 'posted' | 'rejected';
  effective_date: string;
  description: string;
  lines: { accountId: string; layer: 'settled' | 'pending'; direction: 'debit' | 'credit'; amount: string }[];
  proposed_by: string;
  proposed_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  ledger_transaction_id: string | null;
  proposer: string;
  decider: string | null;
}

const manualQuery = (q: Q) =>
  q('manual_transactions as m')
    .leftJoin('staff_users as p', 'p.id', 'm.proposed_by')
    .leftJoin('staff_users as d', 'd.id', 'm.decided_by')
    .select('m.*', 'p.username as proposer', 'd.username as decider');

export async function listManual(q: Q, status?: string): Promise<ManualRow[]> {
  const query = manualQuery(q).orderBy('m.proposed_at', 'desc').limit(200);
  if (status) query.where('m.status', status);
  return query;
}

export async function findManual(q: Q, id: string, forUpdate = false): Promise<ManualRow | undefined> {
  if (forUpdate) await q('manual_transactions').where({ id }).forUpdate().first('id');
  return manualQuery(q).where('m.id', id).first();
}

export async function insertManual(
  q: Q,
  m: {
    id: string;
    effectiveDate: string;
    description: string;
    lines: unknown[];
    proposedBy: string;
    at: Date;
  },
): Promise<void> {
  await q('manual_transactions').insert({
    id: m.id,
    status: 'pending_approval',
    effective_date: m.effectiveDate,
    description: m.description,
    lines: JSON.stringify(m.lines),
    proposed_by: m.proposedBy,
    proposed_at: m.at,
  });
}

export async function decideManual(
  q: Q,
  id: string,
  d: {
    status: 'posted' | 'rejected';
    by: string;
    at: Date;
    reason: string | null;
    ledgerTransactionId: string | null;
  },
): Promise<void> {
  await q('manual_transactions').where({ id, status: 'pending_approval' }).update({
    status: d.status,
    decided_by: d.by,
    decided_at: d.at,
    decision_reason: d.reason,
    ledger_transaction_id: d.ledgerTransactionId,
  });
}

export async function accountsById(
  q: Q,
  ids: string[],
): Promise<Map<string, { code: string; name: string; currency: 'USD' | 'BTC' }>> {
  const rows = await q('ledger_accounts').whereIn('id', ids).select('id', 'code', 'name', 'currency');
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name, currency: r.currency }]));
}

// ---- Module integration ----

export interface IntegrationRow {
  set_code: string;
  parent_code: string;
  attached_set_id: string | null;
}

export async function integration(q: Q): Promise<IntegrationRow[]> {
  return q<IntegrationRow>('module_integration').select('set_code', 'parent_code', 'attached_set_id');
}

export async function findIntegration(q: Q, setCode: string): Promise<IntegrationRow | undefined> {
  return q<IntegrationRow>('module_integration')
    .where({ set_code: setCode })
    .forUpdate()
    .first('set_code', 'parent_code', 'attached_set_id');
}

export async function putIntegration(
  q: Q,
  mapping: ReadonlyArray<{ setCode: string; parentCode: string }>,
  at: Date,
): Promise<void> {
  if (!mapping.length) return;
  await q('module_integration')
    .insert(mapping.map((m) => ({ set_code: m.setCode, parent_code: m.parentCode, updated_at: at })))
    .onConflict('set_code')
    .merge(['parent_code', 'updated_at']);
}

export async function markAttached(q: Q, setCode: string, setId: string): Promise<void> {
  await q('module_integration').where({ set_code: setCode }).update({ attached_set_id: setId });
}
