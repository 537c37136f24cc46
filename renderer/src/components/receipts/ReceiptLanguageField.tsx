import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerDto } from '@shared/contract';
import { ErrorMessage } from '../ui';
import { useCommand } from '../useCommand';

/**
 * The language the customer's receipts are printed in, as a row of the customer's details (a
 * <dt>/<dd> pair). Back office changes it in place; others read it.
 */
export function ReceiptLanguageField(props: {
  customer: CustomerDto;
  editable: boolean;
  onChanged: (next: CustomerDto) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const set = useCommand('customer.setLanguage');
  const value = props.customer.preferredLanguage ?? '';
  return (
    <>
      <dt>
        <label htmlFor={id}>{t('receipts.language')}</label>
      </dt>
      <dd>
        {props.editable ? (
          <select
            id={id}
            name="preferredLanguage"
            value={value}
            disabled={set.busy}
            onChange={async (e) => {
              const next = await set.run({
                id: props.customer.id,
                preferredLanguage: (e.target.value || null) as 'en' | 'es' | null,
              });
              if (next) props.onChanged(next);
            }}
          >
            <option value="">{t('receipts.languageDefault')}</option>
            <option value="en">{t('receipts.languages.en')}</option>
            <option value="es">{t('receipts.languages.es')}</option>
          </select>
        ) : (
          <span id={id}>{value ? t(`receipts.languages.${value}`) : t('receipts.languageDefault')}</span>
        )}
        <ErrorMessage error={set.error} />
      </dd>
    </>
  );
}
