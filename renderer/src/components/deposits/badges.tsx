import { useTranslation } from 'react-i18next';
import type { DepositAccountDto, WithdrawalDto } from '@shared/contract';

const ACCOUNT_TONE = { active: 'active', inactive: 'warn', frozen: 'warn', closed: 'disabled' } as const;
const ACTIVITY_TONE = { active: 'active', inactive: 'warn', escheatable: 'failure' } as const;
const WITHDRAWAL_TONE: Record<WithdrawalDto['status'], string> = {
  pending_approval: 'warn',
  pending_confirmation: 'success',
  confirmed: 'active',
  denied: 'denied',
  cancelled: 'disabled',
  reverted: 'disabled',
};

/** Operational status (an operator's decision): "Inactive (operator hold)", never "Dormant". */
export function AccountStatusBadge({ status }: { status: DepositAccountDto['status'] }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${ACCOUNT_TONE[status]}`} data-testid="account-status">
      {t(`deposits.statusLabel.${status}`)}
    </span>
  );
}

/** Activity status (computed from the last customer activity): "Dormant", never "Inactive". */
export function ActivityBadge({ status }: { status: DepositAccountDto['activityStatus'] }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${ACTIVITY_TONE[status]}`} data-testid="activity-status">
      {t(`deposits.activity.${status}`)}
    </span>
  );
}

export function WithdrawalBadge({ status }: { status: WithdrawalDto['status'] }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${WITHDRAWAL_TONE[status]}`} data-testid="withdrawal-status">
      {t(`deposits.withdrawalLabel.${status}`)}
    </span>
  );
}
