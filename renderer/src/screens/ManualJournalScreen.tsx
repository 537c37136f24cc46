import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LedgerAccountSummaryDto, ManualTransactionDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { decimalToMinor, formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field, Modal, ReasonField } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';

interface DraftLine {
  account: LedgerAccountSummaryDto | null;
  layer: 'settled' | 'pending';
  direction: 'debit' | 'credit';
  amount: string;
}

const emptyLine = (direction: 'debit' | 'credit'): DraftLine => ({
  account: null,
  layer: 'settled',
  direction,
  amount: '',
});

/** Minor units of a typed amount, or null while it is not a valid amount for the currency. */
function minorOf(line: DraftLine): bigint | null {
  if (!line.account || !line.amount.trim()) return null;
  try {
    const minor = BigInt(decimalToMinor(line.amount, line.account.currency));
    return minor > 0n ? minor : null;
  } catch {
    return null;
  }
}

/** Debits minus credits per currency and layer: every one must be zero before it can be proposed. */
function imbalances(lines: DraftLine[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const l of lines) {
    const minor = minorOf(l);
    if (!l.account || minor === null) continue;
    const key = `${l.account.currency} ${l.layer}`;
    sums.set(key, (sums.get(key) ?? 0n) + (l.direction === 'debit' ? minor : -minor));
  }
  return new Map([...sums].filter(([, v]) => v !== 0n));
}

function AccountPicker({
  value,
  onChange,
}: {
  value: LedgerAccountSummaryDto | null;
  onChange: (a: LedgerAccountSummaryDto | null) => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<LedgerAccountSummaryDto[]>([]);
  if (value) {
    return (
      <span className="picked">
        <span className="mono">{value.code}</span> {value.name} ({value.currency}){' '}
        <button type="button" className="link" onClick={() => onChange(null)}>
          {t('manual.change')}
        </button>
      </span>
    );
  }
  return (
    <span className="picker">
      <input
        aria-label={t('manual.account')}
        placeholder={t('manual.accountSearch')}
        value={search}
        maxLength={120}
        onChange={(e) => setSearch(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void call('ledger.accounts', { search, limit: 8 }).then((r) => setFound(r.accounts));
          }
        }}
      />
      <button
        type="button"
        onClick={() => void call('ledger.accounts', { search, limit: 8 }).then((r) => setFound(r.accounts))}
      >
        {t('common.search')}
      </button>
      {found.length ? (
        <select
          aria-label={t('manual.chooseAccount')}
          defaultValue=""
          onChange={(e) => onChange(found.find((a) => a.id === e.target.value) ?? null)}
        >
          <option value="" disabled>
            {t('manual.chooseAccount')}
          </option>
          {found.map((a) => (
            <option key={a.id} value={a.id}>
              {a.code} — {a.name} ({a.currency})
            </option>
          ))}
        </select>
      ) : null}
    </span>
  );
}

