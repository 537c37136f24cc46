import type { Permission } from '@shared/permissions';

/** Every screen of the app: the navigation, the command palette and the router all read this list. */
export interface ScreenEntry {
  path: string;
  labelKey: string;
  /** Absent: any signed-in user. */
  permission?: Permission;
}

export const SCREENS: ScreenEntry[] = [
  { path: '/', labelKey: 'nav.home' },
  { path: '/customers', labelKey: 'nav.customers', permission: 'customer.read' },
  { path: '/prospects', labelKey: 'nav.prospects', permission: 'customer.read' },
  { path: '/deposit-accounts', labelKey: 'nav.depositAccounts', permission: 'deposit.read' },
  { path: '/users', labelKey: 'nav.users', permission: 'staff.read' },
  { path: '/audit', labelKey: 'nav.audit', permission: 'audit.read' },
  { path: '/chart', labelKey: 'nav.chart', permission: 'accounting.read' },
  { path: '/trial-balance', labelKey: 'nav.trialBalance', permission: 'accounting.read' },
  { path: '/ledger', labelKey: 'nav.ledger', permission: 'accounting.read' },
  { path: '/journal', labelKey: 'nav.journal', permission: 'accounting.read' },
  { path: '/manual', labelKey: 'nav.manual', permission: 'accounting.read' },
  { path: '/fiscal', labelKey: 'nav.fiscal', permission: 'accounting.read' },
  { path: '/integration', labelKey: 'nav.integration', permission: 'accounting.read' },
  { path: '/approvals', labelKey: 'nav.approvals', permission: 'governance.vote' },
  { path: '/committees', labelKey: 'nav.committees', permission: 'governance.read' },
  { path: '/policies', labelKey: 'nav.policies', permission: 'governance.read' },
  { path: '/processes', labelKey: 'nav.processes', permission: 'governance.read' },
  { path: '/outbox', labelKey: 'nav.outbox', permission: 'governance.vote' },
  { path: '/overrides', labelKey: 'nav.overrides', permission: 'override.give' },
  { path: '/cash-reports', labelKey: 'nav.cashReports', permission: 'cash-report.read' },
  { path: '/cash-limits', labelKey: 'nav.cashLimits', permission: 'cash-controls.manage' },
  { path: '/teller-journal', labelKey: 'nav.tellerJournal', permission: 'journal.read' },
  { path: '/my-journal', labelKey: 'nav.ownJournal', permission: 'deposit.operate' },
  { path: '/receipts/verify', labelKey: 'nav.receiptVerify', permission: 'deposit.read' },
  { path: '/settings', labelKey: 'nav.settings', permission: 'bank.settings.manage' },
  { path: '/counter', labelKey: 'nav.counter', permission: 'till.operate' },
  { path: '/till', labelKey: 'nav.till', permission: 'till.operate' },
  { path: '/branch-position', labelKey: 'nav.branchPosition', permission: 'till.supervise' },
  { path: '/branches', labelKey: 'nav.branches', permission: 'till.manage' },
];
