import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblems } from '../../shared/password';

describe('the staff password rule', () => {
  it('accepts a long password with three kinds of characters', () => {
    expect(passwordProblems('Correct-horse-battery')).toEqual([]);
    expect(passwordProblems('correct horse 42 battery')).toEqual([]);
  });

  it('needs at least 12 characters', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    expect(passwordProblems('Abcdefgh-12')).toEqual(['tooShort']);
    expect(passwordProblems('Abcdefgh-123')).toEqual([]);
  });

  it('refuses more than 256 characters', () => {
    expect(PASSWORD_MAX_LENGTH).toBe(256);
    const base = 'Aa1-';
    expect(passwordProblems(base.repeat(64))).toEqual([]);
    expect(passwordProblems(base.repeat(64) + 'x')).toEqual(['tooLong']);
  });

  it('needs three of: lower case, upper case, digits, symbols', () => {
    expect(passwordProblems('alllowercaseletters')).toEqual(['tooFewClasses']);
    expect(passwordProblems('lowercase and spaces')).toEqual(['tooFewClasses']);
    expect(passwordProblems('lowercaseUPPERCASE')).toEqual(['tooFewClasses']);
    expect(passwordProblems('123456789012345')).toEqual(['tooFewClasses']);
    expect(passwordProblems('lowercaseUPPERCASE7')).toEqual([]);
    expect(passwordProblems('lowercase-12345678')).toEqual([]);
    expect(passwordProblems('UPPERCASE-12345678')).toEqual([]);
  });

  it('refuses a password that contains the username, whatever the case', () => {
    expect(passwordProblems('Tina-Teller-2026!', 'tina')).toEqual(['containsUsername']);
    expect(passwordProblems('my-TINA-password-1', ' Tina ')).toEqual(['containsUsername']);
    expect(passwordProblems('Correct-horse-42', 'tina')).toEqual([]);
  });

  it('ignores usernames shorter than three characters', () => {
    expect(passwordProblems('Jo-Correct-horse-42', 'jo')).toEqual([]);
    expect(passwordProblems('Jon-Correct-horse-42', 'jon')).toEqual(['containsUsername']);
  });

  it('reports every problem at once', () => {
    expect(passwordProblems('tina', 'tina').sort()).toEqual([
      'containsUsername',
      'tooFewClasses',
      'tooShort',
    ]);
    expect(passwordProblems('')).toEqual(['tooShort', 'tooFewClasses']);
  });
});
