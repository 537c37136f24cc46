import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { RESOURCES } from '../../renderer/src/i18n/resources';
import {
  addToDay,
  assertMayGive,
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
  type OverrideRequestView,
} from '../../main/modules/cash-controls/rules';

function refusal(fn: () => unknown): { code: string; params: Record<string, unknown> } | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { code: err.code, params: err.params };
  }
}

const LIMITS = new Map<string, bigint>([
  ['teller', 500000n],
  ['head_teller', 2000000n],
]);

describe('withdrawal limits per role', () => {
  const table: [string[], bigint][] = [
    [['teller'], 500000n],
    [['head_teller', 'teller'], 2000000n],
    [['teller', 'head_teller'], 2000000n],
    [['auditor'], 0n],
    [[], 0n],
  ];
  it.each(table)('roles %j have the highest of their limits: %s', (roles, limit) => {
    expect(roleLimit(roles, LIMITS)).toBe(limit);
  });

  const boundaries: [bigint, boolean][] = [
    [499999n, false],
    [500000n, false],
    [500001n, true],
  ];
  it.each(boundaries)('a withdrawal of %s against 5,000.00 needs an override: %s', (amount, needed) => {
    const breach = withdrawalBreach(amount, 500000n);
    expect(breach !== null).toBe(needed);
    if (breach)
      expect(breach).toEqual({ limit: 'role-withdrawal', limitAmount: 500000n, checkedAmount: amount });
  });

  it('a role without a limit gives no authority: any cash payout needs an override', () => {
    expect(withdrawalBreach(1n, roleLimit(['accountant'], LIMITS))).not.toBeNull();
  });
});

describe('till maximum', () => {
  const table: [bigint, bigint, bigint | null, bigint | null][] = [
    [900000n, 100000n, 1000000n, null], // exactly at the maximum is allowed
    [900000n, 100001n, 1000000n, 1000001n],
    [0n, 5000000n, null, null], // no maximum set
    [1200000n, 1n, 1000000n, 1200001n], // already over: any deposit needs an override
  ];
  it.each(table)('holding %s + deposit %s against %s → over by holding %s', (holding, amount, max, after) => {
    const breach = tillBreach(holding, amount, max);
    expect(breach?.checkedAmount ?? null).toBe(after);
    if (breach) expect(breach.limit).toBe('till-maximum');
  });

  it('OVERRIDE_REQUIRED says which limit, the limit and the amount, formatted and in minor units', () => {
    const err = overrideRequired(
      { limit: 'till-maximum', limitAmount: 1000000n, checkedAmount: 1250050n },
      { kind: 'deposit', accountId: 'acc', amount: 250050n, tillId: 'till' },
    );
    expect(err.code).toBe('OVERRIDE_REQUIRED');
    expect(err.params).toMatchObject({
      limit: 'till-maximum',
      limitAmount: '10000.00',
      limitMinor: '1000000',
      checkedAmount: '12500.50',
      checkedMinor: '1250050',
      excess: '2500.50',
      kind: 'deposit',
      amountMinor: '250050',
      tillId: 'till',
      vaultTransfer: true,
    });
  });
});

