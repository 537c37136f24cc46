import { AppError } from '../../../shared/errors';
import type { NormalBalance } from '../../ledger/types';

/** A chart-of-accounts row as imported: one account set of the chart (DOMAIN 7.1). */
export interface ChartRow {
  /** The CSV line the row came from, for error messages. */
  line: number;
  code: string;
  name: string;
  parentCode: string | null;
  normalBalance: NormalBalance;
}

export interface ChartNode {
  code: string;
  name: string;
  parentCode: string | null;
  normalBalance: NormalBalance;
}

export type ChartProblemKind =
  | 'badCode'
  | 'missingName'
  | 'badNormalBalance'
  | 'duplicateCode'
  | 'missingParent'
  | 'cycle'
  | 'conflictsExisting';

export interface ChartProblem {
  line: number;
  code: string;
  problem: ChartProblemKind;
}

export const CHART_CODE = /^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$/;
export const MAX_CHART_ROWS = 10_000;

export interface RawChartRow {
  line: number;
  code?: string;
  name?: string;
  parent_code?: string;
  normal_balance?: string;
}

/**
 * Validates a whole chart import against the chart that already exists. Every problem is reported
 * with its line, so the person fixing the file sees them all at once; the import is all or nothing.
 * Returns the new rows ordered parents first, ready to be created.
 */
export function validateChart(
  raw: RawChartRow[],
  existing: ReadonlyMap<string, ChartNode>,
): { problems: ChartProblem[]; rows: ChartRow[] } {
  const problems: ChartProblem[] = [];
  const rows: ChartRow[] = [];
  const seen = new Map<string, number>();
  for (const r of raw) {
    const code = (r.code ?? '').trim();
    const name = (r.name ?? '').trim();
    const parent = (r.parent_code ?? '').trim() || null;
    const normal = (r.normal_balance ?? '').trim().toLowerCase();
    const problem = (p: ChartProblemKind) => problems.push({ line: r.line, code, problem: p });
    if (!CHART_CODE.test(code) || code.length > 60) {
      problem('badCode');
      continue;
    }
    if (!name || name.length > 200) problem('missingName');
    if (normal !== 'debit' && normal !== 'credit') problem('badNormalBalance');
    if (parent !== null && (!CHART_CODE.test(parent) || parent.length > 60)) problem('missingParent');
    if (seen.has(code)) {
      problem('duplicateCode');
      continue;
    }
    seen.set(code, r.line);
    const row: ChartRow = {
      line: r.line,
      code,
      name,
      parentCode: parent,
      normalBalance: normal as NormalBalance,
    };
    const before = existing.get(code);
    if (before) {
      // Importing a node that already exists is fine when it says the same thing.
      if (before.parentCode !== parent || before.normalBalance !== normal || before.name !== name) {
        problem('conflictsExisting');
      }
      continue;
    }
    rows.push(row);
  }

  const parentOf = new Map<string, string | null>();
  for (const [code, node] of existing) parentOf.set(code, node.parentCode);
  for (const r of rows) parentOf.set(r.code, r.parentCode);
  for (const r of rows) {
    if (r.parentCode !== null && !parentOf.has(r.parentCode)) {
      problems.push({ line: r.line, code: r.code, problem: 'missingParent' });
    }
  }
  // A cycle: walking up from a node comes back to it (or never reaches a root).
  const inCycle = new Set<string>();
  for (const r of rows) {
    const path = new Set<string>();
    let at: string | null | undefined = r.code;
    while (at && !path.has(at)) {
      path.add(at);
      at = parentOf.get(at);
    }
    if (at && path.has(at) && path.has(r.code) && !inCycle.has(r.code)) {
      inCycle.add(r.code);
      problems.push({ line: r.line, code: r.code, problem: 'cycle' });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { problems, rows: problems.length ? [] : parentsFirst(rows, existing) };
}

function parentsFirst(rows: ChartRow[], existing: ReadonlyMap<string, ChartNode>): ChartRow[] {
  const placed = new Set(existing.keys());
  const out: ChartRow[] = [];
  let pending = rows;
  while (pending.length) {
    const next: ChartRow[] = [];
    for (const r of pending) {
      if (r.parentCode === null || placed.has(r.parentCode)) {
        out.push(r);
        placed.add(r.code);
      } else next.push(r);
    }
    if (next.length === pending.length) break; // unreachable after validation
    pending = next;
  }
  return out;
}

export function describeProblem(p: ChartProblem): string {
  return `${p.line}:${p.problem}:${p.code}`;
}

/** The base configuration (DOMAIN 7.3): which chart roots are which category. */
export const BASE_CONFIG_KEYS = [
  'assets_code',
  'liabilities_code',
  'equity_code',
  'equity_retained_earnings_gain_code',
  'equity_retained_earnings_loss_code',
  'revenue_code',
  'cost_of_revenue_code',
  'expenses_code',
] as const;
export type BaseConfig = Record<(typeof BASE_CONFIG_KEYS)[number], string>;

/** Each code must exist; categories must be distinct chart roots; retained earnings sit under equity. */
export function baseConfigProblems(config: BaseConfig, chart: ReadonlyMap<string, ChartNode>): string[] {
  const problems: string[] = [];
  const roots = [
    'assets_code',
    'liabilities_code',
    'equity_code',
    'revenue_code',
    'cost_of_revenue_code',
    'expenses_code',
  ] as const;
  for (const key of BASE_CONFIG_KEYS) if (!chart.has(config[key])) problems.push(`${key}:missing`);
  for (const key of roots) {
    const node = chart.get(config[key]);
    if (node && node.parentCode !== null) problems.push(`${key}:notRoot`);
  }
  if (new Set(roots.map((k) => config[k])).size !== roots.length) problems.push('roots:notDistinct');
  for (const key of ['equity_retained_earnings_gain_code', 'equity_retained_earnings_loss_code'] as const) {
    let at = chart.get(config[key])?.parentCode ?? null;
    let under = false;
    while (at) {
      if (at === config.equity_code) under = true;
      at = chart.get(at)?.parentCode ?? null;
    }
    if (chart.has(config[key]) && !under) problems.push(`${key}:notUnderEquity`);
  }
  return problems;
}

// ---- Manual journal transactions (DOMAIN 7.4) ----

export type ManualStatus = 'pending_approval' | 'posted' | 'rejected';

/** Only a pending proposal is decided, and never by the person who proposed it. */
export function assertDecidable(m: { status: ManualStatus; proposedBy: string }, deciderId: string): void {
  if (m.status !== 'pending_approval') throw new AppError('ALREADY_DECIDED', { status: m.status });
  if (m.proposedBy === deciderId) throw new AppError('SAME_PERSON');
}
