import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_TYPES, MAX_FILE_MB_CEILING, type DocumentType } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../../api';
import { ErrorMessage, Field } from '../ui';
import { useCommand } from '../useCommand';
import { useToasts } from '../../stores/toasts';
import './documents.css';

/** The bank's document settings (Settings screen): the per-file limit and the allowed types. */
export function DocumentSettingsForm() {
  const { t } = useTranslation();
  const push = useToasts((s) => s.push);
  const save = useCommand('documents.settings.update');
  const [maxMb, setMaxMb] = useState('');
  const [types, setTypes] = useState<DocumentType[]>([]);
  const [loadError, setLoadError] = useState<ErrorPayload | null>(null);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    call('documents.settings.get', {})
      .then((s) => {
        setMaxMb(String(Math.floor(s.maxFileBytes / (1024 * 1024))));
        setTypes(s.allowedTypes);
        setLoaded(true);
      })
      .catch((err: unknown) => setLoadError(errorPayload(err)));
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const saved = await save.run({ maxFileMb: Number(maxMb), allowedTypes: types });
    if (saved) push('success', t('documents.settings.saved'));
  }

  return (
    <form className="card documents-settings" onSubmit={submit} aria-labelledby="document-settings-title">
      <h2 id="document-settings-title">{t('documents.settings.title')}</h2>
      <Field label={t('documents.settings.maxFileMb')}>
        {(id) => (
          <input
            id={id}
            name="maxFileMb"
            type="number"
            min={1}
            max={MAX_FILE_MB_CEILING}
            required
            disabled={!loaded}
            value={maxMb}
            onChange={(e) => setMaxMb(e.target.value)}
          />
        )}
      </Field>
      <fieldset disabled={!loaded}>
        <legend>{t('documents.settings.allowedTypes')}</legend>
        <div className="types">
          {DOCUMENT_TYPES.map((type) => (
            <label key={type.mime} className="check">
              <input
                type="checkbox"
                checked={types.includes(type.mime)}
                onChange={(e) =>
                  setTypes(e.target.checked ? [...types, type.mime] : types.filter((m) => m !== type.mime))
                }
              />
              {type.label}
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorMessage error={loadError ?? save.error} />
      <button type="submit" className="primary" disabled={!loaded || save.busy || types.length === 0}>
        {t('documents.settings.save')}
      </button>
    </form>
  );
}
