import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OutboxEntryDto, OutboxStatus } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { ageOf } from '../components/offline/OfflineStatus';
import { useOffline } from '../stores/offline';

const STATUSES: OutboxStatus[] = ['queued', 'replaying', 'done', 'rejected'];

function Fate({ entry }: { entry: OutboxEntryDto }) {
  const { t } = useTranslation();
  return (
    <>
      <span className={`badge outbox-${entry.status}`}>{t(`offline.statuses.${entry.status}`)}</span>
      {entry.rejection ? (
        <div className="small rejection" data-testid="outbox-rejection">
          {t(`errors.${entry.rejection.code}`, entry.rejection.params)}
        </div>
      ) : null}
    </>
  );
}

/**
 * Every decision this user took on this workstation while the bank was away, and what became of
 * it: waiting, being sent, accepted by the bank, or refused with the bank's reason. Nothing is
 * ever removed from this list by the app.
 */
export function OutboxScreen() {
  const { t, i18n } = useTranslation();
  const version = useOffline((s) => s.outboxVersion);
  const status = useOffline((s) => s.status);
  const [entries, setEntries] = useState<OutboxEntryDto[]>([]);
  const [filter, setFilter] = useState<OutboxStatus | ''>('');
  const [error, setError] = useState<ErrorPayload | null>(null);
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });

  const load = useCallback(async () => {
    try {
      setEntries(await call('offline.outbox.list', filter ? { status: filter } : {}));
      setError(null);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, [filter]);

  useEffect(() => {
    void load();
  }, [load, version]);

  return (
    <section aria-labelledby="outbox-title">
      <header className="screen-header">
        <h1 id="outbox-title">{t('offline.outboxTitle')}</h1>
      </header>
      <p className="hint">{t('offline.outboxHint')}</p>
      {status && !status.localStore ? <p className="hint">{t('offline.noLocalStore')}</p> : null}
      <div className="filters" role="search">
        <Field label={t('offline.status')}>
          {(id) => (
            <select id={id} value={filter} onChange={(e) => setFilter(e.target.value as OutboxStatus | '')}>
              <option value="">{t('offline.allStatuses')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`offline.statuses.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={error} />
      <table className="grid outbox" aria-label={t('offline.outboxTitle')}>
        <thead>
          <tr>
            <th className="num">{t('offline.seq')}</th>
            <th>{t('offline.decidedAt')}</th>
            <th>{t('offline.decision')}</th>
            <th>{t('offline.process')}</th>
            <th>{t('offline.workstation')}</th>
            <th>{t('offline.fate')}</th>
            <th className="num">{t('offline.attempts')}</th>
            <th>{t('offline.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq} data-command={e.commandId} data-status={e.status}>
              <td className="num">{e.seq}</td>
              <td>{time.format(new Date(e.localTime))}</td>
              <td>
                {e.decision ? t(`offline.decisions.${e.decision}`) : e.procedure}
                {e.reason ? <div className="small">{e.reason}</div> : null}
                {e.signed ? <div className="small">{t('offline.signed')}</div> : null}
              </td>
              <td>
                {e.processId ? (
                  <Link to="/approvals" title={e.processId}>
                    <code>{e.processId.slice(0, 8)}</code>
                  </Link>
                ) : (
                  '—'
                )}
              </td>
              <td>{e.workstation}</td>
              <td>
                <Fate entry={e} />
              </td>
              <td className="num">{e.attempts}</td>
              <td title={time.format(new Date(e.updatedAt))}>{ageOf(e.updatedAt, i18n.language)}</td>
            </tr>
          ))}
          {entries.length === 0 ? (
            <tr>
              <td colSpan={8} className="empty">
                {t('offline.outboxEmpty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}
