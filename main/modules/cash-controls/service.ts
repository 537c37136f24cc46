import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { Db, Trx } from '../../db';
import { AppError } from '../../../shared/errors';
import { minorToDecimal } from '../../../shared/money';
import { isAllowed, ROLES, type Role } from '../../../shared/permissions';
import type {
  CashLimitsDto,
  CashReportDto,
  OverrideRequestDto,
  SupervisorOverride,
} from '../../../shared/contract';
import { describeTarget, type CommandScope, type RequestContext } from '../../ipc/context';
import { neutralizeCell } from '../../ledger/service';
import type { Ledger } from '../../ledger';
import type { AccessService, StaffIdentity } from '../access';
import type { BankService } from '../bank';
import type { CounterHooks, CounterStep } from '../deposits/counter';
import type { TellerJournalService } from '../teller-journal';
import { BANK_EVENTS_CHANNEL } from '../governance';
import * as repo from './repo';
import {
  addToDay,
  assertMayGive,
  cashDirection,
  isNearThreshold,
  nearFloor,
  overrideForm,
  overrideRequired,
  reportable,
  requestRefusal,
  roleLimit,
  structuring,
  tillBreach,
  withdrawalBreach,
  type CashDay,
  type ControlledStep,
  type LimitBreach,
  type NearBand,
} from './rules';

// Cash limits, supervisor overrides and large-cash alerts (issue 6).

/** Flagged-transaction exports stop here (a bigger one is refused, as other exports do). */
export const CASH_REPORT_CSV_MAX = 100_000;

export interface CashControlDeps {
  access: AccessService;
  bank: BankService;
  ledger: Ledger;
  tellerJournal: TellerJournalService;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function requestDto(r: repo.RequestRow): OverrideRequestDto {
  return {
    id: r.id,
    accountId: r.account_id,
    accountPublicId: r.account_public_id,
    holderName: r.holder_name,
    kind: r.step_kind,
    limit: r.limit_kind,
    limitAmount: String(r.limit_amount),
    amount: String(r.amount),
    checkedAmount: String(r.checked_amount),
    tillId: r.till_id,
    note: r.note,
    requestedBy: r.requested_by,
    requestedByName: r.requested_by_name,
    workstation: r.workstation,
    businessDate: r.business_date,
    requestedAt: new Date(r.requested_at).toISOString(),
    status: r.status,
    decidedByName: r.decided_by_name,
    decidedAt: iso(r.decided_at),
    decisionReason: r.decision_reason,
  };
}

function reportDto(r: repo.ReportRow): CashReportDto {
  return {
    id: r.id,
    kind: r.kind,
    businessDate: r.business_date,
    holderPublicId: r.holder_public_id,
    holderName: r.holder_name,
    accountPublicId: r.account_public_id,
    movementId: r.movement_id,
    stepKind: r.step_kind,
    direction: r.direction,
    amount: String(r.amount),
    dayCashIn: String(r.day_cash_in),
    dayCashOut: String(r.day_cash_out),
    threshold: String(r.threshold),
    nearThresholdCount: Number(r.near_threshold_count),
    conductorName: r.conductor_name,
    conductorIdDocument: r.conductor_id_document,
    conductorRelationship: r.conductor_relationship,
    tellerName: r.teller_name,
    workstation: r.workstation,
    at: new Date(r.at).toISOString(),
  };
}

/** The steps these controls watch: cash deposits and cash withdrawals as they are initiated. */
function controlledKind(step: CounterStep): ControlledStep | null {
  if (step.method !== 'cash') return null;
  return step.kind === 'deposit' || step.kind === 'withdrawal-initiate' ? step.kind : null;
}

/** Delivered to every workstation at commit: a supervisor's queue and the flagged list refresh. */
async function notify(trx: Trx, type: 'cash-override' | 'cash-report', id: string, status: string) {
  // Carried as an approvals change so the existing live channel reaches the renderers unchanged.
  await trx.raw('select pg_notify(?, ?)', [
    BANK_EVENTS_CHANNEL,
    JSON.stringify({ event: 'approvals.changed', processId: id, type, status }),
  ]);
}

export type CashControlService = ReturnType<typeof createCashControlService>;

export function createCashControlService(db: Db, deps: CashControlDeps) {
  const { access, bank, ledger, tellerJournal } = deps;
  /** Steps that went through on an override, per command: only those have journal lines to write. */
  const overridden = new WeakMap<CommandScope, Set<string>>();

  async function businessDate(q: Trx | Db): Promise<string> {
    const profile = await bank.profile(q);
    if (!profile) throw new AppError('SETUP_REQUIRED');
    return profile.business_date;
  }

  async function nearBand(q: Trx | Db): Promise<NearBand> {
    const s = await repo.settings(q);
    return { threshold: s.ctrThreshold, bandPercent: s.structuringBandPercent };
  }

  /** The limit a step would cross, if any: the teller's withdrawal limit, or the till's maximum. */
  async function limitBreach(
    trx: Trx,
    roles: readonly string[],
    kind: ControlledStep,
    amount: bigint,
    tillId: string | null,
  ): Promise<LimitBreach | null> {
    if (kind === 'withdrawal-initiate') {
      return withdrawalBreach(amount, roleLimit(roles, await repo.roleLimits(trx)));
    }
    if (!tillId) return null;
    const maximum = await repo.tillMaximum(trx, tillId);
    const ledgerAccount = maximum === null ? undefined : await repo.tillLedgerAccount(trx, tillId);
    if (!ledgerAccount) return null;
    const { settled } = await ledger.balance(trx, ledgerAccount);
    return tillBreach(settled, amount, maximum);
  }

  /** The supervisor's credentials, checked and throttled as a sign-in is. */
  async function supervisorAt(
    scope: CommandScope,
    username: string,
    password: string,
  ): Promise<StaffIdentity> {
    // Typing one's own name is refused before any password is tried (and counted against them).
    if (username.trim().toLowerCase() === (scope.actor.username ?? '').toLowerCase())
      throw new AppError('OVERRIDE_SELF');
    try {
      return await access.checkCredentialsInCommand(scope, username, password);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'INVALID_CREDENTIALS') throw new AppError('OVERRIDE_CREDENTIALS_INVALID');
      if (err.code === 'LOGIN_THROTTLED') throw new AppError('OVERRIDE_THROTTLED', err.params);
      if (err.code === 'USER_DISABLED') throw new AppError('OVERRIDE_NOT_PERMITTED');
      throw err;
    }
  }

