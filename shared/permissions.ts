/**
 * Roles and permissions: the one table in code that says who may do what. Every IPC procedure
 * names one permission (or 'public' / 'session'); the router enforces it and a test walks the whole
 * role x procedure matrix against this table. Modules add their permissions here as they land.
 */
export const ROLES = [
  'teller',
  'head_teller',
  'back_office',
  'supervisor',
  'accountant',
  'auditor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'staff.read',
  'staff.manage',
  'audit.read',
  'audit.verify',
  'bank.settings.manage',
  'accounting.read',
  'accounting.manage',
  'customer.read',
  'customer.manage',
  'customer.kyc',
  'customer.convertWithoutKyc',
  'document.read',
  'document.create',
  'document.download',
  'document.delete',
  'governance.read',
  'governance.manage',
  'governance.vote',
  'deposit.read',
  'deposit.operate',
  'deposit.manage',
  // Issue 6: the teller's day.
  'till.operate',
  'till.supervise',
  'till.manage',
  'journal.read',
  'override.give',
  'cash-controls.manage',
  'cash-report.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Not a permission: 'public' needs no session (setup, login); 'session' needs any signed-in user. */
export type Access = Permission | 'public' | 'session';

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  teller: ['customer.read', 'document.read', 'deposit.read', 'deposit.operate', 'till.operate'],
  // Reverting deposits and withdrawals corrects the books: back office, not the counter.
  head_teller: [
    'customer.read',
    'document.read',
    'deposit.read',
    'deposit.operate',
    'till.operate',
    'till.supervise',
    'journal.read',
    'override.give',
    'cash-report.read',
  ],
  back_office: [
    'customer.read',
    'customer.manage',
    'customer.kyc',
    'document.read',
    'document.create',
    'document.download',
    'document.delete',
    'deposit.read',
    'deposit.operate',
    'deposit.manage',
  ],
  supervisor: [
    'staff.read',
    'customer.read',
    'customer.convertWithoutKyc',
    'document.read',
    'document.download',
    'governance.read',
    'governance.vote',
    'deposit.read',
    'till.supervise',
    'journal.read',
    'override.give',
    'cash-report.read',
  ],
  accountant: ['accounting.read', 'accounting.manage', 'customer.read', 'deposit.read'],
  auditor: [
    'staff.read',
    'audit.read',
    'audit.verify',
    'accounting.read',
    'customer.read',
    'document.read',
    'document.download',
    'governance.read',
    'deposit.read',
    'journal.read',
    'cash-report.read',
  ],
  admin: [
    'staff.read',
    'staff.manage',
    'audit.read',
    'audit.verify',
    'bank.settings.manage',
    'accounting.read',
    'accounting.manage',
    'customer.read',
    'customer.manage',
    'customer.kyc',
    'customer.convertWithoutKyc',
    'document.read',
    'document.create',
    'document.download',
    'document.delete',
    'governance.read',
    'governance.manage',
    'governance.vote',
    'deposit.read',
    'deposit.operate',
    'deposit.manage',
    'till.operate',
    'till.supervise',
    'till.manage',
    'journal.read',
    'override.give',
    'cash-controls.manage',
    'cash-report.read',
  ],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role] ?? []) granted.add(p);
  return granted;
}

export function isAllowed(roles: readonly Role[], access: Access): boolean {
  if (access === 'public' || access === 'session') return true;
  return permissionsOf(roles).has(access);
}
