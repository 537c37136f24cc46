import { useTranslation } from 'react-i18next';
import { LANGUAGES, rememberLanguage, type Language } from '../i18n';
import { connectionState, useSession } from '../stores/session';
import { OfflineStatus } from './offline/OfflineStatus';

export function StatusBar({ onLock, onLogout }: { onLock?: () => void; onLogout?: () => void }) {
  const { t, i18n } = useTranslation();
  const info = useSession((s) => s.info);
  const session = useSession((s) => s.session);
  const link = useSession((s) => s.link);
  const database = useSession((s) => s.database);
  const state = connectionState(link, database);
  const since = database?.since
    ? new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(new Date(database.since))
    : '';
  const businessDate = info?.businessDate
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(`${info.businessDate}T00:00:00Z`),
      )
    : '—';

  return (
    <footer className="status-bar" aria-label={t('status.bar')}>
      <span title={t('status.bank')} data-testid="status-bank">
        {info?.bankName ?? '—'}
      </span>
      <span title={t('status.businessDate')} data-testid="status-business-date">
        {t('status.businessDate')}: {businessDate}
      </span>
      {session ? (
        <span title={t('status.user')} data-testid="status-user">
          {session.fullName} ({session.username})
        </span>
      ) : null}
      <span title={t('status.workstation')} data-testid="status-workstation">
        {info?.workstation ?? '—'}
      </span>
      <span
        className={`conn ${state}`}
        title={t('status.connection')}
        data-testid="status-connection"
        data-state={state}
      >
        ● {t(`status.${state}`)} {state !== 'online' && since ? t('status.since', { time: since }) : ''}
      </span>
      <OfflineStatus signedIn={session !== null && !session.locked && !session.mustChangePassword} />
      <span className="spacer" />
      <label className="lang">
        <span className="sr-only">{t('status.language')}</span>
        <select
          aria-label={t('status.language')}
          name="language"
          value={i18n.language}
          onChange={(e) => rememberLanguage(e.target.value as Language)}
        >
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t(`language.${l}`)}
            </option>
          ))}
        </select>
      </label>
      {onLock ? (
        <button type="button" className="link" onClick={onLock}>
          {t('status.lock')}
        </button>
      ) : null}
      {onLogout ? (
        <button type="button" className="link" onClick={onLogout}>
          {t('status.logout')}
        </button>
      ) : null}
    </footer>
  );
}
