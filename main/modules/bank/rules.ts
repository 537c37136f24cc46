import { AppError } from '../../../shared/errors';

/** Typed bank-wide settings with their defaults; jobs and services read them without a user. */
export const SETTINGS = {
  idleLockMinutes: { key: 'idle_lock_minutes', default: 5, min: 1, max: 240 },
} as const;

export type SettingName = keyof typeof SETTINGS;

/**
 * DOMAIN 2.3's verification switch: when on, a customer must be Verified before a deposit account is
 * opened (and, as those modules land, before a facility is initiated or a disbursal released).
 */
export const REQUIRE_VERIFIED = { key: 'require_verified_customers', default: false } as const;

export function flagValue(stored: unknown, fallback: boolean): boolean {
  return typeof stored === 'boolean' ? stored : fallback;
}

export function settingValue(name: SettingName, stored: unknown): number {
  const def = SETTINGS[name];
  return typeof stored === 'number' && Number.isInteger(stored) && stored >= def.min && stored <= def.max
    ? stored
    : def.default;
}

export function assertPasswordsMatch(password: string, confirmation: string): void {
  if (password !== confirmation)
    throw new AppError('VALIDATION_FAILED', { fields: ['admin.passwordConfirmation'], issue: 'mismatch' });
}
