import { parse } from 'csv-parse/sync';
import type { Db, Trx } from '../../db';
import { AppError } from '../../../shared/errors';
import { randomUUID } from 'node:crypto';
import type {
  ChartNodeDto,
  IntegrationDto,
  ManualTransactionDto,
  TrialBalanceDto,
} from '../../../shared/contract';
import { describeTarget, type CommandScope } from '../../ipc/context';
import type { Ledger } from '../../ledger';
import { assertBalanced, signedBalance } from '../../ledger';
import { MANUAL_TRANSACTION } from './templates';
import * as repo from './repo';
import {
  baseConfigProblems,
  describeProblem,
  MAX_CHART_ROWS,
  validateChart,
  assertDecidable,
  type ManualStatus,
  type BaseConfig,
  type RawChartRow,
  INTEGRATION_POINTS,
  integrationProblems,
} from './rules';

import defaultChart from '../../../resources/default-chart.csv?raw';

const HEADER = ['code', 'name', 'parent_code', 'normal_balance'];

/** The base configuration that goes with resources/default-chart.csv. */
export const DEFAULT_BASE_CONFIG: BaseConfig = {
  assets_code: '1',
  liabilities_code: '2',
  equity_code: '3',
  equity_retained_earnings_gain_code: '31.01',
  equity_retained_earnings_loss_code: '31.02',
  revenue_code: '4',
  cost_of_revenue_code: '5',
  expenses_code: '6',
};

/** Reads a chart CSV with a real parser; a malformed file is refused with the line that breaks it. */
export function parseChartCsv(text: string): RawChartRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim().toLowerCase());
        const missing = HEADER.filter((h) => !names.includes(h));
        if (missing.length)
          throw new AppError('CHART_INVALID', { problems: missing.map((m) => `1:missingColumn:${m}`) });
        return names;
      },
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      max_record_size: 4096,
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    const line = (err as { lines?: number }).lines ?? 0;
    throw new AppError('CHART_INVALID', { problems: [`${line}:malformedCsv:`] });
  }
  if (records.length > MAX_CHART_ROWS) {
    throw new AppError('CHART_INVALID', { problems: [`${MAX_CHART_ROWS + 1}:tooManyRows:`] });
  }
  return records.map(({ record, info }) => ({ ...record, line: info.lines }));
}

type ManualLine = {
  accountId: string;
  layer: 'settled' | 'pending';
  direction: 'debit' | 'credit';
  amount: string;
};

function toManualDto(
  r: repo.ManualRow,
  accounts: Map<string, { code: string; name: string; currency: 'USD' | 'BTC' }>,
): ManualTransactionDto {
  return {
    id: r.id,
    status: r.status,
    effectiveDate: r.effective_date,
    description: r.description,
    lines: r.lines.map((l) => {
      const a = accounts.get(l.accountId);
      return {
        ...l,
        accountCode: a?.code ?? '?',
        accountName: a?.name ?? '?',
        currency: a?.currency ?? 'USD',
      };
    }),
    proposedBy: r.proposer,
    proposedAt: r.proposed_at.toISOString(),
    decidedBy: r.decider,
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    decisionReason: r.decision_reason,
    ledgerTransactionId: r.ledger_transaction_id,
  };
}

async function mustFindManual(scope: CommandScope, id: string): Promise<repo.ManualRow> {
  const m = await repo.findManual(scope.trx, id, true);
  if (!m) throw new AppError('NOT_FOUND', { entity: 'manual_transaction' });
  return m;
}

