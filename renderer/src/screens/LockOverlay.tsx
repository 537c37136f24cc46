import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { useSession } from '../stores/session';

/**
 * Covers the screen while the workstation is locked. The screen underneath stays mounted (a half-
 * filled form survives), but it is inert and hidden, so nothing on it can be read or reached.
 */
export function LockOverlay({ onLogout }: { onLogout: () => void }) {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const setSession = useSession((s) => s.setSession);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSession(await call('session.unlock', { password }));
    } catch (err) {
      setError(errorPayload(err));
    } finally {
      setPassword('');
      setBusy(false);
    }
  }

  return (
    <div className="lock-overlay" role="dialog" aria-modal="true" aria-labelledby="lock-title">
      <form className="card" onSubmit={submit}>
        <h1 id="lock-title">{t('lock.title')}</h1>
        <p>{t('lock.explain', { name: session?.fullName ?? '' })}</p>
        <Field label={t('lock.password')}>
          {(id) => (
            <input
              id={id}
              name="unlockPassword"
              type="password"
              autoFocus
              required
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {t('lock.unlock')}
          </button>
          <button type="button" onClick={onLogout}>
            {t('lock.switchUser')}
          </button>
        </div>
      </form>
    </div>
  );
}
