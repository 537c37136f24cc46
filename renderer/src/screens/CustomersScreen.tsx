import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CustomerHitDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { KycBadge } from './CustomerParts';

/** Customer search: name (typo-tolerant), email, phone, public id or identity document number. */
export function CustomersScreen() {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<CustomerHitDto[] | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const latest = useRef(0);

  const search = useCallback(async (q: string) => {
    const mine = ++latest.current;
    setError(null);
    if (q.trim().length < 2) {
      setHits(null);
      return;
    }
    try {
      const found = await call('customer.search', { query: q.trim() });
      if (mine === latest.current) setHits(found);
    } catch (err) {
      if (mine === latest.current) setError(errorPayload(err));
    }
  }, []);

  // Results as the user types, a short pause after the last key.
  useEffect(() => {
    const timer = setTimeout(() => void search(query), 200);
    return () => clearTimeout(timer);
  }, [query, search]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void search(query);
  }

  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">{t('customers.searchTitle')}</h1>
      <form className="filters customer-search" role="search" onSubmit={submit}>
        <Field label={t('customers.searchLabel')} hint={t('customers.searchHint')}>
          {(id) => (
            <input
              id={id}
              name="query"
              type="search"
              maxLength={120}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
          )}
        </Field>
        <div className="buttons">
          <button type="submit" className="primary">
            {t('common.search')}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {hits ? (
        <table className="grid search-hits" data-testid="customer-hits">
          <thead>
            <tr>
              <th>{t('customers.publicId')}</th>
              <th>{t('customers.fullName')}</th>
              <th>{t('customers.email')}</th>
              <th>{t('customers.phone')}</th>
              <th>{t('customers.type')}</th>
              <th>{t('customers.statusLabel')}</th>
              <th>{t('customers.kycStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {hits.map((h) => (
              <tr key={h.id}>
                <td className="mono nowrap">
                  <Link to={`/customers/${h.id}`}>{h.publicId}</Link>
                </td>
                <td>
                  <Link to={`/customers/${h.id}`}>{h.fullName}</Link>{' '}
                  <span className="matched">{t(`customers.matched.${h.matched}`)}</span>
                </td>
                <td>{h.email}</td>
                <td className="nowrap">{h.phone ?? ''}</td>
                <td>{t(`customers.types.${h.customerType}`)}</td>
                <td>
                  <span className={`badge ${h.status}`}>{t(`customers.status.${h.status}`)}</span>
                </td>
                <td>
                  <KycBadge status={h.kycStatus} />
                </td>
              </tr>
            ))}
            {hits.length === 0 ? (
              <tr>
                <td colSpan={7}>{t('customers.noHits')}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