  /** The override the teller sent for a step above a limit: verified, used up and recorded. */
  async function applyOverride(
    scope: CommandScope,
    step: CounterStep,
    kind: ControlledStep,
    breach: LimitBreach,
    given: SupervisorOverride,
  ): Promise<void> {
    const trx = scope.trx;
    const requesterId = scope.actor.userId!;
    const form = overrideForm(given);
    let giver: { userId: string; reason: string; requestId: string | null };
    if (form.how === 'at-workstation') {
      const supervisor = await supervisorAt(scope, form.username, form.password);
      assertMayGive(supervisor, requesterId);
      giver = { userId: supervisor.userId, reason: form.reason, requestId: null };
    } else {
      const r = await repo.findRequest(trx, form.requestId, true);
      if (!r) throw new AppError('OVERRIDE_REQUEST_INVALID', { why: 'not-found' });
      const why = requestRefusal(
        {
          status: r.status,
          requestedBy: r.requested_by,
          accountId: r.account_id,
          stepKind: r.step_kind,
          amount: BigInt(r.amount),
          businessDate: r.business_date,
        },
        {
          userId: requesterId,
          accountId: step.accountId,
          kind,
          amount: step.amount,
          businessDate: step.businessDate,
        },
      );
      if (why) throw new AppError('OVERRIDE_REQUEST_INVALID', { why });
      await repo.markRequestUsed(trx, r.id, step.movementId, scope.clock.now());
      giver = { userId: r.decided_by!, reason: r.decision_reason!, requestId: r.id };
    }
    const id = randomUUID();
    await repo.insertOverride(trx, {
      id,
      movementId: step.movementId,
      kind,
      limit: breach.limit,
      limitAmount: breach.limitAmount,
      checkedAmount: breach.checkedAmount,
      accountId: step.accountId,
      tillId: step.counter?.tillId ?? null,
      requestedBy: requesterId,
      givenBy: giver.userId,
      reason: giver.reason,
      how: form.how,
      requestId: giver.requestId,
      workstation: scope.workstation,
      businessDate: step.businessDate,
      at: scope.clock.now(),
    });
    const marks = overridden.get(scope) ?? new Set<string>();
    overridden.set(scope, marks.add(`${step.movementId}:${kind}`));
    // The step's own audit record says it went through on an override, and whose.
    Object.assign(scope.target.metadata, {
      override: { id, limit: breach.limit, givenBy: giver.userId, how: form.how },
    });
  }

