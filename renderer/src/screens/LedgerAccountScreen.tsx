import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { LedgerAccountDto, LedgerAccountSummaryDto, LedgerEntryDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { downloadCsv } from '../components/download';
import { ErrorMessage, Field } from '../components/ui';

const PAGE = 50;

/** Letters, digits and hyphens only, plus '.csv'. */
export function safeCsvName(name: string): string {
  const base =
    name
      .replace(/\.csv$/i, '')
      .replace(/[^A-Za-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100) || 'ledger';
  return `${base}.csv`;
}

/** The ledger accounts, searched by code or name. */
export function LedgerAccountsScreen() {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [accounts, setAccounts] = useState<LedgerAccountSummaryDto[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const load = useCallback(async (term: string, offset: number) => {
    setError(null);
    try {
      const page = await call('ledger.accounts', { search: term, offset, limit: PAGE });
      setAccounts((prev) => (offset === 0 ? page.accounts : [...prev, ...page.accounts]));
      setHasMore(page.hasMore);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);

  useEffect(() => {
    void load('', 0);
  }, [load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void load(search, 0);
  }

  return (
    <section aria-labelledby="ledger-title">
      <h1 id="ledger-title">{t('ledger.title')}</h1>
      <form className="filters" role="search" onSubmit={submit}>
        <Field label={t('ledger.search')}>
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
          <button type="submit" className="primary">
            {t('ledger.find')}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      <table className="grid" data-testid="ledger-accounts">
        <thead>
          <tr>
            <th>{t('ledger.code')}</th>
            <th>{t('ledger.name')}</th>
            <th>{t('ledger.currency')}</th>
            <th className="num">{t('ledger.settled')}</th>
            <th className="num">{t('ledger.pending')}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id} data-code={a.code}>
              <td className="mono">
                <Link to={`/ledger/accounts/${a.id}`}>{a.code}</Link>
              </td>
              <td>{a.name}</td>
              <td>{a.currency}</td>
              <td className="num mono">{formatMoney(a.settled, a.currency, i18n.language)}</td>
              <td className="num mono">{formatMoney(a.pending, a.currency, i18n.language)}</td>
            </tr>
          ))}
          {accounts.length === 0 ? (
            <tr>
              <td colSpan={5}>{t('ledger.noAccounts')}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {hasMore ? (
        <button type="button" onClick={() => void load(search, accounts.length)}>
          {t('ledger.loadMore')}
        </button>
      ) : null}
    </section>
  );
}

/** One ledger account: its details, balances and entries, newest first, and its CSV export. */
export function LedgerAccountScreen() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [account, setAccount] = useState<LedgerAccountDto['account'] | null>(null);
  const [entries, setEntries] = useState<LedgerEntryDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(
    async (range: { from: string; to: string }, before?: string) => {
      setError(null);
      try {
        const page = await call('ledger.account', {
          id,
          limit: PAGE,
          ...(range.from ? { from: range.from } : {}),
          ...(range.to ? { to: range.to } : {}),
          ...(before ? { before } : {}),
        });
        setAccount(page.account);
        setEntries((prev) => (before ? [...prev, ...page.entries] : page.entries));
        setCursor(page.nextCursor);
      } catch (err) {
        setError(errorPayload(err));
      }
    },
    [id],
  );

  useEffect(() => {
    void load({ from: '', to: '' });
  }, [load]);

  async function exportCsv() {
    setExporting(true);
    setError(null);
    try {
      const out = await call('ledger.accountCsv', { id });
      downloadCsv(safeCsvName(out.fileName), out.csv);
    } catch (err) {
      setError(errorPayload(err));
    } finally {
      setExporting(false);
    }
  }

  const money = (v: string) => (account ? formatMoney(v, account.currency, i18n.language) : v);
  const chartNodes = account?.sets.filter((s) => s.chartCode !== null) ?? [];
  return (
    <section aria-labelledby="ledger-account-title">
      <p>
        <Link to="/ledger">{t('ledger.backToAccounts')}</Link>
      </p>
      <h1 id="ledger-account-title">
        {account ? t('ledger.accountTitle', { code: account.code, name: account.name }) : t('ledger.title')}
      </h1>
      <ErrorMessage error={error} />
      {account ? (
        <>
          <dl className="details" data-testid="ledger-account-details">
            <dt>{t('ledger.currency')}</dt>
            <dd>{account.currency}</dd>
            <dt>{t('ledger.normalSide')}</dt>
            <dd>{t(`ledger.side.${account.normalBalance}`)}</dd>
            <dt>{t('ledger.locked')}</dt>
            <dd>{account.locked ? t('ledger.yes') : t('ledger.no')}</dd>
            <dt>{t('ledger.preventOverdraft')}</dt>
            <dd>{account.preventOverdraft ? t('ledger.yes') : t('ledger.no')}</dd>
            <dt>{t('ledger.chartNodes')}</dt>
            <dd>
              {chartNodes.length
                ? chartNodes.map((s) => `${s.chartCode} ${s.name}`).join(', ')
                : t('ledger.none')}
            </dd>
            <dt>{t('ledger.settled')}</dt>
            <dd className="mono" data-testid="ledger-settled">
              {money(account.settled)}
            </dd>
            <dt>{t('ledger.pending')}</dt>
            <dd className="mono">{money(account.pending)}</dd>
          </dl>
          <form
            className="filters"
            onSubmit={(e) => {
              e.preventDefault();
              void load({ from, to });
            }}
          >
            <Field label={t('ledger.from')}>
              {(fid) => (
                <input
                  id={fid}
                  name="from"
                  type="date"
                  value={from}
                  onChange={(e) => setFrom(e.target.value)}
                />
              )}
            </Field>
            <Field label={t('ledger.to')}>
              {(fid) => (
                <input id={fid} name="to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
              )}
            </Field>
            <div className="buttons">
              <button type="submit" className="primary">
                {t('ledger.filter')}
              </button>
              <button type="button" onClick={() => void exportCsv()} disabled={exporting}>
                {t('ledger.exportCsv')}
              </button>
            </div>
          </form>
          <table className="grid" data-testid="ledger-entries">
            <thead>
              <tr>
                <th>{t('ledger.recordedAt')}</th>
                <th>{t('ledger.effectiveDate')}</th>
                <th>{t('ledger.template')}</th>
                <th>{t('ledger.description')}</th>
                <th>{t('ledger.layer')}</th>
                <th className="num">{t('ledger.debit')}</th>
                <th className="num">{t('ledger.credit')}</th>
                <th className="num">{t('ledger.balanceAfter')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-entry={e.id}>
                  <td className="mono">{new Date(e.recordedAt).toLocaleString(i18n.language)}</td>
                  <td className="mono">{e.effectiveDate}</td>
                  <td className="mono" title={e.transactionId}>
                    {e.templateCode}
                  </td>
                  <td>{e.description}</td>
                  <td>{t(`ledger.layers.${e.layer}`)}</td>
                  <td className="num mono">{e.direction === 'debit' ? money(e.amount) : ''}</td>
                  <td className="num mono">{e.direction === 'credit' ? money(e.amount) : ''}</td>
                  <td className="num mono">{e.balanceAfter === null ? '' : money(e.balanceAfter)}</td>
                </tr>
              ))}
              {entries.length === 0 ? (
                <tr>
                  <td colSpan={8}>{t('ledger.noEntries')}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
          {cursor ? (
            <button type="button" onClick={() => void load({ from, to }, cursor)}>
              {t('ledger.loadMore')}
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
