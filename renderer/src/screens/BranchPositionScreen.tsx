import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, BranchPositionDto, DenominationDto, VaultTransferDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { DialogForm, ErrorMessage, Field, ReasonField } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { useToasts } from '../stores/toasts';
import { useSession } from '../stores/session';
import { DenominationGrid } from '../components/tills/DenominationGrid';
import { toCountList, type TypedCounts } from '../components/tills/counts';
import { SessionBadge } from '../components/tills/badges';
import { CancelTransferDialog } from './TillScreen';
import { useFormatTime } from './CustomerParts';
import '../components/tills/tills.css';

/** How often the position is read again: the ledger moves with every teller's transaction. */
const REFRESH_MS = 5000;

type Dialog =
  | { kind: 'confirm'; transfer: VaultTransferDto }
  | { kind: 'cancel'; transfer: VaultTransferDto }
  | { kind: 'signOff'; sessionId: string; till: string }
  | null;

/** Every till's expected cash and the vault's, live; the second counts and sign-offs waiting. */
export function BranchPositionScreen() {
  const { t, i18n } = useTranslation();
  const [branches, setBranches] = useState<BranchDto[]>([]);
  const [branchId, setBranchId] = useState('');
  const [position, setPosition] = useState<BranchPositionDto | null>(null);
  const [denominations, setDenominations] = useState<DenominationDto[]>([]);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const money = (minor: string) => formatMoney(minor, 'USD', i18n.language);
  const time = useFormatTime();

  useEffect(() => {
    Promise.all([call('tills.branches.list', {}), call('tills.denominations.list', { currency: 'USD' })])
      .then(([b, d]) => {
        setBranches(b);
        setDenominations(d.filter((x) => x.active));
        setBranchId((current) => current || b[0]?.id || '');
      })
      .catch((err: unknown) => setError(errorPayload(err)));
  }, []);

  const load = useCallback(async () => {
    if (!branchId) return;
    try {
      setPosition(await call('tills.position', { branchId }));
      setError(null);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, [branchId]);
  useEffect(() => {
    void load();
    // Not while the workstation is locked: the bank would refuse, and nobody is looking.
    const timer = setInterval(() => {
      if (!useSession.getState().session?.locked) void load();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const done = () => {
    setDialog(null);
    void load();
  };
  const awaiting = position?.tills.filter((x) => x.session?.status === 'awaiting_sign_off') ?? [];

  return (
    <section aria-labelledby="position-title">
      <header className="screen-header">
        <h1 id="position-title">{t('tills.positionTitle')}</h1>
      </header>
      <div className="filters">
        <Field label={t('tills.branch')}>
          {(id) => (
            <select id={id} value={branchId} onChange={(e) => setBranchId(e.target.value)}>
              {branches.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.code} · {b.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={error} />
      {position ? (
        <>
          <p className="hint">
            {t('tills.businessDate')}: {position.businessDate} · {t('tills.liveHint')}
          </p>
          <table className="grid" data-testid="position">
            <thead>
              <tr>
                <th scope="col">{t('tills.chooseTill')}</th>
                <th scope="col">{t('tills.status')}</th>
                <th scope="col">{t('tills.teller')}</th>
                <th scope="col" className="num">
                  {t('tills.expected')}
                </th>
                <th scope="col" className="num">
                  {t('tills.counted')}
                </th>
                <th scope="col" className="num">
                  {t('tills.difference')}
                </th>
              </tr>
            </thead>
            <tbody>
              <tr data-testid="position-vault">
                <td>{t('tills.vault')}</td>
                <td />
                <td />
                <td className="num">{money(position.vault.expected)}</td>
                <td />
                <td />
              </tr>
              {position.tills.map((row) => (
                <tr key={row.till.id} data-testid={`position-${row.till.code}`}>
                  <td>
                    {row.till.code} · {row.till.name}
                  </td>
                  <td>
                    <SessionBadge status={row.session?.status ?? null} />
                  </td>
                  <td>{row.session?.tellerName ?? ''}</td>
                  <td className="num">{money(row.expected)}</td>
                  <td className="num">{row.counted ? money(row.counted) : ''}</td>
                  <td className={`num ${row.difference?.startsWith('-') ? 'amount-out' : ''}`}>
                    {row.difference ? money(row.difference) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="position-total">
                <td colSpan={3}>{t('tills.positionTotal')}</td>
                <td className="num" data-testid="position-total">
                  {money(position.total)}
                </td>
                <td />
                <td />
              </tr>
            </tfoot>
          </table>

          <h2>{t('tills.pendingTransfers')}</h2>
          {position.pendingTransfers.length === 0 ? (
            <p className="hint">{t('tills.noPendingTransfers')}</p>
          ) : (
            <table className="grid" data-testid="pending-transfers">
              <thead>
                <tr>
                  <th scope="col">{t('tills.chooseTill')}</th>
                  <th scope="col">{t('tills.operation')}</th>
                  <th scope="col">{t('tills.requestedBy')}</th>
                  <th scope="col" className="num">
                    {t('tills.amount')}
                  </th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {position.pendingTransfers.map((x) => (
                  <tr key={x.id}>
                    <td>{x.tillCode}</td>
                    <td>
                      {t(`tills.direction.${x.direction}`)} ({t(`tills.purpose.${x.purpose}`)})
                    </td>
                    <td>
                      {x.requestedByName} · {time(x.requestedAt)}
                    </td>
                    <td className="num">{money(x.amount)}</td>
                    <td className="actions">
                      <button
                        type="button"
                        className="primary"
                        onClick={() => setDialog({ kind: 'confirm', transfer: x })}
                      >
                        {t('tills.confirm')}
                      </button>
                      <button type="button" onClick={() => setDialog({ kind: 'cancel', transfer: x })}>
                        {t('tills.cancel')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h2>{t('tills.signOffs')}</h2>
          {awaiting.length === 0 ? (
            <p className="hint">{t('tills.noSignOffs')}</p>
          ) : (
            <ul data-testid="sign-offs">
              {awaiting.map((row) => (
                <li key={row.till.id}>
                  {row.till.code} · {row.session!.tellerName}: {t('tills.difference')}{' '}
                  {money(row.difference!)}{' '}
                  <button
                    type="button"
                    className="primary"
                    onClick={() =>
                      setDialog({ kind: 'signOff', sessionId: row.session!.id, till: row.till.code })
                    }
                  >
                    {t('tills.signOff')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
      {dialog?.kind === 'confirm' ? (
        <ConfirmTransferDialog
          transfer={dialog.transfer}
          denominations={denominations}
          onClose={() => setDialog(null)}
          onDone={done}
        />
      ) : null}
      {dialog?.kind === 'cancel' ? (
        <CancelTransferDialog transferId={dialog.transfer.id} onClose={() => setDialog(null)} onDone={done} />
      ) : null}
      {dialog?.kind === 'signOff' ? (
        <SignOffDialog
          sessionId={dialog.sessionId}
          till={dialog.till}
          onClose={() => setDialog(null)}
          onDone={done}
        />
      ) : null}
    </section>
  );
}

/** The second person counts the cash themselves; the teller's count is not shown to copy. */
function ConfirmTransferDialog(props: {
  transfer: VaultTransferDto;
  denominations: DenominationDto[];
  onClose(): void;
  onDone(): void;
}) {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const confirm = useCommand('tills.transfers.confirm');
  const [counts, setCounts] = useState<TypedCounts>({});
  const x = props.transfer;
  async function submit() {
    const done = await confirm.run({
      transferId: x.id,
      denominations: toCountList(props.denominations, counts),
    });
    if (!done) return;
    push('success', t('tills.confirmed'));
    props.onDone();
  }
  return (
    <DialogForm
      title={t('tills.confirmTitle', {
        direction: t(`tills.direction.${x.direction}`),
        amount: formatMoney(x.amount, 'USD', i18n.language),
        till: x.tillCode,
      })}
      formLabel={t('tills.confirm')}
      submitLabel={t('tills.confirm')}
      submitDisabled={confirm.busy}
      error={confirm.error}
      onSubmit={submit}
      onClose={props.onClose}
    >
      <p className="hint">{t('tills.confirmHint')}</p>
      <DenominationGrid
        label={t('tills.holdings')}
        denominations={props.denominations}
        counts={counts}
        onChange={setCounts}
        amount={x.amount}
      />
    </DialogForm>
  );
}

function SignOffDialog(props: { sessionId: string; till: string; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const push = useToasts((s) => s.push);
  const signOff = useCommand('tills.signOff');
  const [note, setNote] = useState('');
  async function submit() {
    const done = await signOff.run({ sessionId: props.sessionId, note });
    if (!done) return;
    push('success', t('tills.signedOff'));
    props.onDone();
  }
  return (
    <DialogForm
      title={t('tills.signOffTitle', { till: props.till })}
      formLabel={t('tills.signOff')}
      submitLabel={t('tills.signOff')}
      submitDisabled={signOff.busy || !note.trim()}
      error={signOff.error}
      onSubmit={submit}
      onClose={props.onClose}
    >
      <ReasonField label={t('tills.signOffNote')} name="note" value={note} onChange={setNote} />
    </DialogForm>
  );
}
