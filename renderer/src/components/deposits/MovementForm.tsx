import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DepositAccountDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { ErrorMessage, Field } from '../ui';
import { parseAmount } from './amount';

export const METHODS = ['cash', 'wire', 'check', 'internal'] as const;
export type Method = (typeof METHODS)[number];

/** Amount, method and reference of a deposit or a withdrawal; the amount is checked before calling. */
export function MovementForm({
  kind,
  account,
  busy,
  error,
  onSubmit,
}: {
  kind: 'deposit' | 'withdraw';
  account: DepositAccountDto;
  busy: boolean;
  error: ErrorPayload | null;
  onSubmit: (input: { amount: string; method: Method; reference?: string }) => void;
}) {
  const { t, i18n } = useTranslation();
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<Method>('cash');
  const [reference, setReference] = useState('');
  const [invalid, setInvalid] = useState(false);
  const example = i18n.language.startsWith('es') ? '1234,56' : '1234.56';

  function submit(e: FormEvent) {
    e.preventDefault();
    const minor = parseAmount(amount, i18n.language);
    setInvalid(minor === null);
    if (minor === null) return;
    onSubmit({ amount: minor, method, ...(reference.trim() ? { reference: reference.trim() } : {}) });
  }

  const label = kind === 'deposit' ? t('deposits.recordDeposit') : t('deposits.initiateWithdrawal');
  return (
    <form aria-label={label} onSubmit={submit} noValidate>
      {kind === 'withdraw' ? (
        <p className="hint">
          {t('deposits.availableNow', { amount: formatMoney(account.settled, 'USD', i18n.language) })}
        </p>
      ) : null}
      <Field label={t('deposits.amount')} hint={t('deposits.amountHint', { example })}>
        {(id) => (
          <input
            id={id}
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            autoFocus
            required
            aria-invalid={invalid}
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              setInvalid(false);
            }}
          />
        )}
      </Field>
      <Field label={t('deposits.methodLabel')}>
        {(id) => (
          <select id={id} name="method" value={method} onChange={(e) => setMethod(e.target.value as Method)}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`deposits.method.${m}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('deposits.reference')}>
        {(id) => (
          <input
            id={id}
            name="reference"
            maxLength={200}
            value={reference}
            onChange={(e) => setReference(e.target.value)}
          />
        )}
      </Field>
      {invalid ? (
        <div className="error" role="alert" data-error-code="AMOUNT_FORMAT">
          {t('deposits.amountFormat', { example })}
        </div>
      ) : null}
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {label}
      </button>
    </form>
  );
}
