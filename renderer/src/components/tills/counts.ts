import type { DenominationCount, DenominationDto } from '@shared/contract';

/** What the teller typed per denomination (value in minor units -> typed count). */
export type TypedCounts = Record<string, string>;

export const countOf = (typed: string | undefined): number => {
  const n = Number.parseInt(typed ?? '', 10);
  return Number.isFinite(n) ? n : 0;
};

/** The total of typed counts, in minor units. */
export function typedTotal(counts: TypedCounts): bigint {
  return Object.entries(counts).reduce((t, [value, typed]) => t + BigInt(value) * BigInt(countOf(typed)), 0n);
}

/**
 * Counts for the bank: every denomination shown (a close count lists zeros too) or only those
 * counted. Negative numbers go as typed: the bank refuses them with its own message.
 */
export function toCountList(
  denominations: readonly DenominationDto[],
  counts: TypedCounts,
  includeZeros = false,
): DenominationCount[] {
  return denominations
    .map((d) => ({ value: d.value, count: countOf(counts[d.value]) }))
    .filter((d) => includeZeros || d.count !== 0);
}

export function fromCountList(list: readonly { value: string; count: number }[]): TypedCounts {
  return Object.fromEntries(list.map((d) => [d.value, String(d.count)]));
}
