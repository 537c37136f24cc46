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
  { path: '/users', labelKey: 'nav.users', permission: 'staff.read' },
  { path: '/audit', labelKey: 'nav.audit', permission: 'audit.read' },
  { path: '/chart', labelKey: 'nav.chart', permission: 'accounting.read' },
  { path: '/trial-balance', labelKey: 'nav.trialBalance', permission: 'accounting.read' },
  { path: '/ledger', labelKey: 'nav.ledger', permission: 'accounting.read' },
  { path: '/journal', labelKey: 'nav.journal', permission: 'accounting.read' },
  { path: '/manual', labelKey: 'nav.manual', permission: 'accounting.read' },
  { path: '/fiscal', labelKey: 'nav.fiscal', permission: 'accounting.read' },
  { path: '/integration', labelKey: 'nav.integration', permission: 'accounting.read' },
  { path: '/settings', labelKey: 'nav.settings', permission: 'bank.settings.manage' },
];
