import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DepositAccountDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { DepositAccountsTable } from '../components/deposits/DepositAccountsTable';
import '../components/deposits/deposits.css';

const STATUSES = ['active', 'inactive', 'frozen', 'closed'] as const;
const ACTIVITIES = ['active', 'inactive', 'escheatable'] as const;
const PAGE = 50;

/** Every deposit account, by operational status and by activity (dormancy). */
export function DepositAccountsScreen() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'' | DepositAccountDto['status']>('');
  const [activity, setActivity] = useState<'' | DepositAccountDto['activityStatus']>('');
  const [items, setItems] = useState<DepositAccountDto[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const load = useCallback(
    async (offset: number) => {
      setError(null);
      try {
        const page = await call('deposits.accounts.list', {
          ...(status ? { status } : {}),
          ...(activity ? { activityStatus: activity } : {}),
          offset,
          limit: PAGE,
        });
        setItems((prev) => (offset === 0 ? page.items : [...prev, ...page.items]));
        setTotal(page.total);
      } catch (err) {
        setError(errorPayload(err));
      }
    },
    [status, activity],
  );
  useEffect(() => {
    void load(0);
  }, [load]);

  return (
    <section aria-labelledby="deposit-accounts-title">
      <header className="screen-header">
        <h1 id="deposit-accounts-title">{t('deposits.accountsTitle')}</h1>
      </header>
      <div className="filters" role="search">
        <Field label={t('deposits.status')}>
          {(id) => (
            <select
              id={id}
              name="status"
              value={status}
              onChange={(e) => setStatus(e.target.value as typeof status)}
            >
              <option value="">{t('deposits.any')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`deposits.statusLabel.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('deposits.activityStatus')}>
          {(id) => (
            <select
              id={id}
              name="activity"
              value={activity}
              onChange={(e) => setActivity(e.target.value as typeof activity)}
            >
              <option value="">{t('deposits.any')}</option>
              {ACTIVITIES.map((s) => (
                <option key={s} value={s}>
                  {t(`deposits.activity.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={error} />
      <p className="hint">{t('deposits.statusHint')}</p>
      <DepositAccountsTable accounts={items} showHolder testId="deposit-accounts" />
      {items.length < total ? (
        <button type="button" onClick={() => void load(items.length)}>
          {t('common.loadMore')}
        </button>
      ) : null}
    </section>
  );
}
