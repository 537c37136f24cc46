import { useTranslation } from 'react-i18next';
import { Field } from '../ui';

export const METHODS = ['cash', 'wire', 'check', 'internal'] as const;
export type Method = (typeof METHODS)[number];

/**
 * Amount, method and reference of a deposit or withdrawal: the same three fields on the deposit
 * account screen and at the counter. The amount takes focus: it is what the operator types first.
 */
export function MovementFields(props: {
  amount: string;
  onAmount: (value: string) => void;
  /** The amount was refused as typed (shown with aria-invalid until it changes). */
  invalid: boolean;
  /** An amount as the operator's language writes it, for the hint. */
  example: string;
  method: Method;
  onMethod: (value: Method) => void;
  reference: string;
  onReference: (value: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('deposits.amount')} hint={t('deposits.amountHint', { example: props.example })}>
        {(id) => (
          <input
            id={id}
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            autoFocus
            required
            aria-invalid={props.invalid}
            value={props.amount}
            onChange={(e) => props.onAmount(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('deposits.methodLabel')}>
        {(id) => (
          <select
            id={id}
            name="method"
            value={props.method}
            onChange={(e) => props.onMethod(e.target.value as Method)}
          >
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
            value={props.reference}
            onChange={(e) => props.onReference(e.target.value)}
          />
        )}
      </Field>
    </>
  );
}
