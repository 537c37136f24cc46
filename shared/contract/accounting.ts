import { z } from 'zod';
import { command, isoDate, query, requiredText, text, uuid } from './procedure';

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

/** Module integration (DOMAIN 7.1): where each module account set hangs in the chart. */
export const integrationDto = z.object({
  points: z.array(
    z.object({
      setCode: z.string(),
      module: z.enum(['deposits', 'tills', 'credit']),
      category: z.enum(['assets', 'liabilities', 'revenue', 'expenses', 'offBalance']),
      defaultParent: z.string(),
      parentCode: z.string().nullable(),
      parentName: z.string().nullable(),
      /** A module has attached its set: the mapping is fixed for good. */
      attached: z.boolean(),
    }),
  ),
});
export type IntegrationDto = z.infer<typeof integrationDto>;

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
  'accounting.integration.get': query({
    access: 'accounting.read',
    input: z.strictObject({}),
    output: integrationDto,
  }),
  'accounting.integration.set': command({
    access: 'accounting.manage',
    input: {
      mapping: z
        .array(z.strictObject({ setCode: requiredText(120), parentCode: requiredText(60) }))
        .min(1)
        .max(200),
    },
    output: integrationDto,
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

const currency = z.enum(['USD', 'BTC']);
const layer = z.enum(['settled', 'pending']);
const side = z.enum(['debit', 'credit']);
/** A keyset cursor on a ledger entry id (a bigint, as a string). */
const entryCursor = z.string().regex(/^\d{1,19}$/);
/** A keyset cursor on a transaction: its recorded-at instant and id. */
const journalCursor = z
  .string()
  .max(80)
  .regex(/^[0-9T:.Z-]+\|[0-9a-f-]{36}$/);

export const ledgerAccountSummaryDto = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  currency,
  normalBalance: side,
  locked: z.boolean(),
  /** Minor units, signed by the account's normal side. */
  settled: money,
  pending: money,
});
export type LedgerAccountSummaryDto = z.infer<typeof ledgerAccountSummaryDto>;

export const ledgerEntryDto = z.object({
  id: z.string(),
  recordedAt: z.string(),
  effectiveDate: z.string(),
  transactionId: z.string(),
  templateCode: z.string(),
  description: z.string(),
  layer,
  direction: side,
  amount: money,
  /** The balance after this entry (of its shard, for a sharded account), signed by the normal side. */
  balanceAfter: money.nullable(),
});
export type LedgerEntryDto = z.infer<typeof ledgerEntryDto>;

export const ledgerAccountDto = z.object({
  account: ledgerAccountSummaryDto.extend({
    preventOverdraft: z.boolean(),
    /** The account sets it belongs to; chartCode is the chart node's code when the set is one. */
    sets: z.array(z.object({ code: z.string(), name: z.string(), chartCode: z.string().nullable() })),
  }),
  entries: z.array(ledgerEntryDto),
  nextCursor: z.string().nullable(),
});
export type LedgerAccountDto = z.infer<typeof ledgerAccountDto>;

export const journalTransactionDto = z.object({
  id: z.string(),
  recordedAt: z.string(),
  effectiveDate: z.string(),
  templateCode: z.string(),
  description: z.string(),
  entries: z.array(
    z.object({
      accountId: z.string(),
      accountCode: z.string(),
      accountName: z.string(),
      currency,
      layer,
      direction: side,
      amount: money,
    }),
  ),
});
export type JournalTransactionDto = z.infer<typeof journalTransactionDto>;

/** The largest account history the CSV export writes. */
export const LEDGER_CSV_MAX_ENTRIES = 200_000;

export const ledgerProcedures = {
  'ledger.accounts': query({
    access: 'accounting.read',
    input: z.strictObject({
      search: text(120).default(''),
      offset: z.number().int().min(0).max(100_000).default(0),
      limit: z.number().int().min(1).max(100).default(50),
    }),
    output: z.object({ accounts: z.array(ledgerAccountSummaryDto), hasMore: z.boolean() }),
  }),
  'ledger.account': query({
    access: 'accounting.read',
    input: z.strictObject({
      id: uuid,
      from: isoDate.optional(),
      to: isoDate.optional(),
      before: entryCursor.optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    output: ledgerAccountDto,
  }),
  'ledger.accountCsv': query({
    access: 'accounting.read',
    input: z.strictObject({ id: uuid }),
    output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
  'ledger.journal': query({
    access: 'accounting.read',
    input: z.strictObject({
      from: isoDate.optional(),
      to: isoDate.optional(),
      template: text(120).optional(),
      before: journalCursor.optional(),
      limit: z.number().int().min(1).max(100).default(25),
    }),
    output: z.object({ transactions: z.array(journalTransactionDto), nextCursor: z.string().nullable() }),
  }),
} as const;