describe('override validation', () => {
  const table: [Parameters<typeof overrideForm>[0], string][] = [
    [{ username: 'sofia', password: 'pw', reason: 'Known customer' }, 'at-workstation'],
    [{ overrideId: '00000000-0000-4000-8000-000000000000' }, 'remote'],
    [{ username: 'sofia', password: 'pw', reason: '' }, 'OVERRIDE_REASON_REQUIRED'],
    [{ username: 'sofia', password: 'pw', reason: '   ' }, 'OVERRIDE_REASON_REQUIRED'],
    [{ username: 'sofia', password: 'pw' }, 'OVERRIDE_REASON_REQUIRED'],
    [{ username: 'sofia', reason: 'x' }, 'OVERRIDE_INCOMPLETE'],
    [{ password: 'pw', reason: 'x' }, 'OVERRIDE_INCOMPLETE'],
    [{}, 'OVERRIDE_INCOMPLETE'],
    [
      { overrideId: '00000000-0000-4000-8000-000000000000', username: 'sofia', password: 'pw', reason: 'x' },
      'OVERRIDE_INCOMPLETE',
    ],
  ];
  it.each(table)('%j → %s', (given, expected) => {
    let outcome: string;
    try {
      outcome = overrideForm(given).how;
    } catch (err) {
      outcome = (err as AppError).code;
    }
    expect(outcome).toBe(expected);
  });

  it('the reason is kept trimmed', () => {
    expect(overrideForm({ username: 'sofia', password: 'pw', reason: '  Known  ' })).toMatchObject({
      reason: 'Known',
    });
  });

  const givers: [string, string[], string | null][] = [
    ['teller-1', ['supervisor'], 'OVERRIDE_SELF'],
    ['other', ['teller'], 'OVERRIDE_NOT_PERMITTED'],
    ['other', ['auditor'], 'OVERRIDE_NOT_PERMITTED'],
    ['other', ['head_teller'], null],
    ['other', ['supervisor'], null],
    ['other', ['admin'], null],
  ];
  it.each(givers)('giver %s with %j for teller-1 → %s', (userId, roles, expected) => {
    const r = refusal(() => assertMayGive({ userId, roles: roles as never }, 'teller-1'));
    expect(r?.code ?? null).toBe(expected);
  });

  const approved: OverrideRequestView = {
    status: 'approved',
    requestedBy: 't1',
    accountId: 'a1',
    stepKind: 'withdrawal-initiate',
    amount: 600000n,
    businessDate: '2026-03-02',
  };
  const use = {
    userId: 't1',
    accountId: 'a1',
    kind: 'withdrawal-initiate',
    amount: 600000n,
    businessDate: '2026-03-02',
  };
  const uses: [Partial<OverrideRequestView>, Partial<typeof use>, string | null][] = [
    [{}, {}, null],
    [{ status: 'pending' }, {}, 'not-approved'],
    [{ status: 'refused' }, {}, 'not-approved'],
    [{ status: 'used' }, {}, 'used'],
    [{}, { businessDate: '2026-03-03' }, 'expired'],
    [{}, { userId: 't2' }, 'other-teller'],
    [{}, { accountId: 'a2' }, 'mismatch'],
    [{}, { amount: 600001n }, 'mismatch'],
    [{}, { kind: 'deposit' }, 'mismatch'],
  ];
  it.each(uses)('request %o used as %o → %s', (request, used, expected) => {
    expect(requestRefusal({ ...approved, ...request }, { ...use, ...used })).toBe(expected);
  });
});

describe('large cash: aggregation and structuring', () => {
  const band = { threshold: 1000000n, bandPercent: 10 };
  const empty: CashDay = { cashIn: 0n, cashOut: 0n, nearThreshold: 0 };

  it('in and out add up over the day; the threshold itself is reportable', () => {
    let day = addToDay(empty, 'in', 400000n, band);
    day = addToDay(day, 'out', 300000n, band);
    expect(reportable(day, band.threshold)).toBe(false);
    const atThreshold = addToDay(day, 'in', 300000n, band);
    expect(atThreshold).toEqual({ cashIn: 700000n, cashOut: 300000n, nearThreshold: 0 });
    expect(reportable(atThreshold, band.threshold)).toBe(true);
    expect(reportable(addToDay(day, 'in', 299999n, band), band.threshold)).toBe(false);
  });

  const near: [bigint, boolean][] = [
    [899999n, false],
    [900000n, true],
    [999999n, true],
    [1000000n, false],
  ];
  it.each(near)('%s is just under 10,000.00 (10%% band): %s', (amount, expected) => {
    expect(isNearThreshold(amount, band)).toBe(expected);
  });

  it('the band rounds its floor up to the next minor unit', () => {
    expect(nearFloor({ threshold: 1001n, bandPercent: 10 })).toBe(901n); // 900.9 → 901
  });

  it('two near-threshold amounts in a day are possible structuring; one is not', () => {
    const one = addToDay(empty, 'in', 950000n, band);
    expect(structuring(one)).toBe(false);
    const two = addToDay(one, 'out', 920000n, band);
    expect(structuring(two)).toBe(true);
    const farBelow = addToDay(one, 'in', 500000n, band);
    expect(structuring(farBelow)).toBe(false);
  });
});

describe('messages', () => {
  it('every refusal of this module reads in English and Spanish', async () => {
    const codes = [
      'OVERRIDE_REQUIRED',
      'OVERRIDE_INCOMPLETE',
      'OVERRIDE_REASON_REQUIRED',
      'OVERRIDE_SELF',
      'OVERRIDE_NOT_PERMITTED',
      'OVERRIDE_CREDENTIALS_INVALID',
      'OVERRIDE_THROTTLED',
      'OVERRIDE_REQUEST_INVALID',
      'OVERRIDE_REQUEST_DECIDED',
      'OVERRIDE_NOT_NEEDED',
      'CONDUCTOR_REQUIRED',
    ];
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { en: { translation: RESOURCES.en }, es: { translation: RESOURCES.es } } });
    for (const lng of ['en', 'es']) {
      const t = i18n.getFixedT(lng);
      for (const code of codes) {
        const text = t(`errors.${code}`, {
          why: 'used',
          status: 'used',
          seconds: 30,
          limitAmount: '5000.00',
          dayTotal: '10000.00',
          threshold: '10000.00',
        });
        expect(text, `${lng} ${code}`).not.toBe(`errors.${code}`);
        expect(text).not.toMatch(/\$t\(|\{\{/);
      }
    }
  });
});
