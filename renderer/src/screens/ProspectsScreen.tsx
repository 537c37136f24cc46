import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { format } from 'date-fns';
import {
  CUSTOMER_TYPES,
  ID_DOCUMENT_TYPES,
  PROSPECT_STAGES,
  type CustomerType,
  type ProspectStage,
  type ProspectSummaryDto,
} from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field, Modal } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';
import { KycBadge, StageBadge, useFormatTime } from './CustomerParts';

function CreateProspect({ onDone }: { onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const { run, busy, error } = useCommand('prospect.create');
  const [f, setF] = useState({
    customerType: 'individual' as CustomerType,
    email: '',
    telegramId: '',
    fullName: '',
    bornOrRegisteredOn: '',
    phone: '',
    address: '',
    idDocumentType: 'passport' as (typeof ID_DOCUMENT_TYPES)[number],
    idDocumentNumber: '',
  });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const individual = f.customerType === 'individual';
  async function submit(e: FormEvent) {
    e.preventDefault();
    const { telegramId, ...rest } = f;
    const created = await run({ ...rest, ...(telegramId.trim() ? { telegramId: telegramId.trim() } : {}) });
    if (created) onDone(created.id);
  }
  return (
    <form onSubmit={submit} aria-label={t('customers.newProspect')}>
      <Field label={t('customers.type')}>
        {(id) => (
          <select id={id} name="customerType" value={f.customerType} onChange={set('customerType')}>
            {CUSTOMER_TYPES.map((c) => (
              <option key={c} value={c}>
                {t(`customers.types.${c}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={individual ? t('customers.fullName') : t('customers.legalName')}>
        {(id) => (
          <input
            id={id}
            name="fullName"
            required
            maxLength={200}
            value={f.fullName}
            onChange={set('fullName')}
          />
        )}
      </Field>
      <div className="row">
        <Field label={t('customers.email')}>
          {(id) => (
            <input
              id={id}
              name="email"
              type="email"
              required
              maxLength={254}
              value={f.email}
              onChange={set('email')}
            />
          )}
        </Field>
        <Field label={t('customers.telegramIdOptional')}>
          {(id) => (
            <input
              id={id}
              name="telegramId"
              maxLength={65}
              value={f.telegramId}
              onChange={set('telegramId')}
            />
          )}
        </Field>
      </div>
      <div className="row">
        <Field label={individual ? t('customers.dateOfBirth') : t('customers.registrationDate')}>
          {(id) => (
            <input
              id={id}
              name="bornOrRegisteredOn"
              type="date"
              required
              max={format(new Date(), 'yyyy-MM-dd')}
              value={f.bornOrRegisteredOn}
              onChange={set('bornOrRegisteredOn')}
            />
          )}
        </Field>
        <Field label={t('customers.phone')}>
          {(id) => (
            <input
              id={id}
              name="phone"
              type="tel"
              required
              maxLength={30}
              value={f.phone}
              onChange={set('phone')}
            />
          )}
        </Field>
      </div>
      <Field label={t('customers.address')}>
        {(id) => (
          <textarea
            id={id}
            name="address"
            required
            maxLength={500}
            value={f.address}
            onChange={set('address')}
          />
        )}
      </Field>
      <div className="row">
        <Field label={t('customers.idDocumentType')}>
          {(id) => (
            <select id={id} name="idDocumentType" value={f.idDocumentType} onChange={set('idDocumentType')}>
              {ID_DOCUMENT_TYPES.map((d) => (
                <option key={d} value={d}>
                  {t(`customers.idTypes.${d}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('customers.idDocumentNumber')}>
          {(id) => (
            <input
              id={id}
              name="idDocumentNumber"
              required
              maxLength={64}
              value={f.idDocumentNumber}
              onChange={set('idDocumentNumber')}
            />
          )}
        </Field>
      </div>
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('common.create')}
      </button>
    </form>
  );
}

/** Prospects in onboarding: filtered by stage, searched by email, name or public id, newest first. */
export function ProspectsScreen() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const time = useFormatTime();
  const [items, setItems] = useState<ProspectSummaryDto[]>([]);
  const [stage, setStage] = useState<ProspectStage | ''>('');
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const load = useCallback(async (s: ProspectStage | '', q: string) => {
    setError(null);
    try {
      setItems(
        await call('prospect.list', { ...(s ? { stage: s } : {}), ...(q.trim() ? { search: q } : {}) }),
      );
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);
  useEffect(() => {
    void load('', '');
  }, [load]);

  return (
    <section aria-labelledby="prospects-title">
      <header className="screen-header">
        <h1 id="prospects-title">{t('customers.prospectsTitle')}</h1>
        {can(session, 'customer.manage') ? (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            {t('customers.newProspect')}
          </button>
        ) : null}
      </header>
      <form
        className="filters customer-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void load(stage, search);
        }}
      >
        <Field label={t('customers.stageFilter')}>
          {(id) => (
            <select
              id={id}
              name="stage"
              value={stage}
              onChange={(e) => {
                const s = e.target.value as ProspectStage | '';
                setStage(s);
                void load(s, search);
              }}
            >
              <option value="">{t('customers.allStages')}</option>
              {PROSPECT_STAGES.map((s) => (
                <option key={s} value={s}>
                  {t(`customers.stage.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('customers.prospectSearch')}>
          {(id) => (
            <input
              id={id}
              name="search"
              type="search"
              maxLength={120}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          )}
        </Field>
        <div className="buttons">
          <button type="submit">{t('common.search')}</button>
        </div>
      </form>
      <ErrorMessage error={error} />
      <table className="grid" data-testid="prospects">
        <thead>
          <tr>
            <th>{t('customers.publicId')}</th>
            <th>{t('customers.fullName')}</th>
            <th>{t('customers.email')}</th>
            <th>{t('customers.type')}</th>
            <th>{t('customers.stageLabel')}</th>
            <th>{t('customers.kycStatus')}</th>
            <th>{t('customers.createdAt')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.id} data-email={p.email}>
              <td className="mono nowrap">
                <Link to={`/prospects/${p.id}`}>{p.publicId}</Link>
              </td>
              <td>
                <Link to={`/prospects/${p.id}`}>{p.fullName}</Link>
              </td>
              <td>{p.email}</td>
              <td>{t(`customers.types.${p.customerType}`)}</td>
              <td>
                <StageBadge stage={p.stage} />
              </td>
              <td>
                <KycBadge status={p.kycStatus} />
              </td>
              <td>{time(p.createdAt)}</td>
            </tr>
          ))}
          {items.length === 0 ? (
            <tr>
              <td colSpan={7}>{t('customers.noProspects')}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {creating ? (
        <Modal title={t('customers.newProspect')} onClose={() => setCreating(false)}>
          <CreateProspect
            onDone={(id) => {
              setCreating(false);
              push('success', t('customers.prospectCreated'));
              navigate(`/prospects/${id}`);
            }}
          />
        </Modal>
      ) : null}
    </section>
  );
}