  /**
   * The customer's day with this step in it. Read once, in the before hook, under the customer's
   * lock (held to commit), so the after hook reuses it instead of reading it again.
   */
  const stepDays = new WeakMap<CommandScope, Map<string, { band: NearBand; day: CashDay }>>();
  async function dayWithStep(scope: CommandScope, step: CounterStep, direction: 'in' | 'out') {
    const key = `${step.movementId}:${step.kind}`;
    const known = stepDays.get(scope)?.get(key);
    if (known) return known;
    const band = await nearBand(scope.trx);
    const before = await repo.cashDay(scope.trx, step.holderId, step.businessDate, {
      floor: nearFloor(band),
      threshold: band.threshold,
    });
    const found = { band, day: addToDay(before, direction, step.amount, band) };
    stepDays.set(scope, (stepDays.get(scope) ?? new Map()).set(key, found));
    return found;
  }

  /** At or above the threshold the conductor's details must be captured before the cash moves. */
  async function assertConductor(scope: CommandScope, step: CounterStep, direction: 'in' | 'out') {
    const { band, day } = await dayWithStep(scope, step, direction);
    if (reportable(day, band.threshold) && !step.counter?.conductor) {
      const total = day.cashIn + day.cashOut;
      throw new AppError('CONDUCTOR_REQUIRED', {
        threshold: minorToDecimal(band.threshold, 'USD'),
        thresholdMinor: band.threshold.toString(),
        dayTotal: minorToDecimal(total, 'USD'),
        dayTotalMinor: total.toString(),
      });
    }
  }

  /** After the posting: the cash joins the customer's day; a report or a warning when due. */
  async function flagLargeCash(
    scope: CommandScope,
    step: CounterStep,
    kind: ControlledStep,
    direction: 'in' | 'out',
  ): Promise<void> {
    const trx = scope.trx;
    const at = scope.clock.now();
    const { band, day } = await dayWithStep(scope, step, direction);
    await repo.insertMovement(trx, {
      movementId: step.movementId,
      kind,
      holderId: step.holderId,
      accountId: step.accountId,
      direction,
      amount: step.amount,
      businessDate: step.businessDate,
      at,
    });
    const base = {
      businessDate: step.businessDate,
      holderId: step.holderId,
      accountId: step.accountId,
      movementId: step.movementId,
      stepKind: kind,
      direction,
      amount: step.amount,
      day,
      threshold: band.threshold,
      conductor: step.counter?.conductor ?? null,
      tellerId: scope.actor.userId,
      workstation: scope.workstation,
      at,
    };
    if (reportable(day, band.threshold) && base.conductor) {
      const id = randomUUID();
      await repo.insertCtr(trx, { ...base, id, kind: 'ctr' });
      await notify(trx, 'cash-report', id, 'ctr');
    }
    if (isNearThreshold(step.amount, band) && structuring(day)) {
      const id = randomUUID();
      await repo.upsertStructuring(trx, { ...base, id, kind: 'structuring' });
      await notify(trx, 'cash-report', id, 'structuring');
    }
  }

  /** Every override of the step goes into the teller's electronic journal. */
  async function journalOverrides(
    scope: CommandScope,
    step: CounterStep & { ledgerTransactionId: string | null },
  ): Promise<void> {
    for (const o of await repo.overridesOf(scope.trx, step.movementId, step.kind)) {
      await tellerJournal.appendInCommand(scope, {
        kind: 'override',
        tellerId: scope.actor.userId!,
        tillId: o.till_id,
        businessDate: step.businessDate,
        amount: step.amount,
        currency: 'USD',
        subjectId: o.id,
        ledgerTransactionId: step.ledgerTransactionId,
        workstation: scope.workstation,
        details: {
          movementId: step.movementId,
          step: o.step_kind,
          limit: o.limit_kind,
          limitAmount: String(o.limit_amount),
          checkedAmount: String(o.checked_amount),
          givenBy: o.given_by_username,
          how: o.how,
          reason: o.reason,
          requestId: o.request_id,
        },
        at: scope.clock.now(),
      });
    }
  }

