import { passwordProblems } from '../../../shared/password';
import { AppError } from '../../../shared/errors';
import type { Role } from '../../../shared/permissions';

/** Failed logins (or unlocks) before the username is throttled, and how long each block lasts. */
export const THROTTLE_FREE_ATTEMPTS = 5;
export const THROTTLE_BASE_SECONDS = 30;
export const THROTTLE_MAX_SECONDS = 15 * 60;
/** Failures older than this are forgotten. */
export const THROTTLE_WINDOW_SECONDS = 60 * 60;

export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
  blockedUntil: Date | null;
}

/** Remaining block in whole seconds, or 0 when a login may be tried now. */
export function throttleRemaining(state: ThrottleState | undefined, now: Date): number {
  if (!state?.blockedUntil) return 0;
  return Math.max(0, Math.ceil((state.blockedUntil.getTime() - now.getTime()) / 1000));
}

/** The state after one more failure: blocks double from 30 s up to 15 min after the free attempts. */
export function afterFailure(state: ThrottleState | undefined, now: Date): ThrottleState {
  const stale = !state || now.getTime() - state.lastFailureAt.getTime() > THROTTLE_WINDOW_SECONDS * 1000;
  const failures = (stale ? 0 : state.failures) + 1;
  const over = failures - THROTTLE_FREE_ATTEMPTS;
  const blockedUntil =
    over >= 0
      ? new Date(now.getTime() + Math.min(THROTTLE_MAX_SECONDS, THROTTLE_BASE_SECONDS * 2 ** over) * 1000)
      : null;
  return { failures, lastFailureAt: now, blockedUntil };
}

export function assertStrongPassword(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length > 0) throw new AppError('WEAK_PASSWORD', { problems });
}

/** An idle session locks once its last activity is older than the bank's idle time. */
export function isIdle(lastActivityAt: Date, now: Date, idleLockMinutes: number): boolean {
  return now.getTime() - lastActivityAt.getTime() >= idleLockMinutes * 60_000;
}

/** The bank must always keep one active administrator, or nobody could manage access again. */
export function assertKeepsAnAdmin(activeAdminsAfter: number): void {
  if (activeAdminsAfter < 1) throw new AppError('LAST_ADMIN');
}

export function sortRoles(roles: readonly Role[]): Role[] {
  return [...new Set(roles)].sort();
}
