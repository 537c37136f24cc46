import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../../renderer/src/i18n/resources';
import { ErrorCode } from '../../shared/errors';
import { ROLES } from '../../shared/permissions';
import { SCREENS } from '../../renderer/src/navigation';

function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object')
      for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

const EN = flatten(RESOURCES.en);
const ES = flatten(RESOURCES.es);

function placeholders(s: unknown): string[] {
  return [...String(s).matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]!).sort();
}

describe('translations', () => {
  it('every key exists in both English and Spanish', () => {
    expect([...EN.keys()].filter((k) => !ES.has(k))).toEqual([]);
    expect([...ES.keys()].filter((k) => !EN.has(k))).toEqual([]);
  });

  it('no translation is empty, and both languages use the same placeholders', () => {
    for (const [key, value] of EN) {
      expect(String(value).trim(), key).not.toBe('');
      expect(String(ES.get(key)).trim(), key).not.toBe('');
      expect(placeholders(ES.get(key)), key).toEqual(placeholders(value));
    }
  });

  it('every error code, role and screen has its text', () => {
    for (const code of Object.values(ErrorCode)) expect(EN.has(`errors.${code}`), code).toBe(true);
    for (const role of ROLES) expect(EN.has(`roles.${role}`), role).toBe(true);
    for (const screen of SCREENS) expect(EN.has(screen.labelKey), screen.labelKey).toBe(true);
  });
});
