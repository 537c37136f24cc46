import Big from 'big.js';

/**
 * Money is integer minor units (cents, satoshis), carried as strings across IPC and as bigint in
 * the main process. Conversion and rounding rules live here, once.
 */
export const CURRENCY_SCALE = { USD: 2, BTC: 8 } as const;
export type MoneyCurrency = keyof typeof CURRENCY_SCALE;

/** '12345' cents -> '123.45'. Exact: no binary floating point on the way. */
export function minorToDecimal(minor: string | bigint, currency: MoneyCurrency): string {
  const scale = CURRENCY_SCALE[currency];
  return new Big(minor.toString()).div(new Big(10).pow(scale)).toFixed(scale);
}

/** '123.45' -> '12345'. Refuses more decimals than the currency has (no silent rounding). */
export function decimalToMinor(decimal: string, currency: MoneyCurrency): string {
  const scale = CURRENCY_SCALE[currency];
  if (!/^-?\d+(\.\d+)?$/.test(decimal.trim())) throw new Error('not a decimal amount');
  const value = new Big(decimal.trim()).times(new Big(10).pow(scale));
  if (!value.eq(value.round(0, Big.roundDown))) throw new Error('too many decimals');
  return value.toFixed(0);
}

/** For display, in the user's language: grouping and decimals as the locale writes them. */
export function formatMoney(minor: string | bigint, currency: MoneyCurrency, locale: string): string {
  const scale = CURRENCY_SCALE[currency];
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: currency === 'USD' ? 'symbol' : 'code',
    minimumFractionDigits: scale,
    maximumFractionDigits: scale,
    // Intl formats a decimal string exactly (no conversion to a JS number).
  }).format(minorToDecimal(minor, currency) as unknown as number);
}
