import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommitteeDto, StaffUserDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field, Modal } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';
import '../governance.css';

function CreateCommittee({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const create = useCommand('governance.committees.create');
  const [name, setName] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await create.run({ name })) onDone();
  }
  return (
    <form onSubmit={submit}>
      <Field label={t('governance.committeeName')}>
        {(id) => (
          <input id={id} required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
        )}
      </Field>
      <ErrorMessage error={create.error} />
      <button type="submit" className="primary" disabled={create.busy}>
        {t('common.create')}
      </button>
    </form>
  );
}

function CommitteeCard({
  committee,
  staff,
  manage,
  onChanged,
}: {
  committee: CommitteeDto;
  staff: StaffUserDto[];
  manage: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const add = useCommand('governance.committees.addMember');
  const remove = useCommand('governance.committees.removeMember');
  const [picked, setPicked] = useState('');
  const memberIds = new Set(committee.members.map((m) => m.userId));
  const candidates = staff.filter((u) => u.status === 'active' && !memberIds.has(u.id));
  const headingId = `committee-${committee.id}`;
  return (
    <section className="committee card-panel" aria-labelledby={headingId} data-committee={committee.name}>
      <header className="screen-header">
        <h2 id={headingId}>{committee.name}</h2>
        <span className="badge">{t('governance.memberCount', { count: committee.members.length })}</span>
      </header>
      {committee.usedBy.length ? (
        <p className="small">
          {t('governance.usedBy')}{' '}
          {committee.usedBy
            .map((u) =>
              t('governance.usedByTier', {
                type: t(`governance.types.${u.processType}`),
                tier: u.tier,
                threshold: u.threshold,
              }),
            )
            .join('; ')}
        </p>
      ) : (
        <p className="small">{t('governance.unused')}</p>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th>{t('governance.member')}</th>
            <th>{t('governance.since')}</th>
            {manage ? <th>{t('common.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {committee.members.map((m) => (
            <tr key={m.userId} data-member={m.username}>
              <td>
                {m.fullName} <span className="mono small">{m.username}</span>
                {m.active ? null : <span className="badge disabled">{t('governance.inactive')}</span>}
              </td>
              <td className="small">{new Date(m.addedAt).toLocaleDateString()}</td>
              {manage ? (
                <td className="actions">
                  <button
                    type="button"
                    className="link"
                    disabled={remove.busy}
                    aria-label={t('governance.removeMemberNamed', { name: m.fullName })}
                    onClick={async () => {
                      if (await remove.run({ committeeId: committee.id, userId: m.userId })) onChanged();
                    }}
                  >
                    {t('governance.removeMember')}
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
          {committee.members.length === 0 ? (
            <tr>
              <td colSpan={manage ? 3 : 2} className="empty">
                {t('governance.noMembers')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {manage ? (
        <form
          className="row"
          onSubmit={async (e) => {
            e.preventDefault();
            if (picked && (await add.run({ committeeId: committee.id, userId: picked }))) {
              setPicked('');
              onChanged();
            }
          }}
        >
          <Field label={t('governance.addMember')}>
            {(id) => (
              <select id={id} value={picked} onChange={(e) => setPicked(e.target.value)}>
                <option value="">{t('governance.chooseStaff')}</option>
                {candidates.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.fullName} ({u.username})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" disabled={!picked || add.busy}>
            {t('governance.add')}
          </button>
        </form>
      ) : null}
      <ErrorMessage error={add.error ?? remove.error} />
    </section>
  );
}

export function CommitteesScreen() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const manage = can(session, 'governance.manage');
  const [committees, setCommittees] = useState<CommitteeDto[]>([]);
  const [staff, setStaff] = useState<StaffUserDto[]>([]);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    try {
      setCommittees(await call('governance.committees.list', {}));
      if (manage) setStaff(await call('staff.list', {}));
    } catch (err) {
      setError(errorPayload(err));
    }
  }, [manage]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="committees-title">
      <header className="screen-header">
        <h1 id="committees-title">{t('governance.committeesTitle')}</h1>
        {manage ? (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            {t('governance.newCommittee')}
          </button>
        ) : null}
      </header>
      <p className="hint">{t('governance.committeesHint')}</p>
      <ErrorMessage error={error} />
      <div className="committees">
        {committees.map((c) => (
          <CommitteeCard
            key={c.id}
            committee={c}
            staff={staff}
            manage={manage}
            onChanged={() => void load()}
          />
        ))}
      </div>
      {committees.length === 0 ? <p className="empty">{t('governance.noCommittees')}</p> : null}
      {creating ? (
        <Modal title={t('governance.newCommittee')} onClose={() => setCreating(false)}>
          <CreateCommittee
            onDone={() => {
              setCreating(false);
              push('success', t('governance.committeeCreated'));
              void load();
            }}
          />
        </Modal>
      ) : null}
    </section>
  );
}
