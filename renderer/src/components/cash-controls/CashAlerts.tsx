import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { getBridge } from '../../api';
import { can, useSession } from '../../stores/session';
import { useToasts } from '../../stores/toasts';

/**
 * Wherever a supervisor is in the app, a new override request or a possible-structuring warning
 * (NOTIFY at commit, carried as an approvals change) shows as a toast; the screens hold the detail.
 */
export function CashAlerts() {
  const { t } = useTranslation();
  const push = useToasts((s) => s.push);
  const session = useSession((s) => s.session);
  const mayGive = can(session, 'override.give');
  const mayRead = can(session, 'cash-report.read');
  useEffect(() => {
    if (!mayGive && !mayRead) return;
    return getBridge().subscribe((event, payload) => {
      if (event !== 'approvals.changed' || useSession.getState().session?.locked) return;
      const { type, status } = (payload ?? {}) as { type?: string; status?: string };
      if (mayGive && type === 'cash-override' && status === 'pending')
        push('info', t('cashControls.alerts.overrideRequested'));
      if (mayRead && type === 'cash-report' && status === 'structuring')
        push('info', t('cashControls.alerts.structuring'));
    });
  }, [mayGive, mayRead, push, t]);
  return null;
}
