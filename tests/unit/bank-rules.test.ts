import { describe, expect, it } from 'vitest';
import {
  assertPasswordsMatch,
  flagValue,
  REQUIRE_VERIFIED,
  settingValue,
  SETTINGS,
} from '../../main/modules/bank/rules';
import { AppError } from '../../shared/errors';

describe('bank settings', () => {
  it('an idle lock of 5 minutes is the default', () => {
    expect(SETTINGS.idleLockMinutes.default).toBe(5);
    expect(settingValue('idleLockMinutes', undefined)).toBe(5);
  });

  it('a stored value inside the bounds is used', () => {
    expect(settingValue('idleLockMinutes', 1)).toBe(1);
    expect(settingValue('idleLockMinutes', 240)).toBe(240);
  });

  it('a stored value that is out of bounds or not an integer falls back to the default', () => {
    for (const bad of [0, 241, 2.5, '10', null, -3, Number.NaN]) {
      expect(settingValue('idleLockMinutes', bad), String(bad)).toBe(5);
    }
  });
});

describe('setup', () => {
  it('refuses a password confirmation that does not match, naming the field', () => {
    expect(() => assertPasswordsMatch('Correct-horse-42', 'Correct-horse-42')).not.toThrow();
    try {
      assertPasswordsMatch('Correct-horse-42', 'Correct-horse-43');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('VALIDATION_FAILED');
      expect((err as AppError).params.fields).toEqual(['admin.passwordConfirmation']);
    }
  });

  it('the verification switch is off unless a boolean says otherwise', () => {
    expect(REQUIRE_VERIFIED.default).toBe(false);
    expect(flagValue(undefined, REQUIRE_VERIFIED.default)).toBe(false);
    expect(flagValue(true, false)).toBe(true);
    expect(flagValue('true', false)).toBe(false);
  });
});
