import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../shared/errors';
import { RESOURCES } from '../../renderer/src/i18n/resources';
import {
  applyMovement,
  assertAddsUp,
  assertCompleteCount,
  assertOperable,
  countDelta,
  countsToList,
  needsSignOff,
  overShort,
  parseCounts,
  suggestPayout,
  totalOf,
  type Counts,
} from '../../main/modules/tills/rules';

const USD = [10000n, 5000n, 2000n, 1000n, 500n, 200n, 100n, 50n, 25n, 10n, 5n, 1n];
const counts = (o: Record<string, number>): Counts =>
  new Map(Object.entries(o).map(([v, c]) => [BigInt(v), BigInt(c)]));
const list = (o: Record<string, number>) => Object.entries(o).map(([value, count]) => ({ value, count }));

function refusal(fn: () => unknown): { code: string; params: Record<string, unknown> } | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { code: err.code, params: err.params };
  }
}

describe('denomination counts', () => {
  const table: [string, { value: string; count: number }[], bigint, string | null][] = [
    ['adding up', list({ 2000: 2, 1000: 1 }), 5000n, null],
    ['coins too', list({ 50: 1, 25: 2, 1: 3 }), 103n, null],
    ['zero counts ignored', list({ 2000: 1, 1000: 0 }), 2000n, null],
    ['short of the amount', list({ 2000: 2 }), 5000n, 'TILL_COUNTS_MISMATCH'],
    ['over the amount', list({ 2000: 3 }), 5000n, 'TILL_COUNTS_MISMATCH'],
    ['negative count', list({ 2000: 3, 1000: -1 }), 5000n, 'TILL_COUNT_NEGATIVE'],
    ['a $3 note', list({ 300: 1, 2000: 1 }), 2300n, 'TILL_DENOMINATION_UNKNOWN'],
    ['zero value', [{ value: '0', count: 1 }], 0n, 'TILL_DENOMINATION_UNKNOWN'],
    ['listed twice', [...list({ 2000: 1 }), ...list({ 2000: 1 })], 4000n, 'TILL_DENOMINATION_DUPLICATE'],
  ];
  it.each(table)('%s', (_name, input, amount, code) => {
    const r = refusal(() => assertAddsUp(parseCounts(input, USD, 'USD'), amount));
    expect(r?.code ?? null).toBe(code);
  });

  it('says what the count came to', () => {
    expect(refusal(() => assertAddsUp(counts({ 2000: 2 }), 5000n))?.params).toEqual({
      amount: '5000',
      counted: '4000',
    });
  });
});

describe('the close count lists every denomination', () => {
  it('refuses missing denominations, naming them', () => {
    const input = list({ 10000: 0, 5000: 1, 2000: 0, 1000: 0, 500: 0, 200: 0, 100: 0, 50: 0, 25: 0, 10: 0 });
    expect(refusal(() => assertCompleteCount(input, USD))).toEqual({
      code: 'TILL_COUNT_INCOMPLETE',
      params: { missing: ['5', '1'] },
    });
  });
  it('accepts a full count with zeros', () => {
    expect(
      refusal(() =>
        assertCompleteCount(
          USD.map((v) => ({ value: String(v), count: 0 })),
          USD,
        ),
      ),
    ).toBeNull();
  });
});

describe('holdings', () => {
  it('adds and takes notes, refusing to take notes the drawer does not hold', () => {
    const held = counts({ 2000: 2, 100: 5 });
    expect(totalOf(applyMovement(held, counts({ 2000: 1 }), 1n))).toBe(6500n);
    expect(totalOf(applyMovement(held, counts({ 100: 5 }), -1n))).toBe(4000n);
    expect(refusal(() => applyMovement(held, counts({ 5000: 1 }), -1n))).toEqual({
      code: 'TILL_DENOMINATION_SHORT',
      params: { value: '5000', held: '0', requested: '1' },
    });
    expect(refusal(() => applyMovement(held, counts({ 2000: 3 }), -1n))?.code).toBe(
      'TILL_DENOMINATION_SHORT',
    );
  });
  it('records the per-denomination difference of a recount, adding up to the over/short', () => {
    const delta = countDelta(counts({ 2000: 2, 100: 5 }), counts({ 2000: 2, 100: 3, 25: 1 }));
    expect(countsToList(delta)).toEqual([
      { value: '100', count: -2 },
      { value: '25', count: 1 },
    ]);
    expect(totalOf(delta)).toBe(-175n);
  });
});

