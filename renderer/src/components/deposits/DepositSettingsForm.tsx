import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../../api';
import { ErrorMessage, Field } from '../ui';
import { useCommand } from '../useCommand';
import { can, useSession } from '../../stores/session';
import { useToasts } from '../../stores/toasts';

/** The dormancy thresholds (Settings screen) and "Classify now" for today's business date. */
export function DepositSettingsForm() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const save = useCommand('deposits.settings.set');
  const classify = useCommand('deposits.activity.classify');
  const [inactiveDays, setInactiveDays] = useState('');
  const [escheatableDays, setEscheatableDays] = useState('');
  const [loadError, setLoadError] = useState<ErrorPayload | null>(null);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    call('deposits.settings.get', {})
      .then((s) => {
        setInactiveDays(String(s.inactiveDays));
        setEscheatableDays(String(s.escheatableDays));
        setLoaded(true);
      })
      .catch((err: unknown) => setLoadError(errorPayload(err)));
  }, []);

  if (!can(session, 'deposit.manage')) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const saved = await save.run({
      inactiveDays: Number(inactiveDays),
      escheatableDays: Number(escheatableDays),
    });
    if (saved) push('success', t('deposits.settings.saved'));
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="deposit-settings-title">
      <h2 id="deposit-settings-title">{t('deposits.settings.title')}</h2>
      <Field label={t('deposits.settings.inactiveDays')}>
        {(id) => (
          <input
            id={id}
            name="inactiveDays"
            type="number"
            min={1}
            max={100000}
            required
            disabled={!loaded}
            value={inactiveDays}
            onChange={(e) => setInactiveDays(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('deposits.settings.escheatableDays')}>
        {(id) => (
          <input
            id={id}
            name="escheatableDays"
            type="number"
            min={1}
            max={100000}
            required
            disabled={!loaded}
            value={escheatableDays}
            onChange={(e) => setEscheatableDays(e.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={loadError ?? save.error ?? classify.error} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={!loaded || save.busy}>
          {t('deposits.settings.save')}
        </button>
        <button
          type="button"
          disabled={classify.busy}
          onClick={async () => {
            const out = await classify.run({});
            if (out)
              push(
                'success',
                t('deposits.settings.classified', {
                  accounts: out.accounts,
                  changed: out.changed,
                  date: out.businessDate,
                }),
              );
          }}
        >
          {t('deposits.settings.classifyNow')}
        </button>
      </div>
    </form>
  );
}
