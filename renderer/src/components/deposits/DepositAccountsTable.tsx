import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DepositAccountDto } from '@shared/contract';
import { formatMoney } from '@shared/money';
import { AccountStatusBadge, ActivityBadge } from './badges';

/** Deposit accounts as a table: the bank-wide list (with holders) and a customer's own accounts. */
export function DepositAccountsTable({
  accounts,
  showHolder,
  testId,
}: {
  accounts: DepositAccountDto[];
  showHolder: boolean;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const money = (m: string) => formatMoney(m, 'USD', i18n.language);
  return (
    <table className="grid" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t('deposits.account')}</th>
          {showHolder ? <th scope="col">{t('deposits.holder')}</th> : null}
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
            {showHolder ? (
              <td>
                <Link to={`/customers/${a.holderId}`}>
                  {a.holderName} ({a.holderPublicId})
                </Link>
              </td>
            ) : null}
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
        {accounts.length === 0 ? (
          <tr>
            <td colSpan={showHolder ? 6 : 5}>{t('deposits.noAccounts')}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
