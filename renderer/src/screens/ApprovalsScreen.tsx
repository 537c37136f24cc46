import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  isQueuedAnswer,
  type ProcessDetailDto,
  type ProcessDto,
  type ProcessSummary,
  type ProcessTypeName,
} from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload, getBridge } from '../api';
import { ErrorMessage, Field, Modal, ReasonField } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';
import { useOffline } from '../stores/offline';
import { ageOf } from '../components/offline/OfflineStatus';
import '../governance.css';

const TYPES: ProcessTypeName[] = ['withdraw', 'disbursal', 'credit-facility-proposal'];
const STATUSES = ['in_progress', 'approved', 'denied'] as const;
type Status = (typeof STATUSES)[number];

/** An operation's summary, whatever module sent it: one definition per key. */
function Summary({ summary }: { summary: ProcessSummary }) {
  const { t, i18n } = useTranslation();
  const entries = Object.entries(summary);
  if (!entries.length) return null;
  const show = (v: ProcessSummary[string]) => {
    if (v === null) return '—';
    if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
    if (typeof v === 'object') return formatMoney(v.minor, v.currency, i18n.language);
    return String(v);
  };
  return (
    <dl className="details summary">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt>{t(`governance.summary.${key}`, { defaultValue: key })}</dt>
          <dd>{show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Detail({ process }: { process: ProcessDetailDto }) {
  const { t, i18n } = useTranslation();
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  return (
    <section className="card-panel process-detail" aria-labelledby="process-detail-title">
      <h2 id="process-detail-title">
        {t(`governance.types.${process.type}`)}
        {process.amount && process.currency
          ? ` · ${formatMoney(process.amount, process.currency, i18n.language)}`
          : ''}
      </h2>
      <p>
        <span className={`badge ${process.status}`}>{t(`governance.statuses.${process.status}`)}</span>{' '}
        {process.conclusion ? (
          <span className="small">{t(`governance.conclusions.${process.conclusion}`)}</span>
        ) : null}
      </p>
      <Summary summary={process.summary} />
      <dl className="details">
        <dt>{t('governance.initiatedBy')}</dt>
        <dd>{process.initiatedBy ?? t('governance.system')}</dd>
        <dt>{t('governance.rule')}</dt>
        <dd>
          {process.rule === 'auto'
            ? t('governance.autoApprove')
            : t('governance.progress', {
                approvals: process.approvals,
                threshold: process.threshold,
                committee: process.committeeName,
              })}
        </dd>
        {process.rule === 'committee' ? (
          <>
            <dt>
              {t(process.status === 'in_progress' ? 'governance.eligible' : 'governance.eligibleAtEnd')}
            </dt>
            <dd>{process.members.map((m) => m.fullName).join(', ') || '—'}</dd>
          </>
        ) : null}
      </dl>
      <h3>{t('governance.history')}</h3>
      <ol className="history">
        <li>
          {t('governance.historyStarted', { when: when(process.startedAt), who: process.initiatedBy ?? '—' })}
        </li>
        {process.votes.map((v, i) => (
          <li key={i} data-vote={v.voter}>
            {t(v.decision === 'approve' ? 'governance.historyApproved' : 'governance.historyDenied', {
              who: v.voterName,
              when: when(v.votedAt),
              workstation: v.workstation,
            })}
            {v.channel === 'queued' ? ` (${t('governance.queued')})` : ''}
            {v.reason ? <div className="small">“{v.reason}”</div> : null}
            {v.counted ? null : <div className="small">{t('governance.notCounted')}</div>}
          </li>
        ))}
        {process.concludedAt ? (
          <li>
            {t('governance.historyConcluded', {
              when: when(process.concludedAt),
              status: t(`governance.statuses.${process.status}`),
            })}
          </li>
        ) : null}
      </ol>
    </section>
  );
}

/** The supervisor's inbox: what they may vote on now, and what concluded recently. */
export function ApprovalsScreen() {
  return <ProcessList scope="inbox" />;
}

/** Every process, for readers (auditors, administrators): the same view, without the inbox's filter. */
export function ProcessesScreen() {
  return <ProcessList scope="all" />;
}

function ProcessList({ scope }: { scope: 'inbox' | 'all' }) {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const [items, setItems] = useState<ProcessDto[]>([]);
  const [type, setType] = useState<ProcessTypeName | ''>('');
  const [status, setStatus] = useState<Status | ''>('');
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<ProcessDetailDto | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [denying, setDenying] = useState<ProcessDto | null>(null);
  const [reason, setReason] = useState('');
  const approve = useCommand('governance.processes.approve');
  const deny = useCommand('governance.processes.deny');
  const { run: runApprove, busy: approving } = approve;
  const { reset: resetDeny } = deny;
  const tableRef = useRef<HTMLTableElement>(null);
  // Offline work (ARCHITECTURE 6): votes waiting in this workstation's outbox, and the inbox's age.
  const outboxVersion = useOffline((s) => s.outboxVersion);
  const offlineStatus = useOffline((s) => s.status);
  const [queued, setQueued] = useState<Set<string>>(new Set());
  useEffect(() => {
    let live = true;
    call('offline.outbox.list', {})
      .then((es) => {
        const waiting = es.filter((e) => e.status === 'queued' || e.status === 'replaying');
        if (live) setQueued(new Set(waiting.flatMap((e) => (e.processId ? [e.processId] : []))));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [outboxVersion]);

  const load = useCallback(async () => {
    try {
      const filter = { ...(type ? { type } : {}), ...(status ? { status } : {}) };
      const list = await call(scope === 'inbox' ? 'governance.inbox' : 'governance.processes.list', filter);
      setItems(list);
      setError(null);
      setSelected((s) => (s && list.some((p) => p.id === s) ? s : (list[0]?.id ?? null)));
    } catch (err) {
      setError(errorPayload(err));
    }
  }, [type, status, scope]);

  useEffect(() => {
    void load();
  }, [load, outboxVersion]);

  // Live: any workstation's start, vote or conclusion (NOTIFY at commit) re-reads the inbox.
  const [tick, setTick] = useState(0);
  useEffect(
    () =>
      getBridge().subscribe((event) => {
        // Behind the lock screen the bank refuses reads: the next change after unlocking refreshes.
        if (event === 'approvals.changed' && !useSession.getState().session?.locked) {
          void load();
          setTick((n) => n + 1);
        }
      }),
    [load],
  );

  useEffect(() => {
    if (!selected) {
      setDetail(null);
      return;
    }
    let live = true;
    call('governance.processes.get', { id: selected })
      .then((d) => live && setDetail(d))
      .catch(() => live && setDetail(null));
    return () => {
      live = false;
    };
  }, [selected, tick]);

  const current = items.find((p) => p.id === selected) ?? null;

  const doApprove = useCallback(
    async (p: ProcessDto) => {
      const done = await runApprove({ processId: p.id });
      if (done && isQueuedAnswer(done)) {
        push('info', t('offline.queuedToast'));
        void load();
      } else if (done) {
        push('success', t(done.status === 'approved' ? 'governance.approvedToast' : 'governance.votedToast'));
        void load();
        setTick((n) => n + 1);
      }
    },
    [runApprove, load, push, t],
  );

  // Keyboard: arrows move the selection, A approves, D opens the deny dialog (not while typing).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || denying) return;
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [role="dialog"]')) return;
      const index = items.findIndex((p) => p.id === selected);
      const key = e.key.toLowerCase();
      if (key === 'arrowdown' || key === 'j') {
        e.preventDefault();
        const next = items[Math.min(index + 1, items.length - 1)];
        if (next) setSelected(next.id);
      } else if (key === 'arrowup' || key === 'k') {
        e.preventDefault();
        const prev = items[Math.max(index - 1, 0)];
        if (prev) setSelected(prev.id);
      } else if (key === 'a' && current?.canVote && !approving) {
        e.preventDefault();
        void doApprove(current);
      } else if (key === 'd' && current?.canVote) {
        e.preventDefault();
        resetDeny();
        setReason('');
        setDenying(current);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, selected, current, denying, approving, resetDeny, doApprove]);

  useEffect(() => {
    tableRef.current
      ?.querySelector<HTMLElement>('tr[aria-selected="true"]')
      ?.scrollIntoView?.({ block: 'nearest' });
  }, [selected]);

  return (
    <section aria-labelledby="approvals-title">
      <header className="screen-header">
        <h1 id="approvals-title">
          {t(scope === 'inbox' ? 'governance.approvalsTitle' : 'governance.processesTitle')}
        </h1>
      </header>
      <p className="hint">{t(scope === 'inbox' ? 'governance.approvalsHint' : 'governance.processesHint')}</p>
      {scope === 'inbox' && offlineStatus?.localStore && offlineStatus.connectivity.state === 'offline' ? (
        <p className="banner warn offline-copy" role="status" data-testid="approvals-offline">
          {offlineStatus.approvalsAsOf
            ? t('offline.inboxCopy', { age: ageOf(offlineStatus.approvalsAsOf, i18n.language) })
            : t('offline.inboxNoCopy')}
        </p>
      ) : null}
      <div className="filters governance-filters" role="search">
        <Field label={t('governance.type')}>
          {(id) => (
            <select id={id} value={type} onChange={(e) => setType(e.target.value as ProcessTypeName | '')}>
              <option value="">{t('governance.allTypes')}</option>
              {TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {t(`governance.types.${ty}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('governance.status')}>
          {(id) => (
            <select id={id} value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
              <option value="">{t('governance.allStatuses')}</option>
              {STATUSES.map((st) => (
                <option key={st} value={st}>
                  {t(`governance.statuses.${st}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={error ?? approve.error} />
      <div className="approvals-layout">
        <div className="inbox-wrap">
          <table
            className="grid inbox"
            ref={tableRef}
            aria-label={t(scope === 'inbox' ? 'governance.inbox' : 'governance.processesTitle')}
          >
            <thead>
              <tr>
                <th>{t('governance.type')}</th>
                <th className="num">{t('governance.amount')}</th>
                <th>{t('governance.approvals')}</th>
                <th>{t('governance.status')}</th>
                <th>{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr
                  key={p.id}
                  data-process={p.id}
                  data-status={p.status}
                  aria-selected={p.id === selected}
                  className={p.id === selected ? 'selected' : undefined}
                  onClick={() => setSelected(p.id)}
                >
                  <td>{t(`governance.types.${p.type}`)}</td>
                  <td className="num">
                    {p.amount && p.currency ? formatMoney(p.amount, p.currency, i18n.language) : '—'}
                  </td>
                  <td>
                    {p.rule === 'committee'
                      ? t('governance.approvalsOf', { approvals: p.approvals, threshold: p.threshold })
                      : t('governance.autoApprove')}
                  </td>
                  <td>
                    <span className={`badge ${p.status}`}>{t(`governance.statuses.${p.status}`)}</span>
                    {p.myVote ? <div className="small">{t(`governance.myVote.${p.myVote}`)}</div> : null}
                    {queued.has(p.id) ? (
                      <div className="small queued-vote" data-testid="vote-queued">
                        {t('offline.queuedVote')}
                      </div>
                    ) : null}
                  </td>
                  <td className="actions">
                    {p.canVote ? (
                      <>
                        <button
                          type="button"
                          className="primary"
                          disabled={approve.busy}
                          aria-keyshortcuts="A"
                          onClick={(e) => {
                            e.stopPropagation();
                            setSelected(p.id);
                            void doApprove(p);
                          }}
                        >
                          {t('governance.approve')}
                        </button>
                        <button
                          type="button"
                          className="danger"
                          aria-keyshortcuts="D"
                          onClick={(e) => {
                            e.stopPropagation();
                            setSelected(p.id);
                            deny.reset();
                            setReason('');
                            setDenying(p);
                          }}
                        >
                          {t('governance.deny')}
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
              {items.length === 0 ? (
                <tr>
                  <td colSpan={5} className="empty">
                    {t(scope === 'inbox' ? 'governance.inboxEmpty' : 'governance.processesEmpty')}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <div className="approvals-side">
          {detail ? <Detail process={detail} /> : null}
          <p className="small keys">{t('governance.keys')}</p>
        </div>
      </div>
      {denying ? (
        <Modal title={t('governance.denyTitle')} onClose={() => setDenying(null)}>
          <form
            onSubmit={async (e) => {
              e.preventDefault();
              const done = await deny.run({ processId: denying.id, reason });
              if (done) {
                setDenying(null);
                push(
                  isQueuedAnswer(done) ? 'info' : 'success',
                  t(isQueuedAnswer(done) ? 'offline.queuedToast' : 'governance.deniedToast'),
                );
                void load();
                setTick((n) => n + 1);
              }
            }}
          >
            <p>
              {t(`governance.types.${denying.type}`)}
              {denying.amount && denying.currency
                ? ` · ${formatMoney(denying.amount, denying.currency, i18n.language)}`
                : ''}
            </p>
            <ReasonField value={reason} onChange={setReason} />
            <ErrorMessage error={deny.error} />
            <button type="submit" className="danger" disabled={deny.busy || !reason.trim()}>
              {t('governance.deny')}
            </button>
          </form>
        </Modal>
      ) : null}
    </section>
  );
}