  const counterHooks: CounterHooks = {
    async before(scope, step) {
      const kind = controlledKind(step);
      if (!kind) return;
      // One customer's cash steps queue, so two counters cannot both stay under the threshold.
      await repo.lockHolderDay(scope.trx, step.holderId);
      await assertConductor(scope, step, cashDirection(kind)!);
      const tillId = step.counter?.tillId ?? null;
      const breach = await limitBreach(scope.trx, scope.actor.roles, kind, step.amount, tillId);
      if (!breach) return;
      const given = step.counter?.override;
      if (!given)
        throw overrideRequired(breach, { kind, accountId: step.accountId, amount: step.amount, tillId });
      await applyOverride(scope, step, kind, breach, given);
    },
    async after(scope, step) {
      const kind = controlledKind(step);
      if (!kind) return;
      await flagLargeCash(scope, step, kind, cashDirection(kind)!);
      if (overridden.get(scope)?.has(`${step.movementId}:${kind}`)) await journalOverrides(scope, step);
    },
  };

  async function limitsDto(q: Trx | Db): Promise<CashLimitsDto> {
    const [limits, tills, s] = [
      await repo.roleLimits(q),
      await repo.tillsWithMaximums(q),
      await repo.settings(q),
    ];
    return {
      roleLimits: ROLES.map((role) => ({ role, limit: limits.get(role)?.toString() ?? null })),
      tills: tills.map((t) => ({
        tillId: t.id,
        code: t.code,
        name: t.name,
        maximum: t.maximum === null ? null : String(t.maximum),
      })),
      ctrThreshold: s.ctrThreshold.toString(),
      structuringBandPercent: s.structuringBandPercent,
    };
  }

  async function mustFindRequest(q: Trx | Db, id: string, lock = false): Promise<repo.RequestRow> {
    const r = await repo.findRequest(q, id, lock);
    if (!r) throw new AppError('NOT_FOUND', { entity: 'override_request' });
    return r;
  }

