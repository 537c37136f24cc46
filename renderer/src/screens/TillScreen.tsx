import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { BranchDto, DenominationDto, MyTillDto, OutputOf } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { DialogForm, ErrorMessage, Field, ReasonField } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';
import { DenominationGrid } from '../components/tills/DenominationGrid';
import { toCountList, typedTotal, type TypedCounts } from '../components/tills/counts';
import { SessionBadge } from '../components/tills/badges';
import { useFormatTime } from './CustomerParts';
import '../components/tills/tills.css';

type CloseResult = OutputOf<'tills.close'>;

/** The teller's day: open from the vault with a count, move cash to and from it, close blind. */
export function TillScreen() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const [mine, setMine] = useState<MyTillDto | null | undefined>(undefined);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [result, setResult] = useState<CloseResult | null>(null);

  const load = useCallback(async () => {
    try {
      setMine(await call('tills.mine', {}));
      setError(null);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  // A supervisor's confirmation or sign-off happens on another workstation: look again now and then.
  useEffect(() => {
    if (!mine || mine.session.status === 'open') return;
    const timer = setInterval(() => {
      if (!useSession.getState().session?.locked) void load();
    }, 4000);
    return () => clearInterval(timer);
  }, [mine, load]);

  return (
    <section aria-labelledby="till-title">
      <header className="screen-header">
        <h1 id="till-title">{t('tills.myTillTitle')}</h1>
        {session && can(session, 'till.supervise') ? (
          <Link to="/branch-position">{t('nav.branchPosition')}</Link>
        ) : null}
      </header>
      <ErrorMessage error={error} />
      {result ? <CloseOutcome result={result} /> : null}
      {mine === null ? (
        <OpenDay
          onRequested={() => {
            setResult(null);
            void load();
          }}
        />
      ) : null}
      {mine ? <CurrentSession mine={mine} onChanged={load} onClosed={(r) => setResult(r)} /> : null}
    </section>
  );
}

function CloseOutcome({ result }: { result: CloseResult }) {
  const { t, i18n } = useTranslation();
  const difference = BigInt(result.difference);
  const abs = formatMoney(String(difference < 0n ? -difference : difference), 'USD', i18n.language);
  const message =
    result.status === 'awaiting_sign_off'
      ? t('tills.awaitingSignOff', { difference: abs })
      : difference === 0n
        ? t('tills.closedBalanced')
        : t('tills.closedWithDifference', {
            difference: abs,
            kind: t(difference > 0n ? 'tills.over' : 'tills.short'),
          });
  return (
    <div
      className={result.status === 'closed' ? 'banner' : 'error'}
      role="status"
      data-testid="close-outcome"
    >
      {message}
    </div>
  );
}

function OpenDay({ onRequested }: { onRequested(): void }) {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const open = useCommand('tills.open');
  const [branches, setBranches] = useState<BranchDto[]>([]);
  const [denominations, setDenominations] = useState<DenominationDto[]>([]);
  const [tillId, setTillId] = useState('');
  const [counts, setCounts] = useState<TypedCounts>({});
  const [error, setError] = useState<ErrorPayload | null>(null);
  useEffect(() => {
    Promise.all([call('tills.branches.list', {}), call('tills.denominations.list', { currency: 'USD' })])
      .then(([b, d]) => {
        setBranches(b);
        setDenominations(d.filter((x) => x.active));
        const free = b.flatMap((x) => x.tills).find((x) => !x.session);
        setTillId((current) => current || free?.id || '');
      })
      .catch((err: unknown) => setError(errorPayload(err)));
  }, []);
  const total = typedTotal(counts);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const done = await open.run({
      tillId,
      amount: String(total),
      denominations: toCountList(denominations, counts),
    });
    if (!done) return;
    push('success', t('tills.openRequested'));
    onRequested();
  }
  return (
    <form aria-label={t('tills.openDay')} onSubmit={submit} noValidate className="card wide">
      <p className="hint">{t('tills.noSession')}</p>
      <ErrorMessage error={error} />
      <Field label={t('tills.chooseTill')}>
        {(id) => (
          <select id={id} name="till" value={tillId} onChange={(e) => setTillId(e.target.value)} required>
            {branches.map((b) => (
              <optgroup key={b.id} label={`${b.code} · ${b.name}`}>
                {b.tills.map((till) => (
                  <option key={till.id} value={till.id} disabled={Boolean(till.session)}>
                    {till.code} · {till.name}
                    {till.session ? ` (${t(`tills.sessionStatus.${till.session.status}`)})` : ''}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </Field>
      <DenominationGrid
        label={t('tills.openingAmount')}
        denominations={denominations}
        counts={counts}
        onChange={setCounts}
      />
      <ErrorMessage error={open.error} />
      <button type="submit" className="primary" disabled={open.busy || !tillId || total <= 0n}>
        {t('tills.openDay')} ({formatMoney(String(total), 'USD', i18n.language)})
      </button>
    </form>
  );
}

type Dialog =
  { kind: 'to_till' | 'to_vault' } | { kind: 'close' } | { kind: 'cancel'; transferId: string } | null;

function CurrentSession({
  mine,
  onChanged,
  onClosed,
}: {
  mine: MyTillDto;
  onChanged(): void;
  onClosed(r: CloseResult): void;
}) {
  const { t, i18n } = useTranslation();
  const time = useFormatTime();
  const [dialog, setDialog] = useState<Dialog>(null);
  const navigate = useNavigate();
  const s = mine.session;
  const money = (minor: string) => formatMoney(minor, 'USD', i18n.language);
  const opening = mine.pendingTransfers.find((x) => x.purpose === 'opening');
  return (
    <>
      <dl className="till-summary" data-testid="till-summary">
        <div>
          <dt>{t('tills.chooseTill')}</dt>
          <dd>
            {mine.branchCode} / {mine.till.code}
          </dd>
        </div>
        <div>
          <dt>{t('tills.status')}</dt>
          <dd>
            <SessionBadge status={s.status} />
          </dd>
        </div>
        <div>
          <dt>{t('tills.businessDate')}</dt>
          <dd>{s.businessDate}</dd>
        </div>
        {s.openedAt ? (
          <div>
            <dt>{t('tills.openedAt')}</dt>
            <dd>{time(s.openedAt)}</dd>
          </div>
        ) : null}
        {s.openingAmount ? (
          <div>
            <dt>{t('tills.openingAmount')}</dt>
            <dd>{money(s.openingAmount)}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('tills.movements')}</dt>
          <dd>{mine.movements}</dd>
        </div>
      </dl>
      {s.status === 'opening' && opening ? (
        <div className="banner" role="status">
          {t('tills.waitingConfirmation', { amount: money(opening.amount) })}{' '}
          <button type="button" onClick={() => setDialog({ kind: 'cancel', transferId: opening.id })}>
            {t('tills.cancelRequest')}
          </button>
        </div>
      ) : null}
      {s.status === 'awaiting_sign_off' ? (
        <div className="error" role="status">
          {t('tills.sessionStatus.awaiting_sign_off')}
        </div>
      ) : null}
      {s.status === 'open' ? (
        <div className="toolbar">
          <button type="button" className="primary" onClick={() => navigate('/counter')}>
            {t('tills.toCounter')}
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'to_till' })}>
            {t('tills.requestCash')}
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'to_vault' })}>
            {t('tills.sendExcess')}
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'close' })}>
            {t('tills.closeDay')}
          </button>
        </div>
      ) : null}
      {s.status === 'open' && mine.pendingTransfers.length ? (
        <section aria-label={t('tills.pendingTransfers')}>
          <h2>{t('tills.pendingTransfers')}</h2>
          <ul>
            {mine.pendingTransfers.map((x) => (
              <li key={x.id}>
                {t(`tills.direction.${x.direction}`)} · {money(x.amount)}{' '}
                <button type="button" onClick={() => setDialog({ kind: 'cancel', transferId: x.id })}>
                  {t('tills.cancel')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {dialog?.kind === 'to_till' || dialog?.kind === 'to_vault' ? (
        <TransferDialog
          mine={mine}
          direction={dialog.kind}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            onChanged();
          }}
        />
      ) : null}
      {dialog?.kind === 'close' ? (
        <CloseDialog
          mine={mine}
          onClose={() => setDialog(null)}
          onDone={(r) => {
            setDialog(null);
            onClosed(r);
            onChanged();
          }}
        />
      ) : null}
      {dialog?.kind === 'cancel' ? (
        <CancelTransferDialog
          transferId={dialog.transferId}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            onChanged();
          }}
        />
      ) : null}
    </>
  );
}

function TransferDialog(props: {
  mine: MyTillDto;
  direction: 'to_till' | 'to_vault';
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const push = useToasts((s) => s.push);
  const request = useCommand('tills.transfers.request');
  const [counts, setCounts] = useState<TypedCounts>({});
  const title = t(props.direction === 'to_till' ? 'tills.requestCash' : 'tills.sendExcess');
  async function submit() {
    const done = await request.run({
      tillId: props.mine.till.id,
      direction: props.direction,
      amount: String(typedTotal(counts)),
      denominations: toCountList(props.mine.denominations, counts),
    });
    if (!done) return;
    push('success', t('tills.transferRequested'));
    props.onDone();
  }
  return (
    <DialogForm
      title={title}
      submitLabel={title}
      submitDisabled={request.busy || typedTotal(counts) <= 0n}
      error={request.error}
      onSubmit={submit}
      onClose={props.onClose}
    >
      <DenominationGrid
        label={title}
        denominations={props.mine.denominations}
        counts={counts}
        onChange={setCounts}
      />
    </DialogForm>
  );
}

/** The blind count: every denomination, no expected figure anywhere on the screen. */
function CloseDialog(props: { mine: MyTillDto; onClose(): void; onDone(r: CloseResult): void }) {
  const { t } = useTranslation();
  const close = useCommand('tills.close');
  const [counts, setCounts] = useState<TypedCounts>({});
  async function submit() {
    const done = await close.run({
      tillId: props.mine.till.id,
      denominations: toCountList(props.mine.denominations, counts, true),
    });
    if (done) props.onDone(done);
  }
  return (
    <DialogForm
      title={t('tills.closeDay')}
      formLabel={t('tills.closeDay')}
      submitLabel={t('tills.submitCount')}
      submitDisabled={close.busy}
      error={close.error}
      onSubmit={submit}
      onClose={props.onClose}
    >
      <p className="hint">{t('tills.blindCountHint')}</p>
      <DenominationGrid
        label={t('tills.holdings')}
        denominations={props.mine.denominations}
        counts={counts}
        onChange={setCounts}
      />
    </DialogForm>
  );
}

export function CancelTransferDialog(props: { transferId: string; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const push = useToasts((s) => s.push);
  const cancel = useCommand('tills.transfers.cancel');
  const [reason, setReason] = useState('');
  async function submit() {
    const done = await cancel.run({ transferId: props.transferId, reason });
    if (!done) return;
    push('success', t('tills.cancelled'));
    props.onDone();
  }
  return (
    <DialogForm
      title={t('tills.cancelRequest')}
      submitLabel={t('tills.cancel')}
      submitDisabled={cancel.busy || !reason.trim()}
      error={cancel.error}
      onSubmit={submit}
      onClose={props.onClose}
    >
      <ReasonField value={reason} onChange={setReason} />
    </DialogForm>
  );
}
