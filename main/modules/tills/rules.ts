import { AppError } from '../../../shared/errors';
import type { DenominationCount } from '../../../shared/contract/counter';

// The teller's cash by denomination (issue 6): counts that must add up, holdings that can never go
// negative, the note mix of a payout, and the difference of a blind count at close.

/** Counts keyed by face value in minor units. */
export type Counts = Map<bigint, bigint>;

export type SessionStatus = 'opening' | 'open' | 'awaiting_sign_off' | 'closed' | 'cancelled';

/** Adds counts up to an amount in minor units. */
export function totalOf(counts: Counts): bigint {
  let total = 0n;
  for (const [value, count] of counts) total += value * count;
  return total;
}

/**
 * The teller's counts as the bank understands them: every value one of the currency's (active)
 * denominations, listed once, never negative. Zero counts are dropped.
 */
export function parseCounts(
  input: readonly DenominationCount[],
  denominations: readonly bigint[],
  currency: string,
): Counts {
  const known = new Set(denominations.map(String));
  const counts: Counts = new Map();
  for (const { value, count } of input) {
    if (!known.has(String(BigInt(value))))
      throw new AppError('TILL_DENOMINATION_UNKNOWN', { value, currency });
    if (count < 0) throw new AppError('TILL_COUNT_NEGATIVE', { value, count });
    const v = BigInt(value);
    if (counts.has(v)) throw new AppError('TILL_DENOMINATION_DUPLICATE', { value });
    if (count > 0) counts.set(v, BigInt(count));
  }
  return counts;
}

/** Counts that must make up exactly the amount the teller declared. */
export function assertAddsUp(counts: Counts, amount: bigint): void {
  const counted = totalOf(counts);
  if (counted !== amount)
    throw new AppError('TILL_COUNTS_MISMATCH', { amount: String(amount), counted: String(counted) });
}

/** A close count lists every denomination of the currency, zeros included: nothing left uncounted. */
export function assertCompleteCount(input: readonly DenominationCount[], denominations: readonly bigint[]) {
  const listed = new Set(input.map((d) => String(BigInt(d.value))));
  const missing = denominations.filter((v) => !listed.has(String(v))).map(String);
  if (missing.length) throw new AppError('TILL_COUNT_INCOMPLETE', { missing });
}

/**
 * A holding after a movement in (+1) or out (-1). Refuses taking out notes the holder does not
 * have: the till's ledger balance could still cover the amount in other notes, but the drawer
 * cannot hand over a note it does not hold.
 */
export function applyMovement(holding: Counts, movement: Counts, sign: 1n | -1n): Counts {
  const next: Counts = new Map(holding);
  for (const [value, count] of movement) {
    const after = (next.get(value) ?? 0n) + sign * count;
    if (after < 0n)
      throw new AppError('TILL_DENOMINATION_SHORT', {
        value: String(value),
        held: String(next.get(value) ?? 0n),
        requested: String(count),
      });
    next.set(value, after);
  }
  return next;
}

/** What changed between what the drawer should hold and what was counted (counted - held). */
export function countDelta(held: Counts, counted: Counts): Map<bigint, bigint> {
  const delta = new Map<bigint, bigint>();
  for (const value of new Set([...held.keys(), ...counted.keys()])) {
    const d = (counted.get(value) ?? 0n) - (held.get(value) ?? 0n);
    if (d !== 0n) delta.set(value, d);
  }
  return delta;
}

/**
 * A note mix paying out the amount from what the till holds: as few pieces as a largest-first
 * search finds, backtracking when a large note leaves a remainder the smaller ones cannot make
 * (60.00 from one 50 and three 20s is three 20s). Null when the till cannot make the amount.
 */
export function suggestPayout(amount: bigint, holding: Counts, budget = 20_000): Counts | null {
  const values = [...holding.entries()]
    .filter(([, c]) => c > 0n)
    .map(([v]) => v)
    .sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  // What the smaller denominations can make at most, to prune branches that cannot finish.
  const capacity: bigint[] = new Array<bigint>(values.length + 1).fill(0n);
  for (let i = values.length - 1; i >= 0; i--)
    capacity[i] = capacity[i + 1]! + values[i]! * holding.get(values[i]!)!;
  let steps = 0;
  const pick = (i: number, rest: bigint): Counts | null => {
    if (rest === 0n) return new Map();
    if (i >= values.length || rest > capacity[i]! || ++steps > budget) return null;
    const value = values[i]!;
    const most = rest / value < holding.get(value)! ? rest / value : holding.get(value)!;
    for (let n = most; n >= 0n; n--) {
      const tail = pick(i + 1, rest - n * value);
      if (tail) {
        if (n > 0n) tail.set(value, n);
        return tail;
      }
    }
    return null;
  };
  return pick(0, amount);
}

export type OverShort = { kind: 'balanced' | 'over' | 'short'; difference: bigint };

/** The blind count against the ledger: positive over, negative short. */
export function overShort(expected: bigint, counted: bigint): OverShort {
  const difference = counted - expected;
  return { kind: difference === 0n ? 'balanced' : difference > 0n ? 'over' : 'short', difference };
}

/** A difference beyond the branch's tolerance (either way) waits for a supervisor. */
export function needsSignOff(difference: bigint, tolerance: bigint): boolean {
  return (difference < 0n ? -difference : difference) > tolerance;
}

/** A till a teller may work on: their own, and open. */
export function assertOperable(
  session: { status: SessionStatus; teller_id: string } | undefined,
  actorId: string | null,
  tillId: string,
): void {
  if (!session || session.status !== 'open') throw new AppError('TILL_NOT_OPEN', { tillId });
  if (session.teller_id !== actorId) throw new AppError('TILL_NOT_YOURS', { tillId });
}

/** Counts for storage and the wire: largest value first, minor units as strings. */
export function countsToList(counts: Counts): DenominationCount[] {
  return [...counts.entries()]
    .filter(([, c]) => c !== 0n)
    .sort(([a], [b]) => (a > b ? -1 : a < b ? 1 : 0))
    .map(([value, count]) => ({ value: String(value), count: Number(count) }));
}

export function listToCounts(list: readonly { value: string; count: number }[]): Counts {
  return new Map(list.map((d) => [BigInt(d.value), BigInt(d.count)]));
}
