import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '@shared/errors';
import { ErrorMessage, ReasonField } from '../components/ui';
import type { CustomerHistoryItemDto, ProspectDto } from '@shared/contract';
import '../customers.css';

export function useFormatTime() {
  const { i18n } = useTranslation();
  return (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function StageBadge({ stage }: { stage: string }) {
  const { t } = useTranslation();
  return <span className={`badge ${stage}`}>{t(`customers.stage.${stage}`)}</span>;
}

export function KycBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge ${status}`}>{t(`customers.kyc.${status}`)}</span>;
}

/** The identity fields shared by a prospect's and a customer's page. */
export function IdentityDetails({ p }: { p: ProspectDto }) {
  const { t } = useTranslation();
  const none = t('customers.none');
  return (
    <dl className="details" data-testid="identity">
      <dt>{t('customers.fullName')}</dt>
      <dd>{p.fullName}</dd>
      <dt>{t('customers.type')}</dt>
      <dd>{t(`customers.types.${p.customerType}`)}</dd>
      <dt>{t('customers.email')}</dt>
      <dd>{p.email}</dd>
      <dt>{t('customers.telegramId')}</dt>
      <dd>{p.telegramId ?? none}</dd>
      <dt>
        {p.customerType === 'individual' ? t('customers.dateOfBirth') : t('customers.registrationDate')}
      </dt>
      <dd>{p.bornOrRegisteredOn ?? none}</dd>
      <dt>{t('customers.phone')}</dt>
      <dd>{p.phone ?? none}</dd>
      <dt>{t('customers.address')}</dt>
      <dd>{p.address ?? none}</dd>
      <dt>{t('customers.idDocument')}</dt>
      <dd>
        {p.idDocumentType
          ? `${t(`customers.idTypes.${p.idDocumentType}`)} · ${p.idDocumentNumber ?? ''}`
          : none}
      </dd>
      <dt>{t('customers.kycStatus')}</dt>
      <dd>
        <KycBadge status={p.kycStatus} />
        {p.kycLevel === 'basic' ? <span className="badge">{t('customers.kycLevelBasic')}</span> : null}
      </dd>
    </dl>
  );
}

export function Reviews({ p }: { p: ProspectDto }) {
  const { t } = useTranslation();
  const time = useFormatTime();
  return (
    <section aria-labelledby="reviews-title">
      <h2 id="reviews-title">{t('customers.reviews')}</h2>
      {p.reviews.length === 0 ? <p className="hint">{t('customers.noReviews')}</p> : null}
      <table hidden={p.reviews.length === 0} className="grid history">
        <thead>
          <tr>
            <th>{t('customers.when')}</th>
            <th>{t('customers.outcome')}</th>
            <th>{t('customers.by')}</th>
            <th>{t('customers.reasons')}</th>
          </tr>
        </thead>
        <tbody>
          {p.reviews.map((r) => (
            <tr key={r.id}>
              <td>{time(r.decidedAt)}</td>
              <td>{t(`customers.outcomes.${r.outcome}`)}</td>
              <td>{r.source === 'provider' ? t('customers.provider') : (r.decidedBy ?? '')}</td>
              <td>
                {r.reasons.map((x) => t(`customers.declineReasons.${x}`, { defaultValue: x })).join(', ')}
                {r.comment ? ` — ${r.comment}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The audit records naming this prospect or customer, newest first. */
export function History({ items }: { items: CustomerHistoryItemDto[] }) {
  const { t } = useTranslation();
  const time = useFormatTime();
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('customers.history')}</h2>
      <table className="grid history" data-testid="history">
        <thead>
          <tr>
            <th>{t('customers.when')}</th>
            <th>{t('customers.action')}</th>
            <th>{t('customers.by')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((h) => (
            <tr key={h.id}>
              <td>{time(h.occurredAt)}</td>
              <td>
                {t(`customers.actions.${h.action}`, {
                  defaultValue:
                    typeof h.metadata.event === 'string'
                      ? t(`customers.events.${h.metadata.event}`, { defaultValue: h.action })
                      : h.action,
                })}
                {typeof h.metadata.reason === 'string' ? ` — ${h.metadata.reason}` : ''}
              </td>
              <td>{h.actorUsername ?? ''}</td>
            </tr>
          ))}
          {items.length === 0 ? (
            <tr>
              <td colSpan={3}>{t('customers.noHistory')}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

/** A form asking for a required reason (close, freeze, conversion without verification). */
export function ReasonForm({
  name,
  submitLabel,
  danger,
  busy,
  error,
  onSubmit,
}: {
  name: string;
  submitLabel: string;
  danger?: boolean;
  busy: boolean;
  error: ErrorPayload | null;
  onSubmit: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <form
      aria-label={submitLabel}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(reason);
      }}
    >
      <ReasonField value={reason} onChange={setReason} name={name} />
      <ErrorMessage error={error} />
      <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