export function createAccountingService(db: Db, ledger: Ledger) {
  /**
   * A module attaches its account set under the node the bank mapped it to, in the caller's
   * transaction. From then on the mapping is fixed (the chart's history depends on it). Attaching
   * the same set again does nothing.
   */
  async function attachModuleSet(trx: CommandScope['trx'], setCode: string, setId: string): Promise<void> {
    const row = await repo.findIntegration(trx, setCode);
    if (!row) throw new AppError('INTEGRATION_NOT_CONFIGURED', { set: setCode });
    if (row.attached_set_id === setId) return;
    if (row.attached_set_id) throw new AppError('INTEGRATION_LOCKED', { sets: [setCode] });
    const parent = (await repo.chart(trx)).find((n) => n.code === row.parent_code)!;
    await ledger.addToSet(trx, parent.set_id, { setId });
    await repo.markAttached(trx, setCode, setId);
  }

  async function importRows(scope: CommandScope, csv: string) {
    const raw = parseChartCsv(csv);
    await repo.lockChart(scope.trx);
    const nodes = await repo.chart(scope.trx);
    const existing = repo.asNodes(nodes);
    const { problems, rows } = validateChart(raw, existing);
    if (problems.length)
      throw new AppError('CHART_INVALID', { problems: problems.slice(0, 50).map(describeProblem) });
    const setIds = new Map(nodes.map((n) => [n.code, n.set_id]));
    const now = scope.clock.now();
    for (const r of rows) {
      const parentSet = r.parentCode ? setIds.get(r.parentCode) : undefined;
      const setId = await ledger.createSet(
        scope.trx,
        {
          code: `chart:${r.code}`,
          name: r.name,
          normalBalance: r.normalBalance,
          parentIds: parentSet ? [parentSet] : [],
        },
        now,
      );
      setIds.set(r.code, setId);
      await repo.insertNode(scope.trx, { ...r, setId, at: now });
    }
    return { created: rows.map((r) => r.code), total: existing.size + rows.length };
  }

  async function putBaseConfig(scope: CommandScope, config: BaseConfig) {
    const chart = repo.asNodes(await repo.chart(scope.trx));
    const problems = baseConfigProblems(config, chart);
    if (problems.length) throw new AppError('BASE_CONFIG_INVALID', { problems });
    await repo.putBaseConfig(scope.trx, config, scope.clock.now());
  }

  async function putIntegration(
    scope: CommandScope,
    mapping: ReadonlyArray<{ setCode: string; parentCode: string }>,
  ): Promise<string[]> {
    await repo.lockChart(scope.trx);
    const base = await repo.getBaseConfig(scope.trx);
    if (!base) throw new AppError('BASE_CONFIG_INVALID', { problems: ['baseConfig:missing'] });
    const chart = repo.asNodes(await repo.chart(scope.trx));
    const problems = integrationProblems(mapping, chart, base);
    if (problems.length) throw new AppError('INTEGRATION_INVALID', { problems: problems.slice(0, 50) });
    const current = new Map((await repo.integration(scope.trx)).map((r) => [r.set_code, r]));
    const changed = mapping.filter((m) => current.get(m.setCode)?.parent_code !== m.parentCode);
    const attached = changed.filter((m) => current.get(m.setCode)?.attached_set_id);
    if (attached.length) throw new AppError('INTEGRATION_LOCKED', { sets: attached.map((m) => m.setCode) });
    await repo.putIntegration(scope.trx, changed, scope.clock.now());
    return changed.map((m) => m.setCode);
  }

  async function integration(q: Db | CommandScope['trx'] = db): Promise<IntegrationDto> {
    const [rows, nodes] = await Promise.all([repo.integration(q), repo.chart(q)]);
    const byCode = new Map(rows.map((r) => [r.set_code, r]));
    const names = new Map(nodes.map((n) => [n.code, n.name]));
    return {
      points: INTEGRATION_POINTS.map((p) => {
        const row = byCode.get(p.setCode);
        return {
          setCode: p.setCode,
          module: p.module,
          category: p.category,
          defaultParent: p.defaultParent,
          parentCode: row?.parent_code ?? null,
          parentName: row ? (names.get(row.parent_code) ?? null) : null,
          attached: Boolean(row?.attached_set_id),
        };
      }),
    };
  }

  // Modules that must be done with a month before it closes (tills: no session of it still open).
  const monthCloseChecks: ((trx: Trx, monthEnd: string) => Promise<void>)[] = [];

  return {
    /** A check the month close runs first; it refuses by throwing a typed error. */
    registerMonthCloseCheck(check: (trx: Trx, monthEnd: string) => Promise<void>): void {
      monthCloseChecks.push(check);
    },

    async assertMonthClosable(trx: Trx, monthEnd: string): Promise<void> {
      for (const check of monthCloseChecks) await check(trx, monthEnd);
    },

    /** Imports a chart (all rows or none). Existing nodes may be repeated unchanged. */
    async importChart(scope: CommandScope, csv: string): Promise<{ created: number; total: number }> {
      const { created, total } = await importRows(scope, csv);
      describeTarget(scope, 'chart', created.slice(0, 50), { created: created.length });
      return { created: created.length, total };
    },

    /** A new bank starts from the default chart in resources/ and its base configuration. */
    async installDefaultChart(scope: CommandScope): Promise<void> {
      await importRows(scope, defaultChart);
      await putBaseConfig(scope, DEFAULT_BASE_CONFIG);
      await putIntegration(
        scope,
        INTEGRATION_POINTS.map((p) => ({ setCode: p.setCode, parentCode: p.defaultParent })),
      );
    },

    /** Where each module account set hangs in the chart (DOMAIN 7.1), and which are attached for good. */
    integration: () => integration(),

    /** Maps module sets to chart nodes; only sets no module has attached yet may move. */
    async setIntegration(
      scope: CommandScope,
      mapping: ReadonlyArray<{ setCode: string; parentCode: string }>,
    ): Promise<IntegrationDto> {
      const changed = await putIntegration(scope, mapping);
      describeTarget(scope, 'module_integration', changed.slice(0, 50), {
        changed: Object.fromEntries(
          mapping.filter((m) => changed.includes(m.setCode)).map((m) => [m.setCode, m.parentCode]),
        ),
      });
      return integration(scope.trx);
    },

    attachModuleSet,

    /** A module's account set, made on first need and attached under its mapped node at once. */
    async createModuleSet(
      trx: CommandScope['trx'],
      set: { code: string; name: string; normalBalance: 'debit' | 'credit' },
      at: Date,
    ): Promise<string> {
      const id = await ledger.createSet(trx, set, at);
      await attachModuleSet(trx, set.code, id);
      return id;
    },

    async setBaseConfig(scope: CommandScope, config: BaseConfig): Promise<BaseConfig> {
      await putBaseConfig(scope, config);
      describeTarget(scope, 'accounting_config', '1', { ...config });
      return config;
    },

    async baseConfig(): Promise<BaseConfig | null> {
      return (await repo.getBaseConfig(db)) ?? null;
    },

    /** The ledger account set behind a chart code: modules attach their account sets under it. */
    async setIdOf(q: Db | CommandScope['trx'], code: string): Promise<string> {
      const node = (await repo.chart(q)).find((n) => n.code === code);
      if (!node) throw new AppError('NOT_FOUND', { entity: 'chart_node', code });
      return node.set_id;
    },

    /**
     * The trial balance over a date range: per first-level node, the opening balance, the period's
     * debits and credits, and the closing balance (each balance signed by the node's normal side).
     * Debits equal credits in a healthy ledger; the totals say whether they do.
     */
    async trialBalance(p: {
      from: string;
      to: string;
      currency: 'USD' | 'BTC';
      layer: 'settled' | 'all';
    }): Promise<TrialBalanceDto> {
      if (p.from > p.to) throw new AppError('VALIDATION_FAILED', { fields: ['from', 'to'], issue: 'range' });
      const rows = await repo.trialBalance(db, {
        from: p.from,
        to: p.to,
        currency: p.currency,
        layers: p.layer === 'settled' ? ['settled'] : ['settled', 'pending'],
      });
      let debits = 0n;
      let credits = 0n;
      const lines = rows.map((r) => {
        const opening = signedBalance(r.normal_balance, BigInt(r.opening_debit), BigInt(r.opening_credit));
        const dr = BigInt(r.period_debit);
        const cr = BigInt(r.period_credit);
        debits += dr;
        credits += cr;
        const closing = opening + signedBalance(r.normal_balance, dr, cr);
        return {
          code: r.code,
          name: r.name,
          normalBalance: r.normal_balance,
          opening: opening.toString(),
          periodDebit: dr.toString(),
          periodCredit: cr.toString(),
          closing: closing.toString(),
        };
      });
      return {
        ...p,
        lines,
        totalDebit: debits.toString(),
        totalCredit: credits.toString(),
        balanced: debits === credits,
      };
    },

    async listManual(status?: ManualStatus): Promise<ManualTransactionDto[]> {
      const rows = await repo.listManual(db, status);
      const accounts = await repo.accountsById(db, [
        ...new Set(rows.flatMap((r) => r.lines.map((l) => l.accountId))),
      ]);
      return rows.map((r) => toManualDto(r, accounts));
    },

    /** An accountant proposes a balanced manual transaction; nothing reaches the ledger yet. */
    async proposeManual(
      scope: CommandScope,
      input: { effectiveDate: string; description: string; lines: ManualLine[] },
    ): Promise<ManualTransactionDto> {
      const accounts = await repo.accountsById(scope.trx, [...new Set(input.lines.map((l) => l.accountId))]);
      const missing = input.lines.find((l) => !accounts.has(l.accountId));
      if (missing) throw new AppError('NOT_FOUND', { entity: 'ledger_account', id: missing.accountId });
      // Balanced per currency and layer before anyone is asked to approve it.
      assertBalanced(
        input.lines.map((l) => ({
          ...l,
          currency: accounts.get(l.accountId)!.currency,
          amount: BigInt(l.amount),
        })),
      );
      const id = randomUUID();
      await repo.insertManual(scope.trx, {
        id,
        ...input,
        proposedBy: scope.actor.userId!,
        at: scope.clock.now(),
      });
      describeTarget(scope, 'manual_transaction', id, {
        effectiveDate: input.effectiveDate,
        lines: input.lines.length,
      });
      return toManualDto((await repo.findManual(scope.trx, id))!, accounts);
    },

    /** A second person approves: the lines post to the ledger in the same transaction. */
    async approveManual(scope: CommandScope, id: string): Promise<ManualTransactionDto> {
      const m = await mustFindManual(scope, id);
      assertDecidable({ status: m.status, proposedBy: m.proposed_by }, scope.actor.userId!);
      const accounts = await repo.accountsById(scope.trx, [...new Set(m.lines.map((l) => l.accountId))]);
      const posted = await ledger.post(
        scope.trx,
        MANUAL_TRANSACTION,
        {
          lines: m.lines.map((l) => ({
            ...l,
            currency: accounts.get(l.accountId)!.currency,
            amount: BigInt(l.amount),
          })),
        },
        {
          idempotencyKey: `manual:${id}`,
          effectiveDate: m.effective_date,
          description: m.description,
          metadata: { manualTransactionId: id },
        },
        scope.clock.now(),
      );
      await repo.decideManual(scope.trx, id, {
        status: 'posted',
        by: scope.actor.userId!,
        at: scope.clock.now(),
        reason: null,
        ledgerTransactionId: posted.transactionId,
      });
      describeTarget(scope, 'manual_transaction', id, { ledgerTransactionId: posted.transactionId });
      return toManualDto((await repo.findManual(scope.trx, id))!, accounts);
    },

    async rejectManual(scope: CommandScope, id: string, reason: string): Promise<ManualTransactionDto> {
      const m = await mustFindManual(scope, id);
      assertDecidable({ status: m.status, proposedBy: m.proposed_by }, scope.actor.userId!);
      await repo.decideManual(scope.trx, id, {
        status: 'rejected',
        by: scope.actor.userId!,
        at: scope.clock.now(),
        reason,
        ledgerTransactionId: null,
      });
      describeTarget(scope, 'manual_transaction', id, { reason });
      const accounts = await repo.accountsById(scope.trx, [...new Set(m.lines.map((l) => l.accountId))]);
      return toManualDto((await repo.findManual(scope.trx, id))!, accounts);
    },

    /** The chart as a flat list in code order, each node with its aggregate balances. */
    async chart(): Promise<ChartNodeDto[]> {
      const [nodes, balances] = await Promise.all([repo.chart(db), repo.chartBalances(db)]);
      return nodes.map((n) => {
        const mine = balances.filter((b) => b.code === n.code);
        const of = (currency: string, layer: string) => {
          const b = mine.find((x) => x.currency === currency && x.layer === layer);
          return b ? signedBalance(n.normal_balance, BigInt(b.debit), BigInt(b.credit)).toString() : '0';
        };
        return {
          code: n.code,
          name: n.name,
          parentCode: n.parent_code,
          normalBalance: n.normal_balance,
          balances: {
            USD: { settled: of('USD', 'settled'), pending: of('USD', 'pending') },
            BTC: { settled: of('BTC', 'settled'), pending: of('BTC', 'pending') },
          },
        };
      });
    },
  };
}

export type AccountingService = ReturnType<typeof createAccountingService>;
