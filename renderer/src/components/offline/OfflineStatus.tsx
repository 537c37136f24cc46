import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDistanceStrict } from 'date-fns';
import { es, enUS } from 'date-fns/locale';
import { useOffline, watchOffline } from '../../stores/offline';
import './offline.css';

/** "3 minutes ago", in the user's language. */
export function ageOf(iso: string, language: string, now = new Date()): string {
  return formatDistanceStrict(new Date(iso), now, {
    addSuffix: true,
    locale: language.startsWith('es') ? es : enUS,
  });
}

/**
 * The status bar's offline part: while the bank is not answering, how old the data on screen is
 * (the last good contact with the bank) and how many of the user's decisions wait in the outbox.
 */
export function OfflineStatus({ signedIn }: { signedIn: boolean }) {
  const { t, i18n } = useTranslation();
  const status = useOffline((s) => s.status);
  useEffect(() => watchOffline(), []);
  if (!signedIn || !status?.localStore) return null;
  const { connectivity, pending, rejected } = status;
  // After a restart while offline, the last contact is that of the inbox copy.
  const asOf = connectivity.lastOkAt ?? status.approvalsAsOf;
  return (
    <>
      {connectivity.state !== 'online' ? (
        <span data-testid="status-data-age" title={t('offline.dataAgeTitle')}>
          {asOf ? t('offline.dataAsOf', { age: ageOf(asOf, i18n.language) }) : t('offline.dataNever')}
        </span>
      ) : null}
      {pending > 0 || rejected > 0 ? (
        <Link to="/outbox" className="outbox-link" data-testid="status-outbox">
          {pending > 0 ? t('offline.pendingCount', { count: pending }) : null}
          {pending > 0 && rejected > 0 ? ' · ' : null}
          {rejected > 0 ? (
            <span className="rejected">{t('offline.rejectedCount', { count: rejected })}</span>
          ) : null}
        </Link>
      ) : null}
    </>
  );
}
