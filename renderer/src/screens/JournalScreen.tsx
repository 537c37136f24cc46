import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { JournalTransactionDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';

interface Filters {
  from: string;
  to: string;
  template: string;
}

/** The ledger's transactions, newest first, each with its entries. */
export function JournalScreen() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<Filters>({ from: '', to: '', template: '' });
  const [transactions, setTransactions] = useState<JournalTransactionDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const load = useCallback(async (f: Filters, before?: string) => {
    setError(null);
    try {
      const page = await call('ledger.journal', {
        limit: 25,
        ...(f.from ? { from: f.from } : {}),
        ...(f.to ? { to: f.to } : {}),
        ...(f.template.trim() ? { template: f.template.trim() } : {}),
        ...(before ? { before } : {}),
      });
      setTransactions((prev) => (before ? [...prev, ...page.transactions] : page.transactions));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);

  useEffect(() => {
    void load({ from: '', to: '', template: '' });
  }, [load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void load(filters);
  }

  const set = (k: keyof Filters) => (e: { target: { value: string } }) =>
    setFilters((f) => ({ ...f, [k]: e.target.value }));

  return (
    <section aria-labelledby="journal-title">
      <h1 id="journal-title">{t('journal.title')}</h1>
      <form className="filters" onSubmit={submit}>
        <Field label={t('ledger.from')}>
          {(id) => <input id={id} name="from" type="date" value={filters.from} onChange={set('from')} />}
        </Field>
        <Field label={t('ledger.to')}>
          {(id) => <input id={id} name="to" type="date" value={filters.to} onChange={set('to')} />}
        </Field>
        <Field label={t('ledger.template')}>
          {(id) => (
            <input
              id={id}
              name="template"
              maxLength={120}
              value={filters.template}
              onChange={set('template')}
            />
          )}
        </Field>
        <div className="buttons">
          <button type="submit" className="primary">
            {t('ledger.filter')}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {transactions.length === 0 ? <p>{t('journal.empty')}</p> : null}
      <ol className="journal" data-testid="journal">
        {transactions.map((tx) => (
          <li key={tx.id} data-transaction={tx.id}>
            <h2>
              <span className="mono">{tx.effectiveDate}</span> ·{' '}
              <span className="mono">{tx.templateCode}</span>
              {tx.description ? ` · ${tx.description}` : ''}
            </h2>
            <p className="muted">
              {t('journal.recorded', {
                at: new Date(tx.recordedAt).toLocaleString(i18n.language),
                id: tx.id,
              })}
            </p>
            <table className="grid">
              <thead>
                <tr>
                  <th>{t('ledger.code')}</th>
                  <th>{t('ledger.name')}</th>
                  <th>{t('ledger.layer')}</th>
                  <th className="num">{t('ledger.debit')}</th>
                  <th className="num">{t('ledger.credit')}</th>
                </tr>
              </thead>
              <tbody>
                {tx.entries.map((e, i) => (
                  <tr key={i}>
                    <td className="mono">
                      <Link to={`/ledger/accounts/${e.accountId}`}>{e.accountCode}</Link>
                    </td>
                    <td>{e.accountName}</td>
                    <td>{t(`ledger.layers.${e.layer}`)}</td>
                    <td className="num mono">
                      {e.direction === 'debit' ? formatMoney(e.amount, e.currency, i18n.language) : ''}
                    </td>
                    <td className="num mono">
                      {e.direction === 'credit' ? formatMoney(e.amount, e.currency, i18n.language) : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </li>
        ))}
      </ol>
      {cursor ? (
        <button type="button" onClick={() => void load(filters, cursor)}>
          {t('ledger.loadMore')}
        </button>
      ) : null}
    </section>
  );
}
