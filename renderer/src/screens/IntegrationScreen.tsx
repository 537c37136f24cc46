import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChartNodeDto, IntegrationDto, OutputOf } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';

type Point = IntegrationDto['points'][number];
type BaseConfig = NonNullable<OutputOf<'accounting.baseConfig.get'>>;

const MODULES = ['deposits', 'tills', 'credit'] as const;
const CATEGORY_ROOT = {
  assets: 'assets_code',
  liabilities: 'liabilities_code',
  revenue: 'revenue_code',
  expenses: 'expenses_code',
} as const;

/** 'frozen-deposit-bank-account-set' → the set's kind and, for per-type sets, the customer type. */
function describeSet(setCode: string): { kind: string; type?: string } {
  const perType =
    /^(frozen-deposit|deposit|short-term-credit|long-term-credit)-(.+?)(?:-disbursed-receivable|-interest-receivable)?-account-set$/.exec(
      setCode,
    );
  if (perType && setCode !== 'deposit-omnibus-account-set') {
    const suffix = setCode.includes('-interest-receivable') ? 'InterestReceivable' : 'Receivable';
    const kind = perType[1]!.includes('credit')
      ? `${perType[1] === 'short-term-credit' ? 'shortTerm' : 'longTerm'}${suffix}`
      : perType[1] === 'deposit'
        ? 'deposit'
        : 'frozenDeposit';
    return { kind, type: perType[2] };
  }
  return { kind: setCode.replace(/-account-set$/, '') };
}

/** The chart nodes a set of this category may hang under: those below the category's root. */
function candidates(
  category: Point['category'],
  chart: ChartNodeDto[],
  base: BaseConfig | null,
): ChartNodeDto[] {
  const parent = new Map(chart.map((n) => [n.code, n.parentCode]));
  const rootOf = (code: string) => {
    let at = code;
    for (let p = parent.get(at); p; p = parent.get(at)) at = p;
    return at;
  };
  if (!base) return chart;
  if (category === 'offBalance') {
    const onBalance = new Set(Object.values(base));
    return chart.filter((n) => !onBalance.has(rootOf(n.code)));
  }
  return chart.filter((n) => rootOf(n.code) === base[CATEGORY_ROOT[category]]);
}

export function IntegrationScreen() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const manage = can(session, 'accounting.manage');
  const [data, setData] = useState<IntegrationDto | null>(null);
  const [chart, setChart] = useState<ChartNodeDto[]>([]);
  const [base, setBase] = useState<BaseConfig | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [error, setError] = useState<ErrorPayload | null>(null);
  const save = useCommand('accounting.integration.set');

  const load = useCallback(async () => {
    try {
      const [d, c, b] = await Promise.all([
        call('accounting.integration.get', {}),
        call('accounting.chart', {}),
        call('accounting.baseConfig.get', {}),
      ]);
      setData(d);
      setChart(c);
      setBase(b);
      setEdits({});
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const options = useMemo(() => {
    const out = new Map<Point['category'], ChartNodeDto[]>();
    for (const category of ['assets', 'liabilities', 'revenue', 'expenses', 'offBalance'] as const)
      out.set(category, candidates(category, chart, base));
    return out;
  }, [chart, base]);

  const changed = Object.entries(edits).filter(
    ([setCode, code]) => data?.points.find((p) => p.setCode === setCode)?.parentCode !== code,
  );

  async function onSave() {
    const result = await save.run({
      mapping: changed.map(([setCode, parentCode]) => ({ setCode, parentCode })),
    });
    if (result) {
      push('success', t('integration.saved', { count: changed.length }));
      setData(result);
      setEdits({});
    }
  }

  const label = (p: Point) => {
    const { kind, type } = describeSet(p.setCode);
    return t(`integration.kind.${kind}`, { type: type ? t(`integration.types.${type}`) : '' });
  };

  return (
    <section aria-labelledby="integration-title">
      <header className="screen-header">
        <h1 id="integration-title">{t('integration.title')}</h1>
        {manage ? (
          <div className="buttons">
            <button
              type="button"
              className="primary"
              disabled={!changed.length || save.busy}
              onClick={onSave}
            >
              {t('integration.save', { count: changed.length })}
            </button>
          </div>
        ) : null}
      </header>
      <p className="hint">{t('integration.hint')}</p>
      <ErrorMessage error={error ?? save.error} />
      {MODULES.map((module) => (
        <section key={module} aria-labelledby={`integration-${module}`}>
          <h2 id={`integration-${module}`}>{t(`integration.modules.${module}`)}</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>{t('integration.set')}</th>
                <th>{t('integration.category')}</th>
                <th>{t('integration.parent')}</th>
                <th>{t('integration.state')}</th>
              </tr>
            </thead>
            <tbody>
              {data?.points
                .filter((p) => p.module === module)
                .map((p) => {
                  const value = edits[p.setCode] ?? p.parentCode ?? '';
                  return (
                    <tr key={p.setCode} data-set={p.setCode}>
                      <td>
                        {label(p)}
                        <div className="small mono">{p.setCode}</div>
                      </td>
                      <td>{t(`integration.categories.${p.category}`)}</td>
                      <td>
                        <select
                          aria-label={t('integration.parentOf', { set: label(p) })}
                          value={value}
                          disabled={!manage || p.attached}
                          onChange={(e) => setEdits((prev) => ({ ...prev, [p.setCode]: e.target.value }))}
                        >
                          {value ? null : <option value="">{t('integration.unmapped')}</option>}
                          {options.get(p.category)?.map((n) => (
                            <option key={n.code} value={n.code}>
                              {n.code} — {n.name}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        {p.attached ? (
                          <span className="badge" title={t('integration.attachedHint')}>
                            {t('integration.attached')}
                          </span>
                        ) : p.parentCode ? (
                          t('integration.notYetUsed')
                        ) : (
                          <span className="badge warn">{t('integration.unmapped')}</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}
