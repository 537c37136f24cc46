import { createPortal } from 'react-dom';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OverrideRequestDto, SupervisorOverride } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../../api';
import { ErrorMessage, Field, Modal, ReasonField } from '../ui';
import { useCommand } from '../useCommand';
import { useCashLive } from './live';

type Mode = 'here' | 'remote';

/** What OVERRIDE_REQUIRED says about the step (see main/modules/cash-controls/rules.ts). */
interface Problem {
  limit?: string;
  limitMinor?: string;
  checkedMinor?: string;
  kind?: 'deposit' | 'withdrawal-initiate';
  accountId?: string;
  amountMinor?: string;
  tillId?: string | null;
}

/**
 * A supervisor's override of a cash limit: typed here (the supervisor's own username, password and
 * a reason), or asked for from a supervisor's workstation and awaited (then submitted by its id).
 * The password lives only in this dialog's state until it is submitted.
 */
export function OverrideDialog(props: {
  open: boolean;
  problem: Record<string, unknown>;
  onSubmit(override: SupervisorOverride): void;
  onCancel(): void;
  /** The bank's answer to the last override submitted (a wrong password, not permitted...). */
  error?: ErrorPayload | null;
  busy?: boolean;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>('here');
  if (!props.open) return null;
  return createPortal(
    <Modal title={t('cashControls.override.title')} onClose={props.onCancel}>
      <div className="override-dialog" data-testid="override-dialog">
        <ProblemSummary problem={props.problem as Problem} />
        {/* Tabs are buttons, so the dialog opens with the cursor in the supervisor's username. */}
        <div role="tablist" aria-label={t('cashControls.override.how')} className="toolbar override-tabs">
          {(['here', 'remote'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={mode === m}
              className={mode === m ? 'primary' : undefined}
              onClick={() => setMode(m)}
            >
              {t(`cashControls.override.mode.${m}`)}
            </button>
          ))}
        </div>
        {mode === 'here' ? (
          <AtWorkstation {...props} />
        ) : (
          <Remote problem={props.problem as Problem} onApproved={props.onSubmit} onCancel={props.onCancel} />
        )}
      </div>
    </Modal>,
    document.body,
  );
}

function ProblemSummary({ problem }: { problem: Problem }) {
  const { t, i18n } = useTranslation();
  const money = (minor?: string) => formatMoney(minor ?? '0', 'USD', i18n.language);
  const excess = (BigInt(problem.checkedMinor ?? '0') - BigInt(problem.limitMinor ?? '0')).toString();
  return (
    <p className="hint" data-testid="override-problem">
      {t(`cashControls.override.problem.${problem.limit === 'till-maximum' ? 'till' : 'withdrawal'}`, {
        limit: money(problem.limitMinor),
        amount: money(problem.checkedMinor),
        excess: money(excess),
      })}
    </p>
  );
}

function AtWorkstation(props: {
  onSubmit(override: SupervisorOverride): void;
  onCancel(): void;
  error?: ErrorPayload | null;
  busy?: boolean;
}) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<'credentials' | 'reason' | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    // A portal still bubbles React events: the form this dialog serves must not submit too.
    e.stopPropagation();
    if (!username.trim() || !password) return setMissing('credentials');
    if (!reason.trim()) return setMissing('reason');
    setMissing(null);
    props.onSubmit({ username: username.trim(), password, reason: reason.trim() });
    // Never kept beyond the one submission.
    setPassword('');
  }

  return (
    <form onSubmit={submit} noValidate aria-label={t('cashControls.override.mode.here')}>
      <Field label={t('cashControls.override.username')}>
        {(id) => (
          <input
            id={id}
            name="supervisor-username"
            autoComplete="off"
            maxLength={64}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('cashControls.override.password')}>
        {(id) => (
          <input
            id={id}
            name="supervisor-password"
            type="password"
            autoComplete="off"
            maxLength={1000}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <ReasonField value={reason} onChange={setReason} name="override-reason" />
      {missing ? (
        <div className="error" role="alert" data-error-code={`OVERRIDE_${missing.toUpperCase()}_MISSING`}>
          {t(`cashControls.override.missing.${missing}`)}
        </div>
      ) : null}
      <ErrorMessage error={props.error ?? null} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={props.busy}>
          {t('cashControls.override.authorize')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Asks a supervisor's workstation and waits (live, with a poll as a fallback) for the decision. */
function Remote(props: { problem: Problem; onApproved(o: SupervisorOverride): void; onCancel(): void }) {
  const { t } = useTranslation();
  const ask = useCommand('cashControls.overrides.request');
  const [note, setNote] = useState('');
  const [request, setRequest] = useState<OverrideRequestDto | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const { onApproved } = props;

  const refresh = useCallback(async () => {
    if (!request || request.status !== 'pending') return;
    try {
      setRequest(await call('cashControls.overrides.get', { id: request.id }));
    } catch (err) {
      setError(errorPayload(err));
    }
  }, [request]);
  const onLive = useCallback(() => void refresh(), [refresh]);
  useCashLive('cash-override', onLive, 3_000);

  useEffect(() => {
    if (request?.status === 'approved') onApproved({ overrideId: request.id });
  }, [request, onApproved]);

  async function send(e: FormEvent) {
    e.preventDefault();
    e.stopPropagation();
    const p = props.problem;
    const out = await ask.run({
      accountId: p.accountId ?? '',
      kind: p.kind ?? 'withdrawal-initiate',
      amount: p.amountMinor ?? '0',
      ...(p.tillId ? { tillId: p.tillId } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    if (out) setRequest(out);
  }

  if (!request) {
    return (
      <form onSubmit={send} noValidate aria-label={t('cashControls.override.mode.remote')}>
        <Field label={t('cashControls.override.note')}>
          {(id) => (
            <input
              id={id}
              name="override-note"
              maxLength={500}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={ask.error} />
        <div className="toolbar">
          <button type="submit" className="primary" disabled={ask.busy}>
            {t('cashControls.override.send')}
          </button>
          <button type="button" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    );
  }
  return (
    <div>
      <p role="status" data-testid="override-request-status" data-status={request.status}>
        {request.status === 'refused'
          ? t('cashControls.override.refused', { by: request.decidedByName, reason: request.decisionReason })
          : request.status === 'approved'
            ? t('cashControls.override.approved', { by: request.decidedByName })
            : t('cashControls.override.waiting')}
      </p>
      <ErrorMessage error={error} />
      <button type="button" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
