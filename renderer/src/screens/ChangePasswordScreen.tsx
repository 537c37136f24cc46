import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, PasswordFeedback } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';

export function ChangePasswordScreen() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const setSession = useSession((s) => s.setSession);
  const push = useToasts((s) => s.push);
  const { run, busy, error } = useCommand('session.changePassword');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat !== '' && next !== repeat;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (next !== repeat) return;
    const updated = await run({ currentPassword: current, newPassword: next });
    if (updated) {
      push('success', t('changePassword.done'));
      setSession(updated);
    }
  }

  return (
    <main className="centered" id="main">
      <form className="card" onSubmit={submit} aria-labelledby="cp-title">
        <h1 id="cp-title">{t('changePassword.title')}</h1>
        <p>{t('changePassword.explain')}</p>
        <Field label={t('changePassword.current')}>
          {(id) => (
            <input
              id={id}
              name="currentPassword"
              type="password"
              required
              autoFocus
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          )}
        </Field>
        <Field
          label={t('changePassword.new')}
          hint={<PasswordFeedback password={next} username={session?.username ?? ''} />}
        >
          {(id) => (
            <input
              id={id}
              name="newPassword"
              type="password"
              required
              autoComplete="new-password"
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('changePassword.repeat')} hint={mismatch ? t('password.mismatch') : undefined}>
          {(id) => (
            <input
              id={id}
              name="repeatPassword"
              type="password"
              required
              autoComplete="new-password"
              aria-invalid={mismatch}
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy || mismatch}>
          {t('changePassword.submit')}
        </button>
      </form>
    </main>
  );
}
