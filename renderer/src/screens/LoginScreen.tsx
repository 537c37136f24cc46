import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { useSession } from '../stores/session';

export function LoginScreen() {
  const { t } = useTranslation();
  const bankName = useSession((s) => s.info?.bankName);
  const setSession = useSession((s) => s.setSession);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSession(await call('session.login', { username, password }));
    } catch (err) {
      setError(errorPayload(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="centered" id="main">
      <form className="card" onSubmit={submit} aria-labelledby="login-title">
        <p className="bank-name">{bankName}</p>
        <h1 id="login-title">{t('login.title')}</h1>
        <Field label={t('login.username')}>
          {(id) => (
            <input
              id={id}
              name="username"
              autoFocus
              required
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('login.password')}>
          {(id) => (
            <input
              id={id}
              name="password"
              type="password"
              required
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('common.working') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
