import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '@shared/permissions';
import type { StaffUserDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field, Modal, PasswordFeedback, ReasonField } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';

type Dialog =
  | { kind: 'create' }
  | { kind: 'roles'; user: StaffUserDto }
  | { kind: 'disable'; user: StaffUserDto }
  | { kind: 'reset'; user: StaffUserDto };

function RolePicker({ value, onChange }: { value: Role[]; onChange: (r: Role[]) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="roles">
      <legend>{t('users.roles')}</legend>
      {ROLES.map((role) => (
        <label key={role} className="check">
          <input
            type="checkbox"
            name={`role-${role}`}
            checked={value.includes(role)}
            onChange={(e) => onChange(e.target.checked ? [...value, role] : value.filter((r) => r !== role))}
          />
          {t(`roles.${role}`)}
        </label>
      ))}
    </fieldset>
  );
}

function CreateUser({ onDone }: { onDone: (u: StaffUserDto) => void }) {
  const { t } = useTranslation();
  const { run, busy, error } = useCommand('staff.create');
  const [username, setUsername] = useState('');
  const [fullName, setFullName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [temporaryPassword, setTemporaryPassword] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    const user = await run({ username, fullName, roles, temporaryPassword });
    if (user) onDone(user);
  }
  return (
    <form onSubmit={submit}>
      <Field label={t('users.username')}>
        {(id) => (
          <input
            id={id}
            name="username"
            required
            maxLength={64}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('users.fullName')}>
        {(id) => (
          <input
            id={id}
            name="fullName"
            required
            maxLength={120}
            value={fullName}
            onChange={(e) => setFullName(e.target.value)}
          />
        )}
      </Field>
      <RolePicker value={roles} onChange={setRoles} />
      <Field
        label={t('users.temporaryPassword')}
        hint={
          <>
            <PasswordFeedback password={temporaryPassword} username={username} /> {t('users.temporaryHint')}
          </>
        }
      >
        {(id) => (
          <input
            id={id}
            name="temporaryPassword"
            type="password"
            autoComplete="new-password"
            required
            value={temporaryPassword}
            onChange={(e) => setTemporaryPassword(e.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={busy || roles.length === 0}>
        {t('common.create')}
      </button>
    </form>
  );
}

function EditRoles({ user, onDone }: { user: StaffUserDto; onDone: (u: StaffUserDto) => void }) {
  const { t } = useTranslation();
  const { run, busy, error } = useCommand('staff.setRoles');
  const [roles, setRoles] = useState<Role[]>(user.roles);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const updated = await run({ userId: user.id, roles });
    if (updated) onDone(updated);
  }
  return (
    <form onSubmit={submit}>
      <RolePicker value={roles} onChange={setRoles} />
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={busy || roles.length === 0}>
        {t('common.save')}
      </button>
    </form>
  );
}

function DisableUser({ user, onDone }: { user: StaffUserDto; onDone: (u: StaffUserDto) => void }) {
  const { t } = useTranslation();
  const { run, busy, error } = useCommand('staff.disable');
  const [reason, setReason] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    const updated = await run({ userId: user.id, reason });
    if (updated) onDone(updated);
  }
  return (
    <form onSubmit={submit}>
      <ReasonField value={reason} onChange={setReason} name="reason" />
      <ErrorMessage error={error} />
      <button type="submit" className="danger" disabled={busy}>
        {t('users.disable')}
      </button>
    </form>
  );
}

function ResetPassword({ user, onDone }: { user: StaffUserDto; onDone: (u: StaffUserDto) => void }) {
  const { t } = useTranslation();
  const { run, busy, error } = useCommand('staff.resetPassword');
  const [temporaryPassword, setTemporaryPassword] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    const updated = await run({ userId: user.id, temporaryPassword });
    if (updated) onDone(updated);
  }
  return (
    <form onSubmit={submit}>
      <Field
        label={t('users.temporaryPassword')}
        hint={<PasswordFeedback password={temporaryPassword} username={user.username} />}
      >
        {(id) => (
          <input
            id={id}
            name="temporaryPassword"
            type="password"
            autoComplete="new-password"
            required
            value={temporaryPassword}
            onChange={(e) => setTemporaryPassword(e.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('users.resetPassword')}
      </button>
    </form>
  );
}

export function UsersScreen() {
  const { t, i18n } = useTranslation();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const manage = can(session, 'staff.manage');
  const [users, setUsers] = useState<StaffUserDto[]>([]);
  const [search, setSearch] = useState('');
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const enable = useCommand('staff.enable');

  const [listError, setListError] = useState<ErrorPayload | null>(null);
  // A refused or failed list shows why, instead of an empty table and an unhandled rejection.
  const load = useCallback(async (q: string) => {
    setListError(null);
    try {
      setUsers(await call('staff.list', { search: q || undefined }));
    } catch (err) {
      setListError(errorPayload(err));
    }
  }, []);
  useEffect(() => {
    void load('');
  }, [load]);

  const done = (message: string) => (u: StaffUserDto) => {
    push('success', t(message, { username: u.username }));
    setDialog(null);
    void load(search);
  };

  const formatTime = (iso: string | null) =>
    iso
      ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(
          new Date(iso),
        )
      : t('users.never');

  return (
    <section aria-labelledby="users-title">
      <header className="screen-header">
        <h1 id="users-title">{t('users.title')}</h1>
        {manage ? (
          <button type="button" className="primary" onClick={() => setDialog({ kind: 'create' })}>
            {t('users.new')}
          </button>
        ) : null}
      </header>
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void load(search);
        }}
      >
        <input
          aria-label={t('common.search')}
          placeholder={t('users.searchPlaceholder')}
          value={search}
          maxLength={64}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button type="submit">{t('common.search')}</button>
      </form>
      <ErrorMessage error={listError ?? enable.error} />
      <table className="grid">
        <thead>
          <tr>
            <th>{t('users.username')}</th>
            <th>{t('users.fullName')}</th>
            <th>{t('users.roles')}</th>
            <th>{t('users.status')}</th>
            <th>{t('users.lastLogin')}</th>
            {manage ? <th>{t('common.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-username={u.username}>
              <td>{u.username}</td>
              <td>{u.fullName}</td>
              <td>
                {ROLES.filter((r) => u.roles.includes(r))
                  .map((r) => t(`roles.${r}`))
                  .join(', ')}
              </td>
              <td>
                <span className={`badge ${u.status}`}>{t(`users.${u.status}`)}</span>
                {u.mustChangePassword ? <span className="badge warn">{t('users.mustChange')}</span> : null}
              </td>
              <td>{formatTime(u.lastLoginAt)}</td>
              {manage ? (
                <td className="actions">
                  <button type="button" onClick={() => setDialog({ kind: 'roles', user: u })}>
                    {t('users.editRoles')}
                  </button>
                  <button type="button" onClick={() => setDialog({ kind: 'reset', user: u })}>
                    {t('users.resetPassword')}
                  </button>
                  {u.status === 'active' ? (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setDialog({ kind: 'disable', user: u })}
                    >
                      {t('users.disable')}
                    </button>
                  ) : (
                    <button
                      type="button"
                      onClick={async () => {
                        const updated = await enable.run({ userId: u.id });
                        if (updated) done('users.updated')(updated);
                      }}
                    >
                      {t('users.enable')}
                    </button>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
          {users.length === 0 ? (
            <tr>
              <td colSpan={6} className="empty">
                {t('users.empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {dialog?.kind === 'create' ? (
        <Modal title={t('users.new')} onClose={() => setDialog(null)}>
          <CreateUser onDone={done('users.created')} />
        </Modal>
      ) : null}
      {dialog?.kind === 'roles' ? (
        <Modal
          title={t('users.rolesTitle', { username: dialog.user.username })}
          onClose={() => setDialog(null)}
        >
          <EditRoles user={dialog.user} onDone={done('users.updated')} />
        </Modal>
      ) : null}
      {dialog?.kind === 'disable' ? (
        <Modal
          title={t('users.disableTitle', { username: dialog.user.username })}
          onClose={() => setDialog(null)}
        >
          <DisableUser user={dialog.user} onDone={done('users.updated')} />
        </Modal>
      ) : null}
      {dialog?.kind === 'reset' ? (
        <Modal
          title={t('users.resetTitle', { username: dialog.user.username })}
          onClose={() => setDialog(null)}
        >
          <ResetPassword user={dialog.user} onDone={done('users.updated')} />
        </Modal>
      ) : null}
    </section>
  );
}
