import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditRecordDto, AuditVerification, InputOf } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';

type Filters = { user: string; action: string; entity: string; outcome: string; from: string; to: string };
const EMPTY: Filters = { user: '', action: '', entity: '', outcome: '', from: '', to: '' };

function toQuery(f: Filters, before?: string): InputOf<'audit.list'> {
  return {
    user: f.user || undefined,
    action: f.action || undefined,
    entity: f.entity || undefined,
    outcome: (f.outcome || undefined) as InputOf<'audit.list'>['outcome'],
    from: f.from || undefined,
    to: f.to || undefined,
    before,
    limit: 100,
  };
}

function Verification({ result }: { result: AuditVerification }) {
  const { t, i18n } = useTranslation();
  const time = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(
      new Date(iso),
    );
  const sealLine = result.lastSealAt
    ? t('audit.lastSeal', { time: time(result.lastSealAt) })
    : t('audit.noSeal');
  if (result.intact) {
    return (
      <div className="banner ok" role="status" data-testid="audit-verdict" data-intact="true">
        {t('audit.intact', { records: result.recordsChecked, seals: result.sealsChecked })} {sealLine}
      </div>
    );
  }
  const first = result.problems[0]!;
  const kind = t(`audit.kinds.${first.kind}`);
  const detail = first.recordId
    ? t('audit.firstBroken', { id: first.recordId, workstation: first.workstation, seq: first.seq, kind })
    : first.sealId
      ? t('audit.brokenSeal', { id: first.sealId, kind })
      : t('audit.brokenHead', { workstation: first.workstation, kind });
  return (
    <div
      className="banner bad"
      role="alert"
      data-testid="audit-verdict"
      data-intact="false"
      data-first-record={first.recordId ?? ''}
    >
      <strong>{t('audit.broken')}</strong> {detail}
    </div>
  );
}

export function AuditScreen() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [items, setItems] = useState<AuditRecordDto[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const seal = useCommand('audit.seal');
  const mayVerify = can(session, 'audit.verify');

  const load = useCallback(async (f: Filters, before?: string) => {
    setError(null);
    try {
      const page = await call('audit.list', toQuery(f, before));
      setItems((prev) => (before ? [...prev, ...page.items] : page.items));
      setNextBefore(page.nextBefore);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);

  useEffect(() => {
    void load(EMPTY);
  }, [load]);

  const set = (k: keyof Filters) => (e: { target: { value: string } }) =>
    setFilters({ ...filters, [k]: e.target.value });

  function apply(e: FormEvent) {
    e.preventDefault();
    setApplied(filters);
    void load(filters);
  }

  async function verify() {
    setVerifying(true);
    try {
      setVerification(await call('audit.verify', {}));
    } catch (err) {
      setError(errorPayload(err));
    } finally {
      setVerifying(false);
    }
  }

  return (
    <section aria-labelledby="audit-title">
      <header className="screen-header">
        <h1 id="audit-title">{t('audit.title')}</h1>
        {mayVerify ? (
          <div className="buttons">
            <button type="button" className="primary" onClick={verify} disabled={verifying}>
              {verifying ? t('common.working') : t('audit.verify')}
            </button>
            <button
              type="button"
              disabled={seal.busy}
              onClick={async () => {
                const s = await seal.run({});
                if (s) {
                  push('success', t('audit.sealed', { records: s.records, workstations: s.workstations }));
                  void load(applied);
                }
              }}
            >
              {t('audit.seal')}
            </button>
          </div>
        ) : null}
      </header>
      {verification ? <Verification result={verification} /> : null}
      <ErrorMessage error={error ?? seal.error} />
      <form className="filters" onSubmit={apply} aria-label={t('audit.filters')}>
        <Field label={t('audit.user')}>
          {(id) => <input id={id} name="user" maxLength={64} value={filters.user} onChange={set('user')} />}
        </Field>
        <Field label={t('audit.action')}>
          {(id) => (
            <input id={id} name="action" maxLength={80} value={filters.action} onChange={set('action')} />
          )}
        </Field>
        <Field label={t('audit.entity')}>
          {(id) => (
            <input id={id} name="entity" maxLength={120} value={filters.entity} onChange={set('entity')} />
          )}
        </Field>
        <Field label={t('audit.outcome')}>
          {(id) => (
            <select id={id} name="outcome" value={filters.outcome} onChange={set('outcome')}>
              <option value="">{t('audit.any')}</option>
              {(['Success', 'Failure', 'Denied'] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`audit.outcomes.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('audit.from')}>
          {(id) => <input id={id} name="from" type="date" value={filters.from} onChange={set('from')} />}
        </Field>
        <Field label={t('audit.to')}>
          {(id) => <input id={id} name="to" type="date" value={filters.to} onChange={set('to')} />}
        </Field>
        <div className="buttons">
          <button type="submit" className="primary">
            {t('common.apply')}
          </button>
          <button
            type="button"
            onClick={() => {
              setFilters(EMPTY);
              setApplied(EMPTY);
              void load(EMPTY);
            }}
          >
            {t('common.clear')}
          </button>
        </div>
      </form>
      <table className="grid audit">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('audit.time')}</th>
            <th>{t('audit.user')}</th>
            <th>{t('audit.workstation')}</th>
            <th>{t('audit.action')}</th>
            <th>{t('audit.object')}</th>
            <th>{t('audit.outcome')}</th>
            <th>{t('audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} data-audit-id={r.id} data-action={r.action}>
              <td>{r.id}</td>
              <td className="mono">{r.occurredAt.replace('T', ' ').slice(0, 19)}</td>
              <td>{r.actorUsername ?? '—'}</td>
              <td>{r.workstation}</td>
              <td className="mono">{r.action}</td>
              <td className="mono">{r.objectType ? `${r.objectType}:${r.objectIds.join(',')}` : '—'}</td>
              <td>
                <span className={`badge ${r.outcome.toLowerCase()}`}>{t(`audit.outcomes.${r.outcome}`)}</span>
              </td>
              <td className="mono small">
                {Object.keys(r.metadata).length ? JSON.stringify(r.metadata) : ''}
              </td>
            </tr>
          ))}
          {items.length === 0 ? (
            <tr>
              <td colSpan={8} className="empty">
                {t('audit.empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {nextBefore ? (
        <button type="button" onClick={() => void load(applied, nextBefore)}>
          {t('common.loadMore')}
        </button>
      ) : null}
    </section>
  );
}
