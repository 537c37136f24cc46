import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, PasswordFeedback } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function SetupScreen() {
  const { t } = useTranslation();
  const refresh = useSession((s) => s.refresh);
  const push = useToasts((s) => s.push);
  const { run, busy, error } = useCommand('setup.createBank');
  const [form, setForm] = useState({
    bankName: '',
    businessDate: today(),
    fullName: '',
    username: '',
    password: '',
    passwordConfirmation: '',
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  const mismatch = form.passwordConfirmation !== '' && form.password !== form.passwordConfirmation;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await run({
      bankName: form.bankName,
      businessDate: form.businessDate,
      admin: {
        fullName: form.fullName,
        username: form.username,
        password: form.password,
        passwordConfirmation: form.passwordConfirmation,
      },
    });
    if (ok) {
      push('success', t('setup.done'));
      await refresh();
    }
  }

  return (
    <main className="centered" id="main">
      <form className="card wide" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">{t('setup.title')}</h1>
        <p>{t('setup.intro')}</p>
        <fieldset>
          <legend>{t('setup.bankSection')}</legend>
          <Field label={t('setup.bankName')}>
            {(id) => (
              <input
                id={id}
                name="bankName"
                required
                maxLength={120}
                value={form.bankName}
                onChange={set('bankName')}
              />
            )}
          </Field>
          <div className="row">
            <Field label={t('setup.baseCurrency')}>{(id) => <input id={id} value="USD" readOnly />}</Field>
            <Field label={t('setup.businessDate')}>
              {(id) => (
                <input
                  id={id}
                  name="businessDate"
                  type="date"
                  required
                  value={form.businessDate}
                  onChange={set('businessDate')}
                />
              )}
            </Field>
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('setup.adminSection')}</legend>
          <Field label={t('setup.fullName')}>
            {(id) => (
              <input
                id={id}
                name="fullName"
                required
                maxLength={120}
                value={form.fullName}
                onChange={set('fullName')}
              />
            )}
          </Field>
          <Field label={t('setup.username')}>
            {(id) => (
              <input
                id={id}
                name="username"
                required
                maxLength={64}
                autoComplete="username"
                value={form.username}
                onChange={set('username')}
              />
            )}
          </Field>
          <Field
            label={t('setup.password')}
            hint={<PasswordFeedback password={form.password} username={form.username} />}
          >
            {(id) => (
              <input
                id={id}
                name="password"
                type="password"
                required
                autoComplete="new-password"
                value={form.password}
                onChange={set('password')}
              />
            )}
          </Field>
          <Field label={t('setup.passwordConfirmation')} hint={mismatch ? t('password.mismatch') : undefined}>
            {(id) => (
              <input
                id={id}
                name="passwordConfirmation"
                type="password"
                required
                autoComplete="new-password"
                aria-invalid={mismatch}
                value={form.passwordConfirmation}
                onChange={set('passwordConfirmation')}
              />
            )}
          </Field>
        </fieldset>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('common.working') : t('setup.submit')}
        </button>
      </form>
    </main>
  );
}
