import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { RESOURCES } from '../../renderer/src/i18n/resources';
import {
  activityStatus,
  assertClosable,
  assertFreezable,
  assertMoneyMoves,
  DEFAULT_ACTIVITY_THRESHOLDS,
  needsRevert,
  nextAccountStatus,
  nextWithdrawalStatus,
  thresholdProblems,
  WITHDRAWAL_STATUSES,
  type AccountAction,
  type AccountStatus,
  type WithdrawalAction,
  type WithdrawalStatus,
} from '../../main/modules/deposits/rules';

function refusal(fn: () => unknown): { code: string; params: Record<string, unknown> } | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { code: err.code, params: err.params };
  }
}

describe('deposit account status (DOMAIN 4.2)', () => {
  const table: [AccountStatus, AccountAction, AccountStatus | 'unchanged' | 'refused'][] = [
    ['active', 'freeze', 'frozen'],
    ['inactive', 'freeze', 'refused'],
    ['closed', 'freeze', 'refused'],
    ['frozen', 'freeze', 'refused'],
    ['frozen', 'unfreeze', 'active'],
    ['active', 'unfreeze', 'unchanged'],
    ['inactive', 'unfreeze', 'refused'],
    ['active', 'inactivate', 'inactive'],
    ['frozen', 'inactivate', 'refused'],
    ['inactive', 'reactivate', 'active'],
    ['active', 'reactivate', 'refused'],
    ['active', 'close', 'closed'],
    ['frozen', 'close', 'refused'],
    ['inactive', 'close', 'refused'],
    ['closed', 'close', 'refused'],
  ];
  it.each(table)('%s account, %s → %s', (status, action, expected) => {
    if (expected === 'refused') {
      expect(refusal(() => nextAccountStatus(status, action))).toEqual({
        code: 'DEPOSIT_ACCOUNT_TRANSITION',
        params: { status, action },
      });
    } else {
      expect(nextAccountStatus(status, action)).toBe(expected);
    }
  });

  it('money moves only on an active account', () => {
    expect(refusal(() => assertMoneyMoves('active', 'deposit'))).toBeNull();
    for (const status of ['inactive', 'frozen', 'closed'] as const)
      for (const action of ['deposit', 'withdraw'] as const)
        expect(refusal(() => assertMoneyMoves(status, action))?.code).toBe('DEPOSIT_ACCOUNT_NOT_ACTIVE');
  });

  it('closing needs zero settled and zero held; freezing needs no withdrawal in flight', () => {
    expect(refusal(() => assertClosable({ settled: 0n, pending: 0n }))).toBeNull();
    expect(refusal(() => assertClosable({ settled: 0n, pending: 1n }))).toEqual({
      code: 'DEPOSIT_ACCOUNT_NOT_EMPTY',
      params: { settled: '0', pending: '1' },
    });
    expect(refusal(() => assertClosable({ settled: -1n, pending: 0n }))?.code).toBe(
      'DEPOSIT_ACCOUNT_NOT_EMPTY',
    );
    expect(refusal(() => assertFreezable(0))).toBeNull();
    expect(refusal(() => assertFreezable(2))).toEqual({
      code: 'WITHDRAWALS_IN_FLIGHT',
      params: { count: 2 },
    });
  });
});

describe('withdrawal state machine (DOMAIN 4.4)', () => {
  const allowed: Record<string, WithdrawalStatus> = {
    'pending_approval/approve': 'pending_confirmation',
    'pending_approval/deny': 'denied',
    'pending_approval/cancel': 'cancelled',
    'pending_confirmation/cancel': 'cancelled',
    'pending_confirmation/confirm': 'confirmed',
    'confirmed/revert': 'reverted',
  };
  const actions: WithdrawalAction[] = ['approve', 'deny', 'cancel', 'confirm', 'revert'];
  it('allows exactly the documented transitions and refuses every other, naming the current status', () => {
    for (const status of WITHDRAWAL_STATUSES)
      for (const action of actions) {
        const expected = allowed[`${status}/${action}`];
        if (expected) expect(nextWithdrawalStatus(status, action), `${status}/${action}`).toBe(expected);
        else
          expect(
            refusal(() => nextWithdrawalStatus(status, action)),
            `${status}/${action}`,
          ).toEqual({
            code: 'WITHDRAWAL_STATE',
            params: { status, action },
          });
      }
  });

  it('a deposit is reverted once; the second revert has nothing to do', () => {
    expect(needsRevert('confirmed')).toBe(true);
    expect(needsRevert('reverted')).toBe(false);
  });
});

describe('activity classification (DOMAIN 2.5)', () => {
  const t = DEFAULT_ACTIVITY_THRESHOLDS;
  it.each([
    ['2026-01-01', '2026-01-01', 'active'],
    ['2025-01-01', '2026-01-01', 'active'], // exactly 365 days: not past the threshold
    ['2024-12-31', '2026-01-01', 'inactive'], // 366 days
    ['2016-01-04', '2026-01-01', 'inactive'], // 3650 days: not past the escheatable threshold
    ['2016-01-03', '2026-01-01', 'escheatable'], // 3651 days
  ] as const)('last activity %s, business date %s → %s', (last, today, expected) => {
    expect(activityStatus(last, today, t)).toBe(expected);
  });

  it('thresholds are positive whole days, the escheatable one beyond the inactive one', () => {
    expect(thresholdProblems(t)).toEqual([]);
    expect(thresholdProblems({ inactiveDays: 0, escheatableDays: 10 })).toEqual(['inactiveDays']);
    expect(thresholdProblems({ inactiveDays: 30, escheatableDays: 30 })).toEqual([
      'escheatableNotAfterInactive',
    ]);
    expect(thresholdProblems({ inactiveDays: 1.5, escheatableDays: 10 })).toEqual(['inactiveDays']);
  });
});

describe('deposit refusals read as sentences in both languages', () => {
  it('nests the translated status and action into the message', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      resources: { en: { translation: RESOURCES.en }, es: { translation: RESOURCES.es } },
      lng: 'en',
      interpolation: { escapeValue: false },
    });
    expect(i18n.t('errors.DEPOSIT_ACCOUNT_NOT_ACTIVE', { status: 'frozen', action: 'withdraw' })).toBe(
      'This deposit account is frozen: it takes no withdrawals.',
    );
    expect(i18n.t('errors.WITHDRAWAL_STATE', { status: 'cancelled', action: 'confirm', lng: 'es' })).toBe(
      'Este retiro ya está cancelado: no puede ser confirmado.',
    );
  });
});
