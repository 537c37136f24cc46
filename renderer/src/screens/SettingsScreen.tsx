import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { useToasts } from '../stores/toasts';
import { DocumentSettingsForm } from '../components/documents/DocumentSettingsForm';
import { DepositSettingsForm } from '../components/deposits/DepositSettingsForm';

export function SettingsScreen() {
  const { t } = useTranslation();
  const push = useToasts((s) => s.push);
  const { run, busy, error } = useCommand('bank.settings.update');
  const [idle, setIdle] = useState('');
  const [requireVerified, setRequireVerified] = useState(false);

  const [loadError, setLoadError] = useState<ErrorPayload | null>(null);
  useEffect(() => {
    call('bank.settings.get', {})
      .then((s) => {
        setIdle(String(s.idleLockMinutes));
        setRequireVerified(s.requireVerifiedCustomers);
      })
      .catch((err: unknown) => setLoadError(errorPayload(err)));
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const saved = await run({ idleLockMinutes: Number(idle), requireVerifiedCustomers: requireVerified });
    if (saved) push('success', t('settings.saved'));
  }

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <form className="card" onSubmit={submit}>
        <Field label={t('settings.idleLockMinutes')}>
          {(id) => (
            <input
              id={id}
              name="idleLockMinutes"
              type="number"
              min={1}
              max={240}
              required
              value={idle}
              onChange={(e) => setIdle(e.target.value)}
            />
          )}
        </Field>
        <label className="check">
          <input
            type="checkbox"
            name="requireVerifiedCustomers"
            checked={requireVerified}
            onChange={(e) => setRequireVerified(e.target.checked)}
          />
          {t('settings.requireVerifiedCustomers')}
        </label>
        <p className="hint">{t('settings.requireVerifiedHint')}</p>
        <ErrorMessage error={loadError ?? error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('common.save')}
        </button>
      </form>
      <DocumentSettingsForm />
      <DepositSettingsForm />
    </section>
  );
}
