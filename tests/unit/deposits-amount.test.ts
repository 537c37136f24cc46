import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../renderer/src/components/deposits/amount';

describe('amounts typed at the counter, in the session language', () => {
  it('reads the language’s decimal mark into minor units', () => {
    expect(parseAmount('1000.00', 'en')).toBe('100000');
    expect(parseAmount(' 300 ', 'en')).toBe('30000');
    expect(parseAmount('0.01', 'en')).toBe('1');
    expect(parseAmount('1234,56', 'es')).toBe('123456');
    expect(parseAmount('7', 'es')).toBe('700');
  });

  it('refuses grouping, the other language’s mark, extra decimals, zero and negatives', () => {
    for (const [typed, lang] of [
      ['1.234,56', 'en'],
      ['1,234.56', 'en'],
      ['1234,56', 'en'],
      ['1.234,56', 'es'],
      ['1234.56', 'es'],
      ['12.345', 'en'],
      ['0', 'en'],
      ['0.00', 'en'],
      ['-5', 'en'],
      ['1e3', 'en'],
      ['', 'en'],
      ['abc', 'es'],
    ] as const) {
      expect(parseAmount(typed, lang), `${typed} (${lang})`).toBeNull();
    }
  });
});
