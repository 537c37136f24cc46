import { decimalToMinor } from '@shared/money';

/**
 * Minor units of an amount typed at the counter, in the session's language: digits with that
 * language's decimal mark ('1234.56' in English, '1234,56' in Spanish), no grouping separators.
 * Anything else ('1.234,56' in an English session) is null: the screen refuses it before calling.
 */
export function parseAmount(typed: string, language: string): string | null {
  const text = typed.trim();
  const mark = language.startsWith('es') ? ',' : '.';
  const other = mark === '.' ? ',' : '.';
  if (text.includes(other)) return null;
  try {
    const minor = decimalToMinor(mark === ',' ? text.replace(',', '.') : text, 'USD');
    return BigInt(minor) > 0n ? minor : null;
  } catch {
    return null;
  }
}
