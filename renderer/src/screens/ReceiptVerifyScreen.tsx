import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceiptVerificationDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney, type MoneyCurrency } from '@shared/money';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import '../components/receipts/receipts.css';

function Facts({ journal }: { journal: NonNullable<ReceiptVerificationDto['journal']> }) {
  const { t, i18n } = useTranslation();
  const amount =
    journal.amount && journal.currency
      ? formatMoney(journal.amount, journal.currency as MoneyCurrency, i18n.language)
      : '';
  const at = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(
    new Date(journal.at),
  );
  const facts: [string, string][] = [
    [t('tellerJournal.kind'), t(`tellerJournal.kinds.${journal.kind}`, { defaultValue: journal.kind })],
    [t('tellerJournal.amount'), amount],
    [t('tellerJournal.account'), journal.accountPublicId],
    [t('receipts.customer'), `${journal.customerName} (${journal.customerPublicId})`],
    [t('tellerJournal.time'), at],
    [t('tellerJournal.teller'), journal.teller],
    [t('receipts.journalLine'), `${journal.businessDate} #${journal.sequence}`],
    [t('receipts.transaction'), journal.transactionId ?? ''],
  ];
  return (
    <dl className="verdict-facts" data-testid="receipt-facts">
      {facts.map(([label, value]) => (
        <div key={label} style={{ display: 'contents' }}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Checks a receipt a customer brings: scan its code (the scanner types it) or paste the text. */
export function ReceiptVerifyScreen() {
  const { t } = useTranslation();
  const [payload, setPayload] = useState('');
  const [result, setResult] = useState<ReceiptVerificationDto | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [busy, setBusy] = useState(false);

  async function verify(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await call('tellerJournal.receipts.verify', { payload }));
    } catch (err) {
      setError(errorPayload(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="receipt-verify-title">
      <header className="screen-header">
        <h1 id="receipt-verify-title">{t('receipts.verifyTitle')}</h1>
      </header>
      <p className="muted">{t('receipts.verifyHint')}</p>
      <form onSubmit={verify} className="filters receipt-verify-form">
        <Field label={t('receipts.payload')}>
          {(id) => (
            <input
              id={id}
              name="payload"
              maxLength={2000}
              required
              autoComplete="off"
              spellCheck={false}
              className="mono"
              value={payload}
              onChange={(e) => setPayload(e.target.value)}
            />
          )}
        </Field>
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy || !payload.trim()}>
            {t('receipts.verify')}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {result ? (
        <div
          className={result.verified ? 'banner ok' : 'banner bad'}
          role={result.verified ? 'status' : 'alert'}
          data-testid="receipt-verdict"
          data-verified={result.verified ? 'true' : 'false'}
        >
          <strong>{t(`receipts.reasons.${result.reason}`)}</strong>
          {result.mismatches.length ? (
            <p>
              {t('receipts.mismatches', {
                fields: result.mismatches
                  .map((f) => t(`receipts.fields.${f}`, { defaultValue: f }))
                  .join(', '),
              })}
            </p>
          ) : null}
          {result.journal ? (
            <>
              <p>{t('receipts.journalSays')}</p>
              <Facts journal={result.journal} />
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