describe('note-mix suggestion for a payout', () => {
  const table: [string, Record<string, number>, bigint, Record<string, number> | null][] = [
    ['largest first', { 10000: 5, 2000: 10, 100: 10 }, 14300n, { 10000: 1, 2000: 2, 100: 3 }],
    ['backtracks when a large note leaves an impossible remainder', { 5000: 1, 2000: 3 }, 6000n, { 2000: 3 }],
    ['uses coins', { 100: 1, 25: 4 }, 175n, { 100: 1, 25: 3 }],
    ['exact use of everything', { 2000: 1, 500: 1 }, 2500n, { 2000: 1, 500: 1 }],
    ['not enough cash', { 2000: 1 }, 2500n, null],
    ['no combination makes it', { 2000: 5 }, 3000n, null],
    ['empty drawer', {}, 100n, null],
  ];
  it.each(table)('%s', (_name, held, amount, expected) => {
    const mix = suggestPayout(amount, counts(held));
    if (expected === null) return expect(mix).toBeNull();
    expect(mix && Object.fromEntries([...mix].map(([v, c]) => [String(v), Number(c)]))).toEqual(expected);
    expect(totalOf(mix!)).toBe(amount);
    // Never more notes of a value than the drawer holds.
    for (const [v, c] of mix!) expect(c <= (counts(held).get(v) ?? 0n)).toBe(true);
  });
});

describe('over/short at close', () => {
  const table: [bigint, bigint, bigint, 'balanced' | 'over' | 'short', boolean][] = [
    [10000n, 10000n, 0n, 'balanced', false],
    [10000n, 9800n, -200n, 'short', false],
    [10000n, 10500n, 500n, 'over', false],
    [10000n, 9499n, -501n, 'short', true],
    [10000n, 10501n, 501n, 'over', true],
  ];
  it.each(table)('expected %s counted %s', (expected, counted, difference, kind, signOff) => {
    expect(overShort(expected, counted)).toEqual({ kind, difference });
    expect(needsSignOff(difference, 500n)).toBe(signOff);
  });
});

describe('who may work a till', () => {
  const table: [
    string,
    { status: 'open' | 'opening' | 'awaiting_sign_off'; teller_id: string } | undefined,
    string | null,
  ][] = [
    ['own open till', { status: 'open', teller_id: 'u1' }, null],
    ["another teller's till", { status: 'open', teller_id: 'u2' }, 'TILL_NOT_YOURS'],
    ['not opened yet', { status: 'opening', teller_id: 'u1' }, 'TILL_NOT_OPEN'],
    ['counted, awaiting sign-off', { status: 'awaiting_sign_off', teller_id: 'u1' }, 'TILL_NOT_OPEN'],
    ['no session', undefined, 'TILL_NOT_OPEN'],
  ];
  it.each(table)('%s', (_name, session, code) => {
    expect(refusal(() => assertOperable(session, 'u1', 't1'))?.code ?? null).toBe(code);
  });
});

describe('tills error messages', () => {
  const codes = Object.keys(ErrorCode).filter(
    (c) => c.startsWith('TILL_') || c === 'BRANCH_CODE_TAKEN' || c === 'MONTH_CLOSE_TILLS_OPEN',
  );
  it.each(['en', 'es'])('every code has a %s message', async (lng) => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng,
      resources: { en: { translation: RESOURCES.en }, es: { translation: RESOURCES.es } },
      interpolation: { escapeValue: false },
    });
    for (const code of codes) expect(i18n.exists(`errors.${code}`), `${lng} ${code}`).toBe(true);
  });
});
