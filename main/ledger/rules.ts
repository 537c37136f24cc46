import { addDays, addMonths, endOfMonth, format, parseISO, subDays } from 'date-fns';
import { AppError } from '../../shared/errors';
import type { Direction, EntrySpec, NormalBalance } from './types';

/** Largest single amount the bank accepts, in minor units (DOMAIN 11: at most 10^15). */
export const MAX_AMOUNT = 10n ** 15n;

/**
 * A template's entries must balance per currency and layer before they are sent: the database
 * refuses an unbalanced transaction at commit anyway, but a clear error at the source is kinder.
 */
export function assertBalanced(entries: EntrySpec[]): void {
  if (entries.length < 2) throw new AppError('UNBALANCED_TRANSACTION', { reason: 'tooFewEntries' });
  const sums = new Map<string, bigint>();
  for (const e of entries) {
    if (e.amount <= 0n || e.amount > MAX_AMOUNT)
      throw new AppError('INVALID_AMOUNT', { amount: e.amount.toString() });
    const key = `${e.currency}/${e.layer}`;
    sums.set(key, (sums.get(key) ?? 0n) + (e.direction === 'debit' ? e.amount : -e.amount));
  }
  for (const [key, sum] of sums) {
    if (sum !== 0n) throw new AppError('UNBALANCED_TRANSACTION', { reason: key });
  }
}

/** A balance as the account's owner reads it: positive on its normal side. */
export function signedBalance(normal: NormalBalance, debit: bigint, credit: bigint): bigint {
  return normal === 'debit' ? debit - credit : credit - debit;
}

export function effectOn(normal: NormalBalance, direction: Direction, amount: bigint): bigint {
  return direction === normal ? amount : -amount;
}

// ---- The calendar: fiscal years and month closes (DOMAIN 7.5) ----

const day = (d: Date) => format(d, 'yyyy-MM-dd');

/** A fiscal year is twelve months: it ends the day before the same date a year later. */
export function fiscalYearEnd(startsOn: string): string {
  return day(subDays(addMonths(parseISO(startsOn), 12), 1));
}

export interface MonthToClose {
  /** First day of the month still open (the fiscal year's first day for a mid-month start). */
  from: string;
  /** Last calendar day of that month, capped at the fiscal year's end. */
  to: string;
}

/**
 * The oldest open month of the fiscal year: months close in order, never skipping one. A year
 * that starts mid-month has a short first month, up to that month's end.
 */
export function nextMonthToClose(
  year: { startsOn: string; endsOn: string },
  closedAsOf: string | null,
): MonthToClose | null {
  const from =
    closedAsOf && closedAsOf >= year.startsOn ? day(addDays(parseISO(closedAsOf), 1)) : year.startsOn;
  if (from > year.endsOn) return null;
  const monthEnd = day(endOfMonth(parseISO(from)));
  return { from, to: monthEnd < year.endsOn ? monthEnd : year.endsOn };
}

/** A month closes only once it is over by the bank's business date (January from 1 February). */
export function assertMonthOver(month: MonthToClose, businessDate: string): void {
  if (businessDate <= month.to) {
    throw new AppError('MONTH_NOT_OVER', { month: month.to.slice(0, 7), businessDate });
  }
}
