import { useTranslation } from 'react-i18next';
import { Field } from '../ui';

export interface ConductorInput {
  name: string;
  idDocument: string;
  relationship: string;
}

export const NO_CONDUCTOR: ConductorInput = { name: '', idDocument: '', relationship: '' };

/** The counter's form keeps what was typed; the contract wants absent rather than empty fields. */
export function conductorPayload(c: ConductorInput) {
  return {
    name: c.name.trim(),
    ...(c.idDocument.trim() ? { idDocument: c.idDocument.trim() } : {}),
    ...(c.relationship.trim() ? { relationship: c.relationship.trim() } : {}),
  };
}

/** Who physically brings or takes large cash, for the currency transaction report. */
export function ConductorFields(props: { value: ConductorInput; onChange(value: ConductorInput): void }) {
  const { t } = useTranslation();
  const set = (key: keyof ConductorInput) => (e: { target: { value: string } }) =>
    props.onChange({ ...props.value, [key]: e.target.value });
  return (
    <fieldset data-testid="conductor">
      <legend>{t('cashControls.conductor.title')}</legend>
      <p className="hint">{t('cashControls.conductor.hint')}</p>
      <Field label={t('cashControls.conductor.name')}>
        {(id) => (
          <input
            id={id}
            name="conductor-name"
            maxLength={200}
            value={props.value.name}
            onChange={set('name')}
          />
        )}
      </Field>
      <Field label={t('cashControls.conductor.idDocument')}>
        {(id) => (
          <input
            id={id}
            name="conductor-id"
            maxLength={100}
            value={props.value.idDocument}
            onChange={set('idDocument')}
          />
        )}
      </Field>
      <Field label={t('cashControls.conductor.relationship')}>
        {(id) => (
          <input
            id={id}
            name="conductor-relationship"
            maxLength={100}
            value={props.value.relationship}
            onChange={set('relationship')}
          />
        )}
      </Field>
    </fieldset>
  );
}
