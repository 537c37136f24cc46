import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChartNodeDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { ErrorMessage } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';

interface Row {
  node: ChartNodeDto;
  depth: number;
}

/** Parents before children, children in code order: the chart as an indented tree. */
function asTree(nodes: ChartNodeDto[]): Row[] {
  const children = new Map<string | null, ChartNodeDto[]>();
  for (const n of nodes) children.set(n.parentCode, [...(children.get(n.parentCode) ?? []), n]);
  const out: Row[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const n of children.get(parent) ?? []) {
      out.push({ node: n, depth });
      walk(n.code, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export function ChartScreen() {
  const { t, i18n } = useTranslation();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const [nodes, setNodes] = useState<ChartNodeDto[]>([]);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [currency, setCurrency] = useState<'USD' | 'BTC'>('USD');
  const importChart = useCommand('accounting.importChart');
  const rows = useMemo(() => asTree(nodes), [nodes]);

  const load = useCallback(async () => {
    try {
      setNodes(await call('accounting.chart', {}));
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function onFile(file: File | undefined) {
    if (!file) return;
    const result = await importChart.run({ csv: await file.text() });
    if (result) {
      push('success', t('chart.imported', { created: result.created, total: result.total }));
      void load();
    }
  }

  const money = (v: string) => formatMoney(v, currency, i18n.language);
  return (
    <section aria-labelledby="chart-title">
      <header className="screen-header">
        <h1 id="chart-title">{t('chart.title')}</h1>
        <div className="buttons">
          <label>
            <span className="sr-only">{t('chart.currency')}</span>
            <select
              aria-label={t('chart.currency')}
              value={currency}
              onChange={(e) => setCurrency(e.target.value as 'USD' | 'BTC')}
            >
              <option value="USD">USD</option>
              <option value="BTC">BTC</option>
            </select>
          </label>
          {can(session, 'accounting.manage') ? (
            <label className="button">
              {t('chart.import')}
              <input
                type="file"
                accept=".csv,text/csv"
                className="sr-only"
                data-testid="chart-import"
                onChange={(e) => {
                  void onFile(e.target.files?.[0]);
                  e.target.value = '';
                }}
              />
            </label>
          ) : null}
        </div>
      </header>
      <p className="hint">{t('chart.importHint')}</p>
      <ErrorMessage error={error ?? importChart.error} />
      <table className="grid">
        <thead>
          <tr>
            <th>{t('chart.code')}</th>
            <th>{t('chart.name')}</th>
            <th>{t('chart.normal')}</th>
            <th className="num">{t('chart.settled')}</th>
            <th className="num">{t('chart.pending')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ node, depth }) => (
            <tr key={node.code} data-code={node.code}>
              <td className="mono" style={{ paddingLeft: `${0.7 + depth * 1.2}rem` }}>
                {node.code}
              </td>
              <td style={{ fontWeight: depth === 0 ? 600 : 400 }}>{node.name}</td>
              <td>{t(`chart.${node.normalBalance}`)}</td>
              <td className="num mono">{money(node.balances[currency].settled)}</td>
              <td className="num mono">{money(node.balances[currency].pending)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
