import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CustomerDto, DepositAccountDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../../api';
import { ErrorMessage } from '../ui';
import { useCommand } from '../useCommand';
import { can, useSession } from '../../stores/session';
import { useToasts } from '../../stores/toasts';
import { AccountStatusBadge, ActivityBadge } from './badges';
import './deposits.css';

/** The customer page's deposit accounts: the list, or the banner with "Open deposit account". */
export function DepositAccountsPanel({
  customer,
  requestedAt,
}: {
  customer: CustomerDto;
  requestedAt: string;
}) {
  const { t, i18n } = useTranslation();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const open = useCommand('deposits.accounts.open');
  const [accounts, setAccounts] = useState<DepositAccountDto[] | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const readable = can(session, 'deposit.read');

  const load = useCallback(async () => {
    if (!readable) return;
    try {
      setAccounts(await call('deposits.accounts.ofCustomer', { customerId: customer.id }));
    } catch (err) {
      setError(errorPayload(err));
    }
  }, [customer.id, readable]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!readable) return null;
  const money = (m: string) => formatMoney(m, 'USD', i18n.language);
  return (
    <section aria-labelledby="deposit-accounts-title" className="deposit-accounts-panel">
      <h2 id="deposit-accounts-title">{t('deposits.accountsTitle')}</h2>
      <ErrorMessage error={error ?? open.error} />
      {accounts && accounts.length === 0 && customer.status !== 'closed' ? (
        <div className="banner info" data-testid="deposit-banner">
          <span>{t('customers.noDepositAccount', { date: requestedAt })}</span>
          {can(session, 'deposit.manage') ? (
            <button
              type="button"
              className="primary"
              disabled={open.busy || customer.status !== 'active'}
              onClick={async () => {
                const a = await open.run({ customerId: customer.id });
                if (a) {
                  push('success', t('deposits.opened', { publicId: a.publicId }));
                  void load();
                }
              }}
            >
              {t('customers.openDepositAccount')}
            </button>
          ) : null}
        </div>
      ) : null}
      {accounts && accounts.length > 0 ? (
        <table className="grid" data-testid="customer-deposit-accounts">
          <thead>
            <tr>
              <th scope="col">{t('deposits.account')}</th>
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
            {accounts.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/deposit-accounts/${a.id}`}>{a.publicId}</Link>
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
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
