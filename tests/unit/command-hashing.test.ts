import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fieldHashes } from '../../main/ipc/command';

describe('canonical JSON of a command payload', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { userId: 'u1', roles: ['teller'], admin: { username: 'ada', fullName: 'Ada' } };
    const b = { admin: { fullName: 'Ada', username: 'ada' }, roles: ['teller'], userId: 'u1' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(b)).toBe(
      '{"admin":{"fullName":"Ada","username":"ada"},"roles":["teller"],"userId":"u1"}',
    );
  });

  it('keeps array order: roles in another order are another payload', () => {
    expect(canonicalJson(['a', 'b'])).not.toBe(canonicalJson(['b', 'a']));
  });

  it('treats an absent field and an undefined one alike', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });

  it('distinguishes types that print alike', () => {
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({ a: 'null' }));
    expect(canonicalJson({ a: true })).not.toBe(canonicalJson({ a: 'true' }));
  });

  it('escapes strings, so a value cannot pose as structure', () => {
    const tricky = { a: '","b":"x' };
    expect(canonicalJson(tricky)).not.toBe(canonicalJson({ a: '', b: 'x' }));
    expect(JSON.parse(canonicalJson(tricky))).toEqual(tricky);
    expect(JSON.parse(canonicalJson({ 'k"ey': 'v\u0001' }))).toEqual({ 'k"ey': 'v\u0001' });
  });
});

describe('field hashes of a command payload', () => {
  const payload = {
    username: 'tina',
    fullName: 'Tina Teller',
    roles: ['teller'],
    temporaryPassword: 'Secret-pass-1!',
  };

  it('hash each top-level field on its own', () => {
    const hashes = fieldHashes(payload);
    // Secrets are left out: even hashed, a password in the command log could be brute-forced.
    expect(Object.keys(hashes)).toEqual(['fullName', 'roles', 'username']);
    for (const h of Object.values(hashes)) expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes.username).toBe(createHash('sha256').update('"tina"').digest('hex'));
  });

  it('change only the hash of the field that changed', () => {
    const a = fieldHashes(payload);
    const b = fieldHashes({ ...payload, fullName: 'Tina T.' });
    const changed = Object.keys(a).filter((k) => a[k] !== b[k]);
    expect(changed).toEqual(['fullName']);
  });

  it('see a change deep inside a nested field', () => {
    const a = fieldHashes({ admin: { username: 'ada', fullName: 'Ada' } });
    const b = fieldHashes({ admin: { fullName: 'Ada', username: 'ada' } });
    const c = fieldHashes({ admin: { username: 'ada', fullName: 'Ada L.' } });
    expect(a).toEqual(b);
    expect(a.admin).not.toBe(c.admin);
  });

  it('leave secrets out at every depth, so no password is kept even as a hash', () => {
    const a = fieldHashes({ admin: { username: 'ada', password: 'x', passwordConfirmation: 'x' } });
    const b = fieldHashes({ admin: { username: 'ada', password: 'y', passwordConfirmation: 'y' } });
    expect(a).toEqual(b);
    expect(fieldHashes({ currentPassword: 'a', newPassword: 'b' })).toEqual({});
  });

  it('leave out undefined fields', () => {
    expect(fieldHashes({ search: undefined, limit: 10 })).toEqual(fieldHashes({ limit: 10 }));
  });

  it('never keep the value itself', () => {
    expect(JSON.stringify(fieldHashes(payload))).not.toContain('Secret-pass-1!');
    expect(JSON.stringify(fieldHashes(payload))).not.toContain('tina');
  });
});
