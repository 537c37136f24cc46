import { AppError } from '../../../shared/errors';
import { minorToDecimal } from '../../../shared/money';
import { isAllowed, type Role } from '../../../shared/permissions';
import type { SupervisorOverride } from '../../../shared/contract';

// Cash limits, supervisor overrides and large-cash alerts (issue 6): the bank's rules, no database.

export type LimitKind = 'role-withdrawal' | 'till-maximum';
export type ControlledStep = 'deposit' | 'withdrawal-initiate';

/** A limit the step would cross: what the OVERRIDE_REQUIRED refusal and the override record carry. */
export interface LimitBreach {
  limit: LimitKind;
  /** The limit, in minor units. */
  limitAmount: bigint;
  /** What was checked against it: the withdrawal's amount, or the till's holding after the deposit. */
  checkedAmount: bigint;
}

/**
 * A user's single-withdrawal limit: the highest among their roles. A role without a configured limit
 * gives no authority, so a user none of whose roles has one needs an override for any cash payout.
 */
export function roleLimit(roles: readonly string[], limits: ReadonlyMap<string, bigint>): bigint {
  let best = 0n;
  for (const role of roles) {
    const limit = limits.get(role);
    if (limit !== undefined && limit > best) best = limit;
  }
  return best;
}

/** A cash withdrawal above the teller's limit (at the limit is allowed). */
export function withdrawalBreach(amount: bigint, limit: bigint): LimitBreach | null {
  return amount > limit ? { limit: 'role-withdrawal', limitAmount: limit, checkedAmount: amount } : null;
}

/** A cash deposit that takes the till above its maximum (no maximum set: never). */
export function tillBreach(holding: bigint, amount: bigint, maximum: bigint | null): LimitBreach | null {
  if (maximum === null) return null;
  const after = holding + amount;
  return after > maximum ? { limit: 'till-maximum', limitAmount: maximum, checkedAmount: after } : null;
}

/** OVERRIDE_REQUIRED's params: which limit, the limit and the amount (formatted and minor). */
export function overrideRequired(
  breach: LimitBreach,
  step: { kind: ControlledStep; accountId: string; amount: bigint; tillId: string | null },
): AppError {
  return new AppError('OVERRIDE_REQUIRED', {
    limit: breach.limit,
    limitAmount: minorToDecimal(breach.limitAmount, 'USD'),
    limitMinor: breach.limitAmount.toString(),
    checkedAmount: minorToDecimal(breach.checkedAmount, 'USD'),
    checkedMinor: breach.checkedAmount.toString(),
    excess: minorToDecimal(breach.checkedAmount - breach.limitAmount, 'USD'),
    // What a remote request needs to name the same step again.
    kind: step.kind,
    accountId: step.accountId,
    amountMinor: step.amount.toString(),
    tillId: step.tillId,
    // Over a till's maximum the teller should move the excess to the vault.
    vaultTransfer: breach.limit === 'till-maximum',
  });
}

export type OverrideForm =
  | { how: 'remote'; requestId: string }
  | { how: 'at-workstation'; username: string; password: string; reason: string };

/**
 * Which override the teller sent: an approved request's id, or a supervisor's username, password and
 * reason typed at the counter. Anything else is incomplete; an empty reason is refused on its own.
 */
export function overrideForm(o: SupervisorOverride): OverrideForm {
  const hasCredentials = Boolean(o.username) || Boolean(o.password);
  if (o.overrideId && !hasCredentials) return { how: 'remote', requestId: o.overrideId };
  if (o.overrideId || !o.username || !o.password) throw new AppError('OVERRIDE_INCOMPLETE');
  const reason = (o.reason ?? '').trim();
  if (!reason) throw new AppError('OVERRIDE_REASON_REQUIRED');
  return { how: 'at-workstation', username: o.username, password: o.password, reason };
}

/** Who may give an override: somebody else, holding 'override.give'. */
export function assertMayGive(giver: { userId: string; roles: readonly Role[] }, requesterId: string): void {
  if (giver.userId === requesterId) throw new AppError('OVERRIDE_SELF');
  if (!isAllowed(giver.roles, 'override.give')) throw new AppError('OVERRIDE_NOT_PERMITTED');
}

export interface OverrideRequestView {
  status: 'pending' | 'approved' | 'refused' | 'used';
  requestedBy: string;
  accountId: string;
  stepKind: string;
  amount: bigint;
  businessDate: string;
}

/**
 * An approved request allows exactly one step: the requesting teller's, on the same account, kind
 * and amount, on the business day it was asked for. Says why not otherwise.
 */
export function requestRefusal(
  r: OverrideRequestView,
  use: { userId: string; accountId: string; kind: string; amount: bigint; businessDate: string },
): 'not-approved' | 'used' | 'expired' | 'other-teller' | 'mismatch' | null {
  if (r.status === 'used') return 'used';
  if (r.status !== 'approved') return 'not-approved';
  if (r.businessDate !== use.businessDate) return 'expired';
  if (r.requestedBy !== use.userId) return 'other-teller';
  if (r.accountId !== use.accountId || r.stepKind !== use.kind || r.amount !== use.amount) return 'mismatch';
  return null;
}

// ---- Large cash ----

export interface CashDay {
  cashIn: bigint;
  cashOut: bigint;
  /** How many single cash amounts of the day fall in the near-threshold band. */
  nearThreshold: number;
}

/** The day's aggregate for a customer: cash in plus cash out, this step included. */
export function dayTotal(day: CashDay): bigint {
  return day.cashIn + day.cashOut;
}

export function addToDay(day: CashDay, direction: 'in' | 'out', amount: bigint, band: NearBand): CashDay {
  return {
    cashIn: day.cashIn + (direction === 'in' ? amount : 0n),
    cashOut: day.cashOut + (direction === 'out' ? amount : 0n),
    nearThreshold: day.nearThreshold + (isNearThreshold(amount, band) ? 1 : 0),
  };
}

/** A currency transaction report is due at or above the threshold. */
export function reportable(day: CashDay, threshold: bigint): boolean {
  return dayTotal(day) >= threshold;
}

export interface NearBand {
  threshold: bigint;
  /** How far below the threshold still counts as "just under", in percent of it. */
  bandPercent: number;
}

/** The lowest amount that is "just under" the threshold: (100 - band)% of it, rounded up. */
export function nearFloor(band: NearBand): bigint {
  return (band.threshold * BigInt(100 - band.bandPercent) + 99n) / 100n;
}

/** Just under the threshold: at least (100 - band)% of it and below it. */
export function isNearThreshold(amount: bigint, band: NearBand): boolean {
  return amount >= nearFloor(band) && amount < band.threshold;
}

/** Possible structuring: two or more near-threshold cash amounts for one customer in one day. */
export const STRUCTURING_REPEATS = 2;

export function structuring(day: CashDay): boolean {
  return day.nearThreshold >= STRUCTURING_REPEATS;
}

/** Cash in for deposits, out for withdrawals; the steps the large-cash rules count. */
export function cashDirection(kind: string): 'in' | 'out' | null {
  if (kind === 'deposit') return 'in';
  if (kind === 'withdrawal-initiate') return 'out';
  return null;
}
