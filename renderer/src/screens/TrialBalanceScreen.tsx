import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrialBalanceDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { useSession } from '../stores/session';

export function TrialBalanceScreen() {
  const { t, i18n } = useTranslation();
  const businessDate = useSession((s) => s.info?.businessDate) ?? '';
  const [from, setFrom] = useState(businessDate ? `${businessDate.slice(0, 7)}-01` : '');
  const [to, setTo] = useState(businessDate);
  const [currency, setCurrency] = useState<'USD' | 'BTC'>('USD');
  const [layer, setLayer] = useState<'settled' | 'all'>('settled');
  const [report, setReport] = useState<TrialBalanceDto | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  async function run(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      setReport(await call('accounting.trialBalance', { from, to, currency, layer }));
    } catch (err) {
      setError(errorPayload(err));
    }
  }

  const money = (v: string) => (report ? formatMoney(v, report.currency, i18n.language) : v);
  return (
    <section aria-labelledby="tb-title">
      <h1 id="tb-title">{t('trialBalance.title')}</h1>
      <form className="filters" onSubmit={run}>
        <Field label={t('trialBalance.from')}>
          {(id) => (
            <input
              id={id}
              name="from"
              type="date"
              required
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('trialBalance.to')}>
          {(id) => (
            <input
              id={id}
              name="to"
              type="date"
              required
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('chart.currency')}>
          {(id) => (
            <select id={id} value={currency} onChange={(e) => setCurrency(e.target.value as 'USD' | 'BTC')}>
              <option value="USD">USD</option>
              <option value="BTC">BTC</option>
            </select>
          )}
        </Field>
        <Field label={t('trialBalance.layer')}>
          {(id) => (
            <select id={id} value={layer} onChange={(e) => setLayer(e.target.value as 'settled' | 'all')}>
              <option value="settled">{t('trialBalance.settledOnly')}</option>
              <option value="all">{t('trialBalance.withPending')}</option>
            </select>
          )}
        </Field>
        <div className="buttons">
          <button type="submit" className="primary">
            {t('trialBalance.run')}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {report ? (
        <>
          {report.balanced ? null : (
            <div className="banner bad" role="alert" data-testid="tb-unbalanced">
              {t('trialBalance.unbalanced', {
                debit: money(report.totalDebit),
                credit: money(report.totalCredit),
              })}
            </div>
          )}
          <table className="grid" data-testid="trial-balance">
            <thead>
              <tr>
                <th>{t('chart.code')}</th>
                <th>{t('chart.name')}</th>
                <th className="num">{t('trialBalance.opening')}</th>
                <th className="num">{t('trialBalance.debits')}</th>
                <th className="num">{t('trialBalance.credits')}</th>
                <th className="num">{t('trialBalance.closing')}</th>
              </tr>
            </thead>
            <tbody>
              {report.lines.map((l) => (
                <tr key={l.code} data-code={l.code}>
                  <td className="mono">{l.code}</td>
                  <td>{l.name}</td>
                  <td className="num mono">{money(l.opening)}</td>
                  <td className="num mono">{money(l.periodDebit)}</td>
                  <td className="num mono">{money(l.periodCredit)}</td>
                  <td className="num mono">{money(l.closing)}</td>
                </tr>
              ))}
              <tr className="total">
                <td colSpan={3}>{t('trialBalance.totals')}</td>
                <td className="num mono">{money(report.totalDebit)}</td>
                <td className="num mono">{money(report.totalCredit)}</td>
                <td />
              </tr>
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
