import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { DepositAccountDto, HistoryItemDto, WithdrawalDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload, getBridge } from '../api';
import { ErrorMessage, Field, Modal } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { MovementForm } from '../components/deposits/MovementForm';
import { AccountStatusBadge, ActivityBadge, WithdrawalBadge } from '../components/deposits/badges';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';
import { ReasonForm, useFormatTime } from './CustomerParts';
import { ReceiptActions } from '../components/receipts/ReceiptActions';
import { downloadCsv } from '../components/download';
import '../components/deposits/deposits.css';

type AccountAction = 'freeze' | 'unfreeze' | 'inactivate' | 'reactivate' | 'close';
const ACTIONS_BY_STATUS: Record<DepositAccountDto['status'], AccountAction[]> = {
  active: ['freeze', 'inactivate', 'close'],
  frozen: ['unfreeze'],
  inactive: ['reactivate'],
  closed: [],
};
type Dialog =
  | { kind: 'deposit' | 'withdraw' }
  | { kind: 'account'; action: AccountAction }
  | { kind: 'revertDeposit' | 'cancelWithdrawal' | 'revertWithdrawal'; id: string }
  | null;
const IN_FLIGHT: WithdrawalDto['status'][] = ['pending_approval', 'pending_confirmation'];
const HISTORY_PAGE = 50;
type HistoryFilter = 'all' | 'movements' | 'events';

