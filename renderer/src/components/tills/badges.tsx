import { useTranslation } from 'react-i18next';
import type { TillSessionDto } from '@shared/contract';

const TONE: Record<TillSessionDto['status'], string> = {
  opening: 'warn',
  open: 'active',
  awaiting_sign_off: 'failure',
  closed: '',
  cancelled: '',
};

/** A till's session status; no session reads as closed. */
export function SessionBadge({ status }: { status: TillSessionDto['status'] | null }) {
  const { t } = useTranslation();
  const shown = status ?? 'closed';
  return (
    <span className={`badge ${TONE[shown]}`.trim()} data-testid="session-status">
      {t(`tills.sessionStatus.${shown}`)}
    </span>
  );
}
