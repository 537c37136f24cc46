import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CashReportDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { useCashLive } from '../components/cash-controls/live';
import { downloadCsv } from '../components/download';

type Kind = '' | 'ctr' | 'structuring';
const PAGE = 50;

/** Transactions flagged for a currency transaction report and structuring warnings, with export. */
export function CashReportsScreen() {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [kind, setKind] = useState<Kind>('');
  const [items, setItems] = useState<CashReportDto[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [exporting, setExporting] = useState(false);
  const money = (minor: string) => formatMoney(minor, 'USD', i18n.language);
  const filter = useCallback(
    () => ({ ...(from ? { from } : {}), ...(to ? { to } : {}), ...(kind ? { kind } : {}) }),
    [from, to, kind],
  );

  const load = useCallback(
    async (offset = 0) => {
      try {
        const page = await call('cashControls.reports.list', { ...filter(), offset, limit: PAGE });
        setItems((current) => (offset === 0 ? page.items : [...current, ...page.items]));
        setTotal(page.total);
        setError(null);
      } catch (err) {
        setError(errorPayload(err));
      }
    },
    [filter],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const reload = useCallback(() => void load(), [load]);
  useCashLive('cash-report', reload);

  async function exportCsv() {
    setExporting(true);
    try {
      const out = await call('cashControls.reports.csv', filter());
      downloadCsv(out.fileName, out.csv);
    } catch (err) {
      setError(errorPayload(err));
    } finally {
      setExporting(false);
    }
  }

  return (
    <section aria-labelledby="cash-reports-title">
      <header className="screen-header">
        <h1 id="cash-reports-title">{t('cashControls.reports.title')}</h1>
        <button type="button" disabled={exporting} onClick={() => void exportCsv()}>
          {t('cashControls.reports.exportCsv')}
        </button>
      </header>
      <p className="hint">{t('cashControls.reports.hint')}</p>
      <div className="filters" role="search">
        <Field label={t('cashControls.reports.from')}>
          {(id) => <input id={id} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label={t('cashControls.reports.to')}>
          {(id) => <input id={id} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}
        </Field>
        <Field label={t('cashControls.reports.kind')}>
          {(id) => (
            <select id={id} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <option value="">{t('cashControls.reports.allKinds')}</option>
              <option value="ctr">{t('cashControls.reportKind.ctr')}</option>
              <option value="structuring">{t('cashControls.reportKind.structuring')}</option>
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={error} />
      <table className="grid" data-testid="cash-reports">
        <thead>
          <tr>
            <th>{t('cashControls.reports.date')}</th>
            <th>{t('cashControls.reports.kind')}</th>
            <th>{t('cashControls.reports.customer')}</th>
            <th>{t('cashControls.reports.transaction')}</th>
            <th>{t('cashControls.reports.dayTotal')}</th>
            <th>{t('cashControls.reports.conductor')}</th>
            <th>{t('cashControls.reports.teller')}</th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 ? (
            <tr>
              <td colSpan={7} className="empty">
                {t('cashControls.reports.none')}
              </td>
            </tr>
          ) : (
            items.map((r) => (
              <tr key={r.id} data-kind={r.kind}>
                <td>{r.businessDate}</td>
                <td>
                  {t(`cashControls.reportKind.${r.kind}`)}
                  {r.kind === 'structuring' ? (
                    <div className="hint">
                      {t('cashControls.reports.nearCount', { count: r.nearThresholdCount })}
                    </div>
                  ) : null}
                </td>
                <td>
                  {r.holderName}
                  <div className="hint">
                    {r.holderPublicId} · {r.accountPublicId}
                  </div>
                </td>
                <td>
                  {t(`cashControls.direction.${r.direction}`)} {money(r.amount)}
                </td>
                <td>
                  {t('cashControls.reports.inOut', { in: money(r.dayCashIn), out: money(r.dayCashOut) })}
                </td>
                <td>
                  {r.conductorName ?? '—'}
                  {r.conductorName ? (
                    <div className="hint">
                      {[r.conductorIdDocument, r.conductorRelationship].filter(Boolean).join(' · ')}
                    </div>
                  ) : null}
                </td>
                <td>
                  {r.tellerName}
                  <div className="hint">{r.workstation}</div>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {items.length < total ? (
        <button type="button" onClick={() => void load(items.length)}>
          {t('common.loadMore')}
        </button>
      ) : null}
    </section>
  );
}
