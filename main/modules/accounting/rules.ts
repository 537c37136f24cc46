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

// ---- Module integration (DOMAIN 7.1) ----

/** The customer types whose deposits and credit get their own account sets (DOMAIN 2.1). */
export const CUSTOMER_TYPES = [
  'individual',
  'government-entity',
  'private-company',
  'bank',
  'financial-institution',
  'foreign-agency-or-subsidiary',
  'non-domiciled-company',
] as const;

/** Which part of the chart a module set belongs in: a base-configuration root, or off balance sheet. */
export type IntegrationCategory = 'assets' | 'liabilities' | 'revenue' | 'expenses' | 'offBalance';

export interface IntegrationPoint {
  /** The module's account-set code (DOMAIN 4.1, 6.11; tills per decision 5). */
  setCode: string;
  module: 'deposits' | 'tills' | 'credit';
  category: IntegrationCategory;
  /** Where the default chart (resources/default-chart.csv) puts it. */
  defaultParent: string;
}

const DEPOSIT_PARENT: Record<(typeof CUSTOMER_TYPES)[number], string> = {
  individual: '21.01',
  'government-entity': '21.02',
  'private-company': '21.03',
  bank: '21.04',
  'financial-institution': '21.05',
  // DOMAIN 10.12: the deposit sets name six types; the seventh gets its own set and its own node.
  'foreign-agency-or-subsidiary': '21.08',
  'non-domiciled-company': '21.06',
};

/**
 * Every module account set that hangs under a configurable chart node. The list is code, not data:
 * a module that needs a new set adds it here, and the bank maps it before the module first uses it.
 */
export const INTEGRATION_POINTS: readonly IntegrationPoint[] = [
  { setCode: 'deposit-omnibus-account-set', module: 'deposits', category: 'assets', defaultParent: '12.01' },
  ...CUSTOMER_TYPES.map((t): IntegrationPoint => ({
    setCode: `deposit-${t}-account-set`,
    module: 'deposits',
    category: 'liabilities',
    defaultParent: DEPOSIT_PARENT[t],
  })),
  ...CUSTOMER_TYPES.map((t): IntegrationPoint => ({
    setCode: `frozen-deposit-${t}-account-set`,
    module: 'deposits',
    category: 'liabilities',
    defaultParent: '21.07',
  })),
  { setCode: 'till-cash-account-set', module: 'tills', category: 'assets', defaultParent: '12.02' },
  { setCode: 'cash-over-account-set', module: 'tills', category: 'revenue', defaultParent: '43' },
  { setCode: 'cash-short-account-set', module: 'tills', category: 'expenses', defaultParent: '63' },
  ...CUSTOMER_TYPES.map((t): IntegrationPoint => ({
    setCode: `short-term-credit-${t}-disbursed-receivable-account-set`,
    module: 'credit',
    category: 'assets',
    defaultParent: t === 'individual' ? '11.01' : '11.02',
  })),
  ...CUSTOMER_TYPES.map((t): IntegrationPoint => ({
    setCode: `long-term-credit-${t}-disbursed-receivable-account-set`,
    module: 'credit',
    category: 'assets',
    defaultParent: '13',
  })),
  ...CUSTOMER_TYPES.map((t): IntegrationPoint => ({
    setCode: `short-term-credit-${t}-interest-receivable-account-set`,
    module: 'credit',
    category: 'assets',
    defaultParent: '14',
  })),
  {
    setCode: 'credit-interest-income-account-set',
    module: 'credit',
    category: 'revenue',
    defaultParent: '41',
  },
  { setCode: 'credit-fee-income-account-set', module: 'credit', category: 'revenue', defaultParent: '42' },
  {
    setCode: 'credit-facility-omnibus-account-set',
    module: 'credit',
    category: 'offBalance',
    defaultParent: '91',
  },
  {
    setCode: 'credit-collateral-omnibus-account-set',
    module: 'credit',
    category: 'offBalance',
    defaultParent: '92',
  },
];

export const INTEGRATION_SET_CODES = INTEGRATION_POINTS.map((p) => p.setCode);

const CATEGORY_ROOT: Record<Exclude<IntegrationCategory, 'offBalance'>, keyof BaseConfig> = {
  assets: 'assets_code',
  liabilities: 'liabilities_code',
  revenue: 'revenue_code',
  expenses: 'expenses_code',
};

function rootOf(code: string, chart: ReadonlyMap<string, ChartNode>): string {
  let at = code;
  for (let parent = chart.get(at)?.parentCode; parent; parent = chart.get(at)?.parentCode) at = parent;
  return at;
}

/**
 * Why a mapping of module sets to chart codes cannot be saved: one `setCode:problem:parentCode`
 * per fault. A set must sit under the root of its category (assets, liabilities, ...), and an
 * off-balance set under a root the base configuration does not name.
 */
export function integrationProblems(
  mapping: ReadonlyArray<{ setCode: string; parentCode: string }>,
  chart: ReadonlyMap<string, ChartNode>,
  base: BaseConfig,
): string[] {
  const problems: string[] = [];
  const balanceRoots = new Set(Object.values(CATEGORY_ROOT).map((k) => base[k]));
  for (const k of ['equity_code', 'cost_of_revenue_code'] as const) balanceRoots.add(base[k]);
  for (const { setCode, parentCode } of mapping) {
    const point = INTEGRATION_POINTS.find((p) => p.setCode === setCode);
    if (!point) {
      problems.push(`${setCode}:unknownSet:${parentCode}`);
      continue;
    }
    if (!chart.has(parentCode)) {
      problems.push(`${setCode}:unknownCode:${parentCode}`);
      continue;
    }
    const root = rootOf(parentCode, chart);
    const fits =
      point.category === 'offBalance'
        ? !balanceRoots.has(root)
        : root === base[CATEGORY_ROOT[point.category]];
    if (!fits) problems.push(`${setCode}:wrongCategory:${parentCode}`);
  }
  return problems;
}
