import { z } from 'zod';
import { ROLES } from '../permissions';
import { command, isoDate, query, requiredText, text, uuid } from './procedure';
import { minorAmount } from './manual';

// Cash limits, supervisor overrides and large-cash alerts (issue 6). Amounts are minor units in
// strings. The override itself travels with the deposit or withdrawal (shared/contract/counter.ts);
// these procedures configure the limits, carry remote overrides and list flagged transactions.

export const controlledStep = z.enum(['deposit', 'withdrawal-initiate']);
export const limitKind = z.enum(['role-withdrawal', 'till-maximum']);
export const overrideRequestStatus = z.enum(['pending', 'approved', 'refused', 'used']);
export const cashReportKind = z.enum(['ctr', 'structuring']);

export const cashLimitsDto = z.object({
  roleLimits: z.array(z.object({ role: z.enum(ROLES), limit: z.string().nullable() })),
  tills: z.array(
    z.object({ tillId: z.string(), code: z.string(), name: z.string(), maximum: z.string().nullable() }),
  ),
  ctrThreshold: z.string(),
  structuringBandPercent: z.number().int(),
});
export type CashLimitsDto = z.infer<typeof cashLimitsDto>;

export const overrideRequestDto = z.object({
  id: z.string(),
  accountId: z.string(),
  accountPublicId: z.string(),
  holderName: z.string(),
  kind: controlledStep,
  limit: limitKind,
  limitAmount: z.string(),
  amount: z.string(),
  /** The withdrawal's amount, or the till's holding after the deposit, when it was asked for. */
  checkedAmount: z.string(),
  tillId: z.string().nullable(),
  note: z.string().nullable(),
  requestedBy: z.string(),
  requestedByName: z.string(),
  workstation: z.string(),
  businessDate: z.string(),
  requestedAt: z.string(),
  status: overrideRequestStatus,
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
});
export type OverrideRequestDto = z.infer<typeof overrideRequestDto>;

export const cashReportDto = z.object({
  id: z.string(),
  kind: cashReportKind,
  businessDate: z.string(),
  holderPublicId: z.string(),
  holderName: z.string(),
  accountPublicId: z.string(),
  movementId: z.string(),
  stepKind: controlledStep,
  direction: z.enum(['in', 'out']),
  amount: z.string(),
  dayCashIn: z.string(),
  dayCashOut: z.string(),
  threshold: z.string(),
  nearThresholdCount: z.number().int(),
  conductorName: z.string().nullable(),
  conductorIdDocument: z.string().nullable(),
  conductorRelationship: z.string().nullable(),
  tellerName: z.string().nullable(),
  workstation: z.string(),
  at: z.string(),
});
export type CashReportDto = z.infer<typeof cashReportDto>;

const reportFilter = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  kind: cashReportKind.optional(),
};

export const cashControlProcedures = {
  'cashControls.limits.get': query({
    access: 'cash-controls.manage',
    input: z.strictObject({}),
    output: cashLimitsDto,
  }),
  /** limit null: the role loses its authority (every cash payout by it needs an override). */
  'cashControls.limits.setRole': command({
    access: 'cash-controls.manage',
    input: { role: z.enum(ROLES), limit: minorAmount.nullable() },
    output: cashLimitsDto,
  }),
  /** maximum null: the till has no maximum. */
  'cashControls.limits.setTill': command({
    access: 'cash-controls.manage',
    input: { tillId: uuid, maximum: minorAmount.nullable() },
    output: cashLimitsDto,
  }),
  'cashControls.limits.setLargeCash': command({
    access: 'cash-controls.manage',
    input: { ctrThreshold: minorAmount, structuringBandPercent: z.number().int().min(1).max(50) },
    output: cashLimitsDto,
  }),
  /** The teller asks for an override a supervisor approves from their own workstation. */
  'cashControls.overrides.request': command({
    access: 'deposit.operate',
    input: {
      accountId: uuid,
      kind: controlledStep,
      amount: minorAmount,
      tillId: uuid.optional(),
      note: text(500).optional(),
    },
    output: overrideRequestDto,
  }),
  /** The teller's own request (waiting for the decision), or any for a supervisor. */
  'cashControls.overrides.get': query({
    access: 'deposit.operate',
    input: z.strictObject({ id: uuid }),
    output: overrideRequestDto,
  }),
  /** Today's requests awaiting a decision, oldest first. */
  'cashControls.overrides.pending': query({
    access: 'override.give',
    input: z.strictObject({}),
    output: z.array(overrideRequestDto),
  }),
  'cashControls.overrides.decide': command({
    access: 'override.give',
    input: { id: uuid, decision: z.enum(['approve', 'refuse']), reason: requiredText(500) },
    output: overrideRequestDto,
  }),
  'cashControls.reports.list': query({
    access: 'cash-report.read',
    input: z.strictObject({
      ...reportFilter,
      offset: z.number().int().min(0).max(1_000_000).default(0),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    output: z.object({ items: z.array(cashReportDto), total: z.number().int() }),
  }),
  'cashControls.reports.csv': query({
    access: 'cash-report.read',
    input: z.strictObject(reportFilter),
    output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
} as const;