  return {
    counterHooks,

    // ---- Limits and settings ----

    limits: () => limitsDto(db),

    async setRoleLimit(scope: CommandScope, role: Role, limit: string | null): Promise<CashLimitsDto> {
      await repo.setRoleLimit(
        scope.trx,
        role,
        limit === null ? null : BigInt(limit),
        scope.actor.userId,
        scope.clock.now(),
      );
      describeTarget(scope, 'cash_role_limit', [], { role, limit });
      return limitsDto(scope.trx);
    },

    async setTillMaximum(
      scope: CommandScope,
      tillId: string,
      maximum: string | null,
    ): Promise<CashLimitsDto> {
      if (!(await repo.tillLedgerAccount(scope.trx, tillId)))
        throw new AppError('NOT_FOUND', { entity: 'till' });
      await repo.setTillMaximum(
        scope.trx,
        tillId,
        maximum === null ? null : BigInt(maximum),
        scope.actor.userId!,
        scope.clock.now(),
      );
      describeTarget(scope, 'till', tillId, { maximum });
      return limitsDto(scope.trx);
    },

    async setLargeCash(
      scope: CommandScope,
      input: { ctrThreshold: string; structuringBandPercent: number },
    ): Promise<CashLimitsDto> {
      await repo.setSettings(
        scope.trx,
        { ctrThreshold: BigInt(input.ctrThreshold), structuringBandPercent: input.structuringBandPercent },
        scope.actor.userId,
        scope.clock.now(),
      );
      describeTarget(scope, 'cash_control_settings', [], input);
      return limitsDto(scope.trx);
    },

    // ---- Remote overrides ----

    /** The teller asks from their workstation; refused when no limit is actually crossed. */
    async requestOverride(
      scope: CommandScope,
      input: { accountId: string; kind: ControlledStep; amount: string; tillId?: string; note?: string },
    ): Promise<OverrideRequestDto> {
      const trx = scope.trx;
      if (!(await repo.accountExists(trx, input.accountId)))
        throw new AppError('NOT_FOUND', { entity: 'deposit_account' });
      const amount = BigInt(input.amount);
      const tillId = input.kind === 'deposit' ? (input.tillId ?? null) : null;
      const breach = await limitBreach(trx, scope.actor.roles, input.kind, amount, tillId);
      if (!breach) throw new AppError('OVERRIDE_NOT_NEEDED');
      const id = randomUUID();
      await repo.insertRequest(trx, {
        id,
        accountId: input.accountId,
        kind: input.kind,
        limit: breach.limit,
        limitAmount: breach.limitAmount,
        amount,
        checkedAmount: breach.checkedAmount,
        tillId,
        note: input.note || null,
        requestedBy: scope.actor.userId!,
        workstation: scope.workstation,
        businessDate: await businessDate(trx),
        at: scope.clock.now(),
      });
      await notify(trx, 'cash-override', id, 'pending');
      describeTarget(scope, 'override_request', [id, input.accountId], {
        kind: input.kind,
        amount: input.amount,
      });
      return requestDto(await mustFindRequest(trx, id));
    },

    /** A teller sees their own requests; whoever may give overrides sees any. */
    async request(ctx: RequestContext, id: string): Promise<OverrideRequestDto> {
      const r = await mustFindRequest(db, id);
      if (r.requested_by !== ctx.actor.userId && !isAllowed(ctx.actor.roles, 'override.give'))
        throw new AppError('NOT_FOUND', { entity: 'override_request' });
      return requestDto(r);
    },

    async pending(): Promise<OverrideRequestDto[]> {
      return (await repo.pendingRequests(db, await businessDate(db))).map(requestDto);
    },

    /** A supervisor approves or refuses from their own workstation; never their own request. */
    async decide(
      scope: CommandScope,
      input: { id: string; decision: 'approve' | 'refuse'; reason: string },
    ): Promise<OverrideRequestDto> {
      const trx = scope.trx;
      const r = await mustFindRequest(trx, input.id, true);
      describeTarget(scope, 'override_request', input.id, { decision: input.decision, reason: input.reason });
      if (r.status !== 'pending') throw new AppError('OVERRIDE_REQUEST_DECIDED', { status: r.status });
      if (r.business_date !== (await businessDate(trx)))
        throw new AppError('OVERRIDE_REQUEST_INVALID', { why: 'expired' });
      assertMayGive({ userId: scope.actor.userId!, roles: scope.actor.roles }, r.requested_by);
      const status = input.decision === 'approve' ? 'approved' : 'refused';
      await repo.decideRequest(trx, input.id, {
        status,
        by: scope.actor.userId!,
        reason: input.reason,
        at: scope.clock.now(),
      });
      await notify(trx, 'cash-override', input.id, status);
      return requestDto(await mustFindRequest(trx, input.id));
    },

    // ---- Flagged transactions ----

    async reports(filter: repo.ReportFilter, page: { offset: number; limit: number }) {
      const { rows, total } = await repo.reports(db, filter, page);
      return { items: rows.map(reportDto), total };
    },

    async reportsCsv(filter: repo.ReportFilter, opts: { maxRows?: number } = {}) {
      const max = opts.maxRows ?? CASH_REPORT_CSV_MAX;
      const { rows, total } = await repo.reports(db, filter, { offset: 0, limit: max });
      if (total > max) throw new AppError('PAYLOAD_TOO_LARGE', { limit: max });
      const csv = stringify(
        rows.map((r) => csvLine(reportDto(r))),
        { header: true, columns: CSV_COLUMNS },
      );
      const range = `${filter.from ?? 'start'}_${filter.to ?? 'today'}`;
      return { fileName: `cash-reports-${range}.csv`, csv, rows: rows.length };
    },
  };
}

const CSV_COLUMNS = [
  'business_date',
  'kind',
  'customer_id',
  'customer_name',
  'account',
  'direction',
  'amount',
  'day_cash_in',
  'day_cash_out',
  'threshold',
  'near_threshold_count',
  'conductor_name',
  'conductor_id_document',
  'conductor_relationship',
  'teller',
  'workstation',
  'at',
  'movement_id',
];

/** One CSV line; every text a person typed is neutralized against spreadsheet formulas. */
function csvLine(r: CashReportDto): string[] {
  const cell = (v: string | null) => neutralizeCell(v ?? '');
  return [
    r.businessDate,
    r.kind,
    cell(r.holderPublicId),
    cell(r.holderName),
    cell(r.accountPublicId),
    r.direction,
    minorToDecimal(r.amount, 'USD'),
    minorToDecimal(r.dayCashIn, 'USD'),
    minorToDecimal(r.dayCashOut, 'USD'),
    minorToDecimal(r.threshold, 'USD'),
    String(r.nearThresholdCount),
    cell(r.conductorName),
    cell(r.conductorIdDocument),
    cell(r.conductorRelationship),
    cell(r.tellerName),
    cell(r.workstation),
    r.at,
    r.movementId,
  ];
}
