import { differenceInCalendarDays, parseISO } from 'date-fns';
import { AppError } from '../../../shared/errors';

// ---- Operational status of a deposit account (DOMAIN 4.2) ----

export const ACCOUNT_STATUSES = ['active', 'inactive', 'frozen', 'closed'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export type AccountAction = 'freeze' | 'unfreeze' | 'inactivate' | 'reactivate' | 'close';

/** Money moves (deposits, withdrawals, reverts) only on an active account. */
export function assertMoneyMoves(status: AccountStatus, action: 'deposit' | 'withdraw'): void {
  if (status !== 'active') throw new AppError('DEPOSIT_ACCOUNT_NOT_ACTIVE', { status, action });
}

/**
 * The status an action leads to, 'unchanged' for the documented no-op (unfreezing an active
 * account), or a typed refusal naming the current status. Preconditions that need balances or
 * withdrawals are checked by assertClosable and assertFreezable.
 */
export function nextAccountStatus(status: AccountStatus, action: AccountAction): AccountStatus | 'unchanged' {
  const to: Partial<Record<AccountStatus, AccountStatus | 'unchanged'>> = {
    freeze: { active: 'frozen' },
    unfreeze: { frozen: 'active', active: 'unchanged' },
    inactivate: { active: 'inactive' },
    reactivate: { inactive: 'active' },
    // DOMAIN 10.14: an inactive account is reactivated before it is closed; a frozen one unfrozen.
    close: { active: 'closed' },
  }[action] as Partial<Record<AccountStatus, AccountStatus | 'unchanged'>>;
  const next = to[status];
  if (!next) throw new AppError('DEPOSIT_ACCOUNT_TRANSITION', { status, action });
  return next;
}

/** Closing needs nothing left on the account, settled or held (DOMAIN 4.2). */
export function assertClosable(balance: { settled: bigint; pending: bigint }): void {
  if (balance.settled !== 0n || balance.pending !== 0n)
    throw new AppError('DEPOSIT_ACCOUNT_NOT_EMPTY', {
      settled: balance.settled.toString(),
      pending: balance.pending.toString(),
    });
}

/** Decision 15: freezing waits until no withdrawal is pending approval or confirmation. */
export function assertFreezable(withdrawalsInFlight: number): void {
  if (withdrawalsInFlight > 0) throw new AppError('WITHDRAWALS_IN_FLIGHT', { count: withdrawalsInFlight });
}

// ---- Withdrawals (DOMAIN 4.4) ----

export const WITHDRAWAL_STATUSES = [
  'pending_approval',
  'pending_confirmation',
  'confirmed',
  'denied',
  'cancelled',
  'reverted',
] as const;
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];
export type WithdrawalAction = 'approve' | 'deny' | 'cancel' | 'confirm' | 'revert';

const WITHDRAWAL_MOVES: Record<WithdrawalAction, Partial<Record<WithdrawalStatus, WithdrawalStatus>>> = {
  approve: { pending_approval: 'pending_confirmation' },
  deny: { pending_approval: 'denied' },
  cancel: { pending_approval: 'cancelled', pending_confirmation: 'cancelled' },
  // Confirmation is never automatic: it follows an approval, when the money has gone out.
  confirm: { pending_confirmation: 'confirmed' },
  revert: { confirmed: 'reverted' },
};

/**
 * The next status of a withdrawal, or a typed refusal showing where it stands now (decision 4: the
 * first committed transition wins; the loser sees 'already confirmed', 'already cancelled', ...).
 */
export function nextWithdrawalStatus(status: WithdrawalStatus, action: WithdrawalAction): WithdrawalStatus {
  const next = WITHDRAWAL_MOVES[action][status];
  if (!next) throw new AppError('WITHDRAWAL_STATE', { status, action });
  return next;
}

/** Withdrawals that still hold funds on the pending layer. */
export const WITHDRAWALS_IN_FLIGHT: readonly WithdrawalStatus[] = [
  'pending_approval',
  'pending_confirmation',
];

// ---- Deposits (DOMAIN 4.3) ----

export type DepositStatus = 'confirmed' | 'reverted';

/** Reverting twice does nothing the second time (DOMAIN 4.3): true when there is work to do. */
export function needsRevert(status: DepositStatus): boolean {
  return status === 'confirmed';
}

// ---- Activity (dormancy, DOMAIN 2.5) ----

export type ActivityStatus = 'active' | 'inactive' | 'escheatable';

export interface ActivityThresholds {
  inactiveDays: number;
  escheatableDays: number;
}

export const DEFAULT_ACTIVITY_THRESHOLDS: ActivityThresholds = { inactiveDays: 365, escheatableDays: 3650 };

export function thresholdProblems(t: ActivityThresholds): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(t.inactiveDays) || t.inactiveDays < 1) problems.push('inactiveDays');
  if (!Number.isInteger(t.escheatableDays) || t.escheatableDays < 1) problems.push('escheatableDays');
  // DOMAIN 10.13: the escheatable threshold must lie beyond the inactive one.
  if (!problems.length && t.escheatableDays <= t.inactiveDays) problems.push('escheatableNotAfterInactive');
  return problems;
}

/**
 * Days since the last customer-driven transaction (else the account's opening), as of a business
 * date. DOMAIN 10.13: 'past the threshold' is strictly more days than it, so day 365 is still active.
 */
export function activityStatus(
  lastActivity: string,
  businessDate: string,
  t: ActivityThresholds,
): ActivityStatus {
  const days = differenceInCalendarDays(parseISO(businessDate), parseISO(lastActivity));
  if (days > t.escheatableDays) return 'escheatable';
  if (days > t.inactiveDays) return 'inactive';
  return 'active';
}
