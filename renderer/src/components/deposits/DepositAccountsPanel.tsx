import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerDto, DepositAccountDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../../api';
import { ErrorMessage } from '../ui';
import { useCommand } from '../useCommand';
import { can, useSession } from '../../stores/session';
import { useToasts } from '../../stores/toasts';
import { DepositAccountsTable } from './DepositAccountsTable';
import './deposits.css';

/** The customer page's deposit accounts: the list, or the banner with "Open deposit account". */
export function DepositAccountsPanel({
  customer,
  requestedAt,
}: {
  customer: CustomerDto;
  requestedAt: string;
}) {
  const { t } = useTranslation();
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
        <DepositAccountsTable accounts={accounts} showHolder={false} testId="customer-deposit-accounts" />
      ) : null}
    </section>
  );
}
