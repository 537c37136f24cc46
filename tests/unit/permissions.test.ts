import { describe, expect, it } from 'vitest';
import {
  isAllowed,
  PERMISSIONS,
  permissionsOf,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
} from '../../shared/permissions';
import { procedures } from '../../shared/contract';

describe('roles and permissions', () => {
  it('the bank has seven roles', () => {
    expect([...ROLES].sort()).toEqual(
      ['accountant', 'admin', 'auditor', 'back_office', 'head_teller', 'supervisor', 'teller'].sort(),
    );
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
  });

  it('an administrator holds every permission', () => {
    expect([...permissionsOf(['admin'])].sort()).toEqual([...PERMISSIONS].sort());
  });

  it('every permission is held by some role, and every granted permission exists', () => {
    const granted = new Set(Object.values(ROLE_PERMISSIONS).flat());
    expect([...granted].sort()).toEqual([...PERMISSIONS].sort());
  });

  it('an auditor reads and verifies, and manages nothing', () => {
    const auditor = permissionsOf(['auditor']);
    expect(auditor.has('audit.read')).toBe(true);
    expect(auditor.has('audit.verify')).toBe(true);
    expect(auditor.has('staff.read')).toBe(true);
    // Downloading a document is reading it (and is audited like any command).
    const reads = new Set<string>(['audit.verify', 'document.download']);
    expect([...auditor].filter((p) => !p.endsWith('.read') && !reads.has(p))).toEqual([]);
  });

  it('a teller finds customers, reads their documents, takes deposits and withdrawals, and holds no back-office permission', () => {
    expect([...permissionsOf(['teller'])].sort()).toEqual([
      'customer.read',
      'deposit.operate',
      'deposit.read',
      'document.read',
      'till.operate',
    ]);
  });

  it('a user with several roles holds the union of their permissions', () => {
    const both = permissionsOf(['supervisor', 'auditor']);
    expect([...both].sort()).toEqual(
      [...new Set([...ROLE_PERMISSIONS.supervisor, ...ROLE_PERMISSIONS.auditor])].sort(),
    );
    expect(both.size).toBeGreaterThan(permissionsOf(['supervisor']).size);
    expect(permissionsOf([]).size).toBe(0);
  });

  it("'public' and 'session' are open to any caller; the router checks the session itself", () => {
    expect(isAllowed([], 'public')).toBe(true);
    expect(isAllowed([], 'session')).toBe(true);
    expect(isAllowed(['teller'], 'session')).toBe(true);
  });

  it('a user without roles holds no permission', () => {
    for (const p of PERMISSIONS) expect(isAllowed([], p)).toBe(false);
  });

  it('isAllowed agrees with the table for every role and permission', () => {
    for (const role of ROLES) {
      for (const p of PERMISSIONS) {
        expect(isAllowed([role], p), `${role} ${p}`).toBe(ROLE_PERMISSIONS[role].includes(p as Permission));
      }
    }
  });

  it('every procedure names a known permission, public or session', () => {
    const known = new Set<string>([...PERMISSIONS, 'public', 'session']);
    for (const [name, def] of Object.entries(procedures)) expect(known.has(def.access), name).toBe(true);
  });

  it('only sign-in, setup and status are open without a session', () => {
    const open = Object.entries(procedures)
      .filter(([, def]) => def.access === 'public')
      .map(([name]) => name)
      .sort();
    expect(open).toEqual([
      'session.current',
      'session.login',
      'setup.createBank',
      'system.connectivity',
      'system.info',
    ]);
  });
});