/** One deposit account: balances, counter operations, account actions, withdrawals and history. */
export function DepositAccountScreen() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const time = useFormatTime();
  const [account, setAccount] = useState<DepositAccountDto | null>(null);
  const [withdrawals, setWithdrawals] = useState<WithdrawalDto[]>([]);
  const [history, setHistory] = useState<HistoryItemDto[]>([]);
  const [historyTotal, setHistoryTotal] = useState(0);
  const [historyFilter, setHistoryFilter] = useState<HistoryFilter>('all');
  const [historyFrom, setHistoryFrom] = useState('');
  const [historyTo, setHistoryTo] = useState('');
  const historyQuery = useMemo(
    () => ({
      id,
      show: historyFilter,
      ...(historyFrom ? { from: historyFrom } : {}),
      ...(historyTo ? { to: historyTo } : {}),
    }),
    [id, historyFilter, historyFrom, historyTo],
  );
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [exporting, setExporting] = useState(false);

  const record = useCommand('deposits.record');
  const initiate = useCommand('deposits.withdrawals.initiate');
  const confirm = useCommand('deposits.withdrawals.confirm');
  const cancel = useCommand('deposits.withdrawals.cancel');
  const revertWithdrawal = useCommand('deposits.withdrawals.revert');
  const revertDeposit = useCommand('deposits.revert');
  const freeze = useCommand('deposits.accounts.freeze');
  const unfreeze = useCommand('deposits.accounts.unfreeze');
  const inactivate = useCommand('deposits.accounts.inactivate');
  const reactivate = useCommand('deposits.accounts.reactivate');
  const close = useCommand('deposits.accounts.close');
  const accountCommands = { freeze, unfreeze, inactivate, reactivate, close };
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [a, w, h] = await Promise.all([
        call('deposits.accounts.get', { id }),
        call('deposits.withdrawals.list', { accountId: id, limit: 200 }),
        call('deposits.accounts.history', { ...historyQuery, offset: 0, limit: HISTORY_PAGE }),
      ]);
      setAccount(a);
      setWithdrawals(w.items);
      setHistory(h.items);
      setHistoryTotal(h.total);
      setError(null);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, [id, historyQuery]);
  useEffect(() => {
    void load();
  }, [load]);

  // Live: a supervisor's vote on another workstation (NOTIFY at commit) re-reads the withdrawals.
  useEffect(
    () =>
      getBridge().subscribe((event) => {
        if (event === 'approvals.changed' && !useSession.getState().session?.locked) void load();
      }),
    [load],
  );

  async function moreHistory() {
    try {
      const h = await call('deposits.accounts.history', {
        ...historyQuery,
        offset: history.length,
        limit: HISTORY_PAGE,
      });
      setHistory([...history, ...h.items]);
      setHistoryTotal(h.total);
    } catch (err) {
      setError(errorPayload(err));
    }
  }

  async function exportCsv() {
    setExporting(true);
    setError(null);
    try {
      const out = await call('deposits.accounts.historyCsv', { id });
      downloadCsv(out.fileName, out.csv);
    } catch (err) {
      setError(errorPayload(err));
    } finally {
      setExporting(false);
    }
  }

  const done = (message: string) => {
    setDialog(null);
    push('success', message);
    void load();
  };

  async function confirmWithdrawal(w: WithdrawalDto) {
    if (confirming !== w.id) confirm.reset(); // another withdrawal: another intention
    setConfirming(w.id);
    const out = await confirm.run({ id: w.id });
    if (out) done(t('deposits.withdrawalConfirmed', { amount: money(out.amount) }));
  }

  const money = (m: string) => formatMoney(m, 'USD', i18n.language);
  const operate = can(session, 'deposit.operate');
  const manage = can(session, 'deposit.manage');
  return (
    <section aria-labelledby="deposit-account-title">
      <p>
        <Link to="/deposit-accounts">{t('deposits.backToAccounts')}</Link>
      </p>
      <header className="screen-header">
        <h1 id="deposit-account-title">
          {account ? t('deposits.accountTitle', { publicId: account.publicId }) : t('deposits.accountsTitle')}
        </h1>
        {account ? (
          <span className="badges">
            <AccountStatusBadge status={account.status} />
            <ActivityBadge status={account.activityStatus} />
          </span>
        ) : null}
      </header>
      <ErrorMessage error={error ?? confirm.error} />
      {account ? (
        <>
          <p>
            {t('deposits.holder')}:{' '}
            <Link to={`/customers/${account.holderId}`} data-testid="holder">
              {account.holderName} ({account.holderPublicId})
            </Link>
            {' · '}
            {t('deposits.lastActivity', { date: account.lastActivityOn })}
          </p>
          {account.status !== 'active' && account.statusReason ? (
            <div className="banner bad">
              {t('deposits.statusBecause', {
                status: t(`deposits.accountStatus.${account.status}`),
                reason: account.statusReason,
              })}
            </div>
          ) : null}
          <dl className="balances">
            <div>
              <dt>{t('deposits.settled')}</dt>
              <dd data-testid="settled">{money(account.settled)}</dd>
            </div>
            <div>
              <dt>{t('deposits.pending')}</dt>
              <dd data-testid="pending">{money(account.pending)}</dd>
            </div>
            {account.frozen !== '0' ? (
              <div>
                <dt>{t('deposits.frozen')}</dt>
                <dd data-testid="frozen">{money(account.frozen)}</dd>
              </div>
            ) : null}
          </dl>
          <div
            className="buttons"
            role="group"
            aria-label={t('common.actions')}
            style={{ marginBottom: '1rem' }}
          >
            {operate && account.status === 'active' ? (
              <>
                <button type="button" className="primary" onClick={() => setDialog({ kind: 'deposit' })}>
                  {t('deposits.recordDeposit')}
                </button>
                <button type="button" onClick={() => setDialog({ kind: 'withdraw' })}>
                  {t('deposits.initiateWithdrawal')}
                </button>
              </>
            ) : null}
            {manage
              ? ACTIONS_BY_STATUS[account.status].map((action) => (
                  <button
                    key={action}
                    type="button"
                    className={action === 'close' ? 'danger' : undefined}
                    onClick={() => setDialog({ kind: 'account', action })}
                  >
                    {t(`deposits.accountActions.${action}`)}
                  </button>
                ))
              : null}
            <button type="button" disabled={exporting} onClick={() => void exportCsv()}>
              {t('deposits.exportCsv')}
            </button>
          </div>

          <section aria-labelledby="withdrawals-title">
            <h2 id="withdrawals-title">{t('deposits.withdrawals')}</h2>
            <table className="grid" data-testid="withdrawals">
              <thead>
                <tr>
                  <th scope="col">{t('deposits.initiatedAt')}</th>
                  <th scope="col" className="num">
                    {t('deposits.amount')}
                  </th>
                  <th scope="col">{t('deposits.methodLabel')}</th>
                  <th scope="col">{t('deposits.reference')}</th>
                  <th scope="col">{t('deposits.status')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {withdrawals.map((w) => (
                  <tr key={w.id} data-withdrawal={w.id}>
                    <td>{time(w.initiatedAt)}</td>
                    <td className="num">{money(w.amount)}</td>
                    <td>{t(`deposits.method.${w.method}`)}</td>
                    <td>{w.reference ?? ''}</td>
                    <td>
                      <WithdrawalBadge status={w.status} />
                      {w.cancelReason || w.revertReason ? (
                        <div className="hint">{w.revertReason ?? w.cancelReason}</div>
                      ) : null}
                    </td>
                    <td>
                      <div className="buttons">
                        {operate && w.status === 'pending_confirmation' ? (
                          <button
                            type="button"
                            className="primary"
                            disabled={confirm.busy}
                            onClick={() => void confirmWithdrawal(w)}
                          >
                            {t('deposits.confirm')}
                          </button>
                        ) : null}
                        {operate && IN_FLIGHT.includes(w.status) ? (
                          <button
                            type="button"
                            onClick={() => setDialog({ kind: 'cancelWithdrawal', id: w.id })}
                          >
                            {t('deposits.cancelWithdrawal')}
                          </button>
                        ) : null}
                        {manage && w.status === 'confirmed' ? (
                          <button
                            type="button"
                            className="danger"
                            onClick={() => setDialog({ kind: 'revertWithdrawal', id: w.id })}
                          >
                            {t('deposits.revert')}
                          </button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))}
                {withdrawals.length === 0 ? (
                  <tr>
                    <td colSpan={6}>{t('deposits.noWithdrawals')}</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </section>

          <section aria-labelledby="history-title">
            <h2 id="history-title">{t('deposits.history')}</h2>
            <div className="filters history-filters">
              <Field label={t('deposits.show')}>
                {(fid) => (
                  <select
                    id={fid}
                    name="historyFilter"
                    value={historyFilter}
                    onChange={(e) => setHistoryFilter(e.target.value as HistoryFilter)}
                  >
                    <option value="all">{t('deposits.historyFilter.all')}</option>
                    <option value="movements">{t('deposits.historyFilter.movements')}</option>
                    <option value="events">{t('deposits.historyFilter.events')}</option>
                  </select>
                )}
              </Field>
              <Field label={t('deposits.historyFrom')}>
                {(fid) => (
                  <input
                    id={fid}
                    type="date"
                    value={historyFrom}
                    onChange={(e) => setHistoryFrom(e.target.value)}
                  />
                )}
              </Field>
              <Field label={t('deposits.historyTo')}>
                {(fid) => (
                  <input
                    id={fid}
                    type="date"
                    value={historyTo}
                    onChange={(e) => setHistoryTo(e.target.value)}
                  />
                )}
              </Field>
            </div>
            <table className="grid" data-testid="history">
              <thead>
                <tr>
                  <th scope="col">{t('deposits.when')}</th>
                  <th scope="col">{t('deposits.what')}</th>
                  <th scope="col" className="num">
                    {t('deposits.amount')}
                  </th>
                  <th scope="col">{t('deposits.details')}</th>
                  <th scope="col" className="num">
                    {t('deposits.balanceAfter')}
                  </th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={`${h.kind}-${h.id}`}>
                    <td>{time(h.at)}</td>
                    <td>
                      {t(`deposits.kind.${h.kind}`)}
                      {h.status && h.kind === 'withdrawal' ? (
                        <> · {t(`deposits.withdrawalLabel.${h.status}`, { defaultValue: h.status })}</>
                      ) : null}
                    </td>
                    <td
                      className={`num ${h.direction === 'in' ? 'amount-in' : h.direction === 'out' ? 'amount-out' : ''}`}
                    >
                      {h.amount ? `${h.direction === 'out' ? '−' : ''}${money(h.amount)}` : ''}
                    </td>
                    <td>
                      {[
                        h.method ? t(`deposits.method.${h.method}`, { defaultValue: h.method }) : null,
                        h.reference,
                        h.reason,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </td>
                    <td className="num">{h.balanceAfter ? money(h.balanceAfter) : ''}</td>
                    <td className="actions">
                      {manage && h.kind === 'deposit' && h.status === 'confirmed' ? (
                        <button type="button" onClick={() => setDialog({ kind: 'revertDeposit', id: h.id })}>
                          {t('deposits.revert')}
                        </button>
                      ) : null}
                      {h.kind.startsWith('deposit') || h.kind.startsWith('withdrawal') ? (
                        <ReceiptActions
                          kind={h.kind.startsWith('deposit') ? 'deposit' : 'withdrawal'}
                          movementId={h.id}
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
                {history.length === 0 ? (
                  <tr>
                    <td colSpan={6}>{t('deposits.noHistory')}</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
            {history.length < historyTotal ? (
              <button type="button" onClick={() => void moreHistory()}>
                {t('common.loadMore')}
              </button>
            ) : null}
          </section>
        </>
      ) : null}

      {account && dialog?.kind === 'deposit' ? (
        <Modal
          title={t('deposits.recordDepositTitle', { publicId: account.publicId })}
          onClose={() => setDialog(null)}
        >
          <MovementForm
            kind="deposit"
            account={account}
            busy={record.busy}
            error={record.error}
            onSubmit={async (input) => {
              const out = await record.run({ accountId: account.id, ...input });
              if (out) done(t('deposits.depositRecorded', { amount: money(out.amount) }));
            }}
          />
        </Modal>
      ) : null}
      {account && dialog?.kind === 'withdraw' ? (
        <Modal
          title={t('deposits.initiateWithdrawalTitle', { publicId: account.publicId })}
          onClose={() => setDialog(null)}
        >
          <MovementForm
            kind="withdraw"
            account={account}
            busy={initiate.busy}
            error={initiate.error}
            onSubmit={async (input) => {
              const out = await initiate.run({ accountId: account.id, ...input });
              if (out)
                done(
                  t('deposits.withdrawalInitiated', {
                    amount: money(out.amount),
                    status: t(`deposits.withdrawalStatus.${out.status}`),
                  }),
                );
            }}
          />
        </Modal>
      ) : null}
      {account && dialog?.kind === 'account' ? (
        <Modal
          title={t(`deposits.accountActionTitle.${dialog.action}`, { publicId: account.publicId })}
          onClose={() => setDialog(null)}
        >
          {dialog.action === 'close' ? <p className="hint">{t('deposits.closeHint')}</p> : null}
          <ReasonForm
            name="reason"
            danger={dialog.action === 'close'}
            submitLabel={t(`deposits.accountActions.${dialog.action}`)}
            busy={accountCommands[dialog.action].busy}
            error={accountCommands[dialog.action].error}
            onSubmit={async (reason) => {
              const out = await accountCommands[dialog.action].run({ id: account.id, reason });
              if (out) done(t('deposits.accountUpdated'));
            }}
          />
        </Modal>
      ) : null}
      {dialog?.kind === 'cancelWithdrawal' ? (
        <Modal title={t('deposits.cancelWithdrawalTitle')} onClose={() => setDialog(null)}>
          <ReasonForm
            name="reason"
            submitLabel={t('deposits.cancelWithdrawal')}
            busy={cancel.busy}
            error={cancel.error}
            onSubmit={async (reason) => {
              const out = await cancel.run({ id: dialog.id, reason });
              if (out) done(t('deposits.withdrawalCancelled'));
            }}
          />
        </Modal>
      ) : null}
      {dialog?.kind === 'revertWithdrawal' ? (
        <Modal title={t('deposits.revertWithdrawalTitle')} onClose={() => setDialog(null)}>
          <ReasonForm
            name="reason"
            danger
            submitLabel={t('deposits.revert')}
            busy={revertWithdrawal.busy}
            error={revertWithdrawal.error}
            onSubmit={async (reason) => {
              const out = await revertWithdrawal.run({ id: dialog.id, reason });
              if (out) done(t('deposits.reverted'));
            }}
          />
        </Modal>
      ) : null}
      {dialog?.kind === 'revertDeposit' ? (
        <Modal title={t('deposits.revertDepositTitle')} onClose={() => setDialog(null)}>
          <ReasonForm
            name="reason"
            danger
            submitLabel={t('deposits.revert')}
            busy={revertDeposit.busy}
            error={revertDeposit.error}
            onSubmit={async (reason) => {
              const out = await revertDeposit.run({ id: dialog.id, reason });
              if (out) done(t('deposits.reverted'));
            }}
          />
        </Modal>
      ) : null}
    </section>
  );
}