function ProposeForm({ onDone }: { onDone: (m: ManualTransactionDto) => void }) {
  const { t, i18n } = useTranslation();
  const businessDate = useSession((s) => s.info?.businessDate) ?? '';
  const propose = useCommand('accounting.manual.propose');
  const [effectiveDate, setEffectiveDate] = useState(businessDate);
  const [description, setDescription] = useState('');
  const [lines, setLines] = useState<DraftLine[]>([emptyLine('debit'), emptyLine('credit')]);
  const off = imbalances(lines);
  const complete = lines.every((l) => l.account && minorOf(l) !== null);
  const set = (i: number, patch: Partial<DraftLine>) =>
    setLines(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const proposed = await propose.run({
      effectiveDate,
      description,
      lines: lines.map((l) => ({
        accountId: l.account!.id,
        layer: l.layer,
        direction: l.direction,
        amount: minorOf(l)!.toString(),
      })),
    });
    if (proposed) onDone(proposed);
  }

  return (
    <form onSubmit={submit}>
      <div className="row">
        <Field label={t('manual.effectiveDate')}>
          {(id) => (
            <input
              id={id}
              type="date"
              required
              value={effectiveDate}
              onChange={(e) => setEffectiveDate(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('manual.description')}>
          {(id) => (
            <input
              id={id}
              required
              maxLength={500}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
      </div>
      <table className="grid">
        <thead>
          <tr>
            <th>{t('manual.account')}</th>
            <th>{t('manual.layer')}</th>
            <th>{t('manual.side')}</th>
            <th>{t('manual.amount')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            <tr key={i}>
              <td>
                <AccountPicker value={l.account} onChange={(account) => set(i, { account })} />
              </td>
              <td>
                <select
                  aria-label={t('manual.layer')}
                  value={l.layer}
                  onChange={(e) => set(i, { layer: e.target.value as DraftLine['layer'] })}
                >
                  <option value="settled">{t('chart.settled')}</option>
                  <option value="pending">{t('chart.pending')}</option>
                </select>
              </td>
              <td>
                <select
                  aria-label={t('manual.side')}
                  value={l.direction}
                  onChange={(e) => set(i, { direction: e.target.value as DraftLine['direction'] })}
                >
                  <option value="debit">{t('chart.debit')}</option>
                  <option value="credit">{t('chart.credit')}</option>
                </select>
              </td>
              <td>
                <input
                  aria-label={t('manual.amount')}
                  inputMode="decimal"
                  value={l.amount}
                  aria-invalid={l.amount !== '' && minorOf(l) === null}
                  onChange={(e) => set(i, { amount: e.target.value })}
                />
              </td>
              <td>
                {lines.length > 2 ? (
                  <button
                    type="button"
                    className="link"
                    onClick={() => setLines(lines.filter((_, j) => j !== i))}
                  >
                    {t('manual.removeLine')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button
          type="button"
          onClick={() => setLines([...lines, emptyLine('debit')])}
          disabled={lines.length >= 50}
        >
          {t('manual.addLine')}
        </button>
      </p>
      <p role="status" data-testid="manual-balance" className={off.size ? 'problems' : 'ok'}>
        {off.size
          ? [...off]
              .map(([key, diff]) =>
                t('manual.offBy', {
                  key,
                  diff: formatMoney(
                    diff < 0n ? -diff : diff,
                    key.slice(0, 3) as 'USD' | 'BTC',
                    i18n.language,
                  ),
                  side: t(diff > 0n ? 'chart.debit' : 'chart.credit'),
                }),
              )
              .join(' ')
          : t('manual.balanced')}
      </p>
      <ErrorMessage error={propose.error} />
      <button type="submit" className="primary" disabled={propose.busy || !complete || off.size > 0}>
        {t('manual.propose')}
      </button>
    </form>
  );
}

export function ManualJournalScreen() {
  const { t, i18n } = useTranslation();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const manage = can(session, 'accounting.manage');
  const [items, setItems] = useState<ManualTransactionDto[]>([]);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [proposing, setProposing] = useState(false);
  const [rejecting, setRejecting] = useState<ManualTransactionDto | null>(null);
  const [reason, setReason] = useState('');
  const approve = useCommand('accounting.manual.approve');
  const reject = useCommand('accounting.manual.reject');

  const load = useCallback(async () => {
    try {
      setItems(await call('accounting.manual.list', {}));
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="manual-title">
      <header className="screen-header">
        <h1 id="manual-title">{t('manual.title')}</h1>
        {manage ? (
          <button type="button" className="primary" onClick={() => setProposing(true)}>
            {t('manual.new')}
          </button>
        ) : null}
      </header>
      <p className="hint">{t('manual.hint')}</p>
      <ErrorMessage error={error ?? approve.error ?? reject.error} />
      <table className="grid">
        <thead>
          <tr>
            <th>{t('manual.effectiveDate')}</th>
            <th>{t('manual.description')}</th>
            <th>{t('manual.lines')}</th>
            <th>{t('manual.status')}</th>
            <th>{t('manual.proposedBy')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr key={m.id} data-manual-id={m.id} data-status={m.status}>
              <td className="mono">{m.effectiveDate}</td>
              <td>{m.description}</td>
              <td className="small">
                {m.lines.map((l, i) => (
                  <div key={i}>
                    <span className="mono">{l.accountCode}</span> {t(`chart.${l.direction}`)}{' '}
                    {formatMoney(l.amount, l.currency, i18n.language)}
                    {l.layer === 'pending' ? ` (${t('chart.pending')})` : ''}
                  </div>
                ))}
              </td>
              <td>
                <span className="badge">{t(`manual.statuses.${m.status}`)}</span>
                {m.decisionReason ? <div className="small">{m.decisionReason}</div> : null}
              </td>
              <td>
                {m.proposedBy}
                {m.decidedBy ? (
                  <div className="small">{t('manual.decidedBy', { name: m.decidedBy })}</div>
                ) : null}
              </td>
              <td className="actions">
                {manage && m.status === 'pending_approval' && m.proposedBy !== session?.username ? (
                  <>
                    <button
                      type="button"
                      className="primary"
                      disabled={approve.busy}
                      onClick={async () => {
                        if (await approve.run({ id: m.id })) {
                          push('success', t('manual.posted'));
                          void load();
                        }
                      }}
                    >
                      {t('manual.approve')}
                    </button>
                    <button type="button" className="danger" onClick={() => setRejecting(m)}>
                      {t('manual.reject')}
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
          {items.length === 0 ? (
            <tr>
              <td colSpan={6} className="empty">
                {t('manual.empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {proposing ? (
        <Modal title={t('manual.new')} onClose={() => setProposing(false)}>
          <ProposeForm
            onDone={() => {
              setProposing(false);
              push('success', t('manual.proposed'));
              void load();
            }}
          />
        </Modal>
      ) : null}
      {rejecting ? (
        <Modal title={t('manual.reject')} onClose={() => setRejecting(null)}>
          <form
            onSubmit={async (e) => {
              e.preventDefault();
              if (await reject.run({ id: rejecting.id, reason })) {
                setRejecting(null);
                setReason('');
                void load();
              }
            }}
          >
            <ReasonField value={reason} onChange={setReason} />
            <ErrorMessage error={reject.error} />
            <button type="submit" className="danger" disabled={reject.busy}>
              {t('manual.reject')}
            </button>
          </form>
        </Modal>
      ) : null}
    </section>
  );
}
