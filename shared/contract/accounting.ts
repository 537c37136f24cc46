import { z } from 'zod';
import { command, isoDate, query } from './procedure';

const money = z.string().regex(/^-?\d+$/);
const pair = z.object({ settled: money, pending: money });

export const chartNodeDto = z.object({
  code: z.string(),
  name: z.string(),
  parentCode: z.string().nullable(),
  normalBalance: z.enum(['debit', 'credit']),
  /** Minor units, signed by the node's normal side. */
  balances: z.object({ USD: pair, BTC: pair }),
});
export type ChartNodeDto = z.infer<typeof chartNodeDto>;

const chartCode = z.string().trim().min(1).max(60);
export const baseConfig = z.strictObject({
  assets_code: chartCode,
  liabilities_code: chartCode,
  equity_code: chartCode,
  equity_retained_earnings_gain_code: chartCode,
  equity_retained_earnings_loss_code: chartCode,
  revenue_code: chartCode,
  cost_of_revenue_code: chartCode,
  expenses_code: chartCode,
});

export const calendarDto = z.object({
  fiscalYears: z.array(z.object({ startsOn: z.string(), endsOn: z.string(), closed: z.boolean() })),
  monthClosedAsOf: z.string().nullable(),
  nextMonthToClose: z.object({ from: z.string(), to: z.string() }).nullable(),
  businessDate: z.string().nullable(),
});
export type CalendarDto = z.infer<typeof calendarDto>;

export const trialBalanceDto = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.enum(['USD', 'BTC']),
  layer: z.enum(['settled', 'all']),
  lines: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      normalBalance: z.enum(['debit', 'credit']),
      opening: money,
      periodDebit: money,
      periodCredit: money,
      closing: money,
    }),
  ),
  totalDebit: money,
  totalCredit: money,
  balanced: z.boolean(),
});
export type TrialBalanceDto = z.infer<typeof trialBalanceDto>;

const CHART_CSV_MAX = 1024 * 1024;

export const accountingProcedures = {
  'accounting.chart': query({
    access: 'accounting.read',
    input: z.strictObject({}),
    output: z.array(chartNodeDto),
  }),
  'accounting.importChart': command({
    access: 'accounting.manage',
    input: { csv: z.string().min(1).max(CHART_CSV_MAX) },
    output: z.object({ created: z.number().int(), total: z.number().int() }),
    maxBytes: CHART_CSV_MAX + 64 * 1024,
  }),
  'accounting.baseConfig.get': query({
    access: 'accounting.read',
    input: z.strictObject({}),
    output: baseConfig.nullable(),
  }),
  'accounting.baseConfig.set': command({
    access: 'accounting.manage',
    input: baseConfig.shape,
    output: baseConfig,
  }),
  'accounting.trialBalance': query({
    access: 'accounting.read',
    input: z.strictObject({
      from: isoDate,
      to: isoDate,
      currency: z.enum(['USD', 'BTC']).default('USD'),
      layer: z.enum(['settled', 'all']).default('settled'),
    }),
    output: trialBalanceDto,
  }),
  'accounting.calendar': query({ access: 'accounting.read', input: z.strictObject({}), output: calendarDto }),
  'accounting.openFirstFiscalYear': command({
    access: 'accounting.manage',
    input: { startsOn: isoDate },
    output: z.object({ startsOn: z.string(), endsOn: z.string() }),
  }),
  'accounting.closeMonth': command({
    access: 'accounting.manage',
    // The month being closed, typed by the person as a confirmation: it must be the oldest open one.
    input: { confirmMonth: z.string().regex(/^\d{4}-\d{2}$/) },
    output: z.object({ closedAsOf: z.string() }),
  }),
} as const;
