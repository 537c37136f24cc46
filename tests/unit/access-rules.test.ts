import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  assertKeepsAnAdmin,
  assertStrongPassword,
  isIdle,
  sortRoles,
  THROTTLE_BASE_SECONDS,
  THROTTLE_FREE_ATTEMPTS,
  THROTTLE_MAX_SECONDS,
  THROTTLE_WINDOW_SECONDS,
  throttleRemaining,
  type ThrottleState,
} from '../../main/modules/access/rules';
import { AppError } from '../../shared/errors';

const t0 = new Date('2026-03-02T09:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

/** Fails n times, one second apart, starting at t0. */
function failures(n: number): ThrottleState | undefined {
  let state: ThrottleState | undefined;
  for (let i = 0; i < n; i++) state = afterFailure(state, at(i));
  return state;
}

function thrown(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('login throttling', () => {
  it('lets the first four failures through without a block', () => {
    expect(THROTTLE_FREE_ATTEMPTS).toBe(5);
    for (let n = 1; n < THROTTLE_FREE_ATTEMPTS; n++) {
      const state = failures(n)!;
      expect(state.failures).toBe(n);
      expect(state.blockedUntil).toBeNull();
      expect(throttleRemaining(state, at(n))).toBe(0);
    }
  });

  it('blocks for 30 seconds from the fifth failure', () => {
    const state = failures(5)!;
    expect(state.failures).toBe(5);
    expect(state.blockedUntil).toEqual(at(4 + THROTTLE_BASE_SECONDS));
    expect(throttleRemaining(state, at(4))).toBe(30);
    expect(throttleRemaining(state, at(33))).toBe(1);
    expect(throttleRemaining(state, at(34))).toBe(0);
  });

  it('rounds a partial second of block up, so a user is never told 0 while still blocked', () => {
    const state = failures(5)!;
    const almost = new Date(state.blockedUntil!.getTime() - 1);
    expect(throttleRemaining(state, almost)).toBe(1);
  });

  it('doubles the block on every further failure, up to 15 minutes', () => {
    const seconds = (n: number) => {
      const s = failures(n)!;
      return (s.blockedUntil!.getTime() - s.lastFailureAt.getTime()) / 1000;
    };
    expect(seconds(6)).toBe(60);
    expect(seconds(7)).toBe(120);
    expect(seconds(8)).toBe(240);
    expect(seconds(9)).toBe(480);
    expect(seconds(10)).toBe(THROTTLE_MAX_SECONDS);
    expect(seconds(20)).toBe(THROTTLE_MAX_SECONDS);
    expect(seconds(100)).toBe(15 * 60);
  });

  it('forgets failures older than an hour', () => {
    const state = failures(4)!;
    const later = new Date(state.lastFailureAt.getTime() + THROTTLE_WINDOW_SECONDS * 1000 + 1);
    const next = afterFailure(state, later);
    expect(next.failures).toBe(1);
    expect(next.blockedUntil).toBeNull();
  });

  it('still counts a failure exactly one hour after the last one', () => {
    const state = failures(4)!;
    const edge = new Date(state.lastFailureAt.getTime() + THROTTLE_WINDOW_SECONDS * 1000);
    const next = afterFailure(state, edge);
    expect(next.failures).toBe(5);
    expect(next.blockedUntil).not.toBeNull();
  });

  it('has nothing to wait for without a record or a block', () => {
    expect(throttleRemaining(undefined, t0)).toBe(0);
    expect(throttleRemaining({ failures: 2, lastFailureAt: t0, blockedUntil: null }, t0)).toBe(0);
  });
});

describe('idle lock', () => {
  it('locks once the last activity is as old as the idle time', () => {
    expect(isIdle(t0, at(5 * 60 - 1), 5)).toBe(false);
    expect(isIdle(t0, at(5 * 60), 5)).toBe(true);
    expect(isIdle(t0, at(60 * 60), 5)).toBe(true);
  });

  it('follows the bank setting', () => {
    expect(isIdle(t0, at(10 * 60), 15)).toBe(false);
    expect(isIdle(t0, at(15 * 60), 15)).toBe(true);
    expect(isIdle(t0, at(60), 1)).toBe(true);
  });

  it('does not lock a session whose clock reading is behind its last activity', () => {
    expect(isIdle(at(10), t0, 5)).toBe(false);
  });
});

describe('staff rules', () => {
  it('refuses a weak password with the list of problems', () => {
    const err = thrown(() => assertStrongPassword('short', 'tina'));
    expect(err.code).toBe('WEAK_PASSWORD');
    expect(err.params.problems).toEqual(['tooShort', 'tooFewClasses']);
    expect(() => assertStrongPassword('Correct-horse-42', 'tina')).not.toThrow();
    expect(thrown(() => assertStrongPassword('Tina-is-great-42', 'tina')).params.problems).toEqual([
      'containsUsername',
    ]);
  });

  it('always keeps one active administrator', () => {
    expect(thrown(() => assertKeepsAnAdmin(0)).code).toBe('LAST_ADMIN');
    expect(() => assertKeepsAnAdmin(1)).not.toThrow();
  });

  it('stores roles sorted and without duplicates', () => {
    expect(sortRoles(['teller', 'admin', 'teller', 'auditor'])).toEqual(['admin', 'auditor', 'teller']);
    expect(sortRoles([])).toEqual([]);
  });
});
