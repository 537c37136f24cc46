import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DepositAccountDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { AccountStatusBadge, ActivityBadge } from '../components/deposits/badges';
import '../components/deposits/deposits.css';

const STATUSES = ['active', 'inactive', 'frozen', 'closed'] as const;
const ACTIVITIES = ['active', 'inactive', 'escheatable'] as const;
const PAGE = 50;

/** Every deposit account, by operational status and by activity (dormancy). */
export function DepositAccountsScreen() {
  const { t, i18n } = useTranslation();
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

  const money = (m: string) => formatMoney(m, 'USD', i18n.language);
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
      <table className="grid" data-testid="deposit-accounts">
        <thead>
          <tr>
            <th scope="col">{t('deposits.account')}</th>
            <th scope="col">{t('deposits.holder')}</th>
            <th scope="col">{t('deposits.status')}</th>
            <th scope="col">{t('deposits.activityStatus')}</th>
            <th scope="col" className="num">
              {t('deposits.settled')}
            </th>
            <th scope="col" className="num">
              {t('deposits.pending')}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <td>
                <Link to={`/deposit-accounts/${a.id}`}>{a.publicId}</Link>
              </td>
              <td>
                <Link to={`/customers/${a.holderId}`}>
                  {a.holderName} ({a.holderPublicId})
                </Link>
              </td>
              <td>
                <AccountStatusBadge status={a.status} />
              </td>
              <td>
                <ActivityBadge status={a.activityStatus} />
              </td>
              <td className="num">{money(a.settled)}</td>
              <td className="num">{money(a.pending)}</td>
            </tr>
          ))}
          {items.length === 0 ? (
            <tr>
              <td colSpan={6}>{t('deposits.noAccounts')}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {items.length < total ? (
        <button type="button" onClick={() => void load(items.length)}>
          {t('common.loadMore')}
        </button>
      ) : null}
    </section>
  );
}
