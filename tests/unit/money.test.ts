import { describe, expect, it } from 'vitest';
import { decimalToMinor, formatMoney, minorToDecimal } from '../../shared/money';

describe('money', () => {
  it('converts minor units to decimals exactly, beyond what a JS number can hold', () => {
    expect(minorToDecimal('12345', 'USD')).toBe('123.45');
    expect(minorToDecimal('-5', 'USD')).toBe('-0.05');
    expect(minorToDecimal('1000000000000000', 'USD')).toBe('10000000000000.00');
    expect(minorToDecimal('900719925474099399', 'USD')).toBe('9007199254740993.99');
    expect(minorToDecimal(100_000_000n, 'BTC')).toBe('1.00000000');
  });

  it('refuses fractional minor units instead of rounding them away', () => {
    expect(decimalToMinor('123.45', 'USD')).toBe('12345');
    expect(decimalToMinor('0.1', 'USD')).toBe('10');
    expect(() => decimalToMinor('0.001', 'USD')).toThrow();
    expect(() => decimalToMinor('1.234,56', 'USD')).toThrow();
  });

  it('formats in the user language without losing digits', () => {
    expect(formatMoney('123456789', 'USD', 'en')).toBe('$1,234,567.89');
    expect(formatMoney('900719925474099399', 'USD', 'en')).toBe('$9,007,199,254,740,993.99');
    expect(formatMoney('123456789', 'USD', 'es')).toMatch(/1\.234\.567,89/);
  });
});
