import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommitteeDto, PolicyDto, TierDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { decimalToMinor, formatMoney, minorToDecimal } from '@shared/money';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field, Modal } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';
import '../governance.css';

type Currency = PolicyDto['currency'];

interface DraftTier {
  upTo: string;
  kind: 'auto' | 'committee';
  committeeId: string;
  threshold: string;
}

/** Minor units of a typed amount, or null while it is not one. */
function minorOf(amount: string, currency: Currency): string | null {
  try {
    const minor = decimalToMinor(amount, currency);
    return BigInt(minor) > 0n ? minor : null;
  } catch {
    return null;
  }
}

/** "Up to $1,000.00", "Above $1,000.00 up to $25,000.00", "Above $25,000.00", "Any amount". */
export function useTierRange() {
  const { t, i18n } = useTranslation();
  return (tier: Pick<TierDto, 'above' | 'upTo'>, currency: Currency) => {
    const money = (m: string) => formatMoney(m, currency, i18n.language);
    if (tier.above === null && tier.upTo === null) return t('governance.anyAmount');
    if (tier.above === null) return t('governance.upTo', { amount: money(tier.upTo!) });
    if (tier.upTo === null) return t('governance.above', { amount: money(tier.above) });
    return t('governance.between', { from: money(tier.above), to: money(tier.upTo) });
  };
}

export function useTierRule() {
  const { t } = useTranslation();
  return (tier: Pick<TierDto, 'rule' | 'threshold' | 'committeeName' | 'members'>) =>
    tier.rule === 'auto'
      ? t('governance.autoApprove')
      : t('governance.committeeRule', {
          count: tier.threshold ?? 0,
          committee: tier.committeeName ?? '?',
          members: tier.members ?? 0,
        });
}

function TierEditor({
  policy,
  committees,
  onDone,
}: {
  policy: PolicyDto;
  committees: CommitteeDto[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const save = useCommand('governance.policies.set');
  const [currency, setCurrency] = useState<Currency>(policy.currency);
  const [tiers, setTiers] = useState<DraftTier[]>(
    policy.tiers.map((tier) => ({
      upTo: tier.upTo ? minorToDecimal(tier.upTo, policy.currency) : '',
      kind: tier.rule,
      committeeId: tier.committeeId ?? '',
      threshold: tier.threshold ? String(tier.threshold) : '1',
    })),
  );
  const set = (i: number, patch: Partial<DraftTier>) =>
    setTiers(tiers.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const last = tiers.length - 1;
  const problems = tiers.map((d, i) => {
    if (i < last && minorOf(d.upTo, currency) === null) return 'amount';
    if (d.kind === 'committee' && !d.committeeId) return 'committee';
    return null;
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const saved = await save.run({
      processType: policy.processType,
      currency,
      tiers: tiers.map((d, i) => ({
        upTo: i === last ? null : minorOf(d.upTo, currency)!,
        committeeId: d.kind === 'auto' ? null : d.committeeId,
        threshold: d.kind === 'auto' ? null : Number(d.threshold) || 0,
      })),
    });
    if (saved) onDone();
  }

  return (
    <form onSubmit={submit} aria-label={t('governance.editTiers')}>
      <Field label={t('governance.currency')}>
        {(id) => (
          <select id={id} value={currency} onChange={(e) => setCurrency(e.target.value as Currency)}>
            <option value="USD">USD</option>
            <option value="BTC">BTC</option>
          </select>
        )}
      </Field>
      <table className="grid tiers-editor">
        <thead>
          <tr>
            <th>{t('governance.tier')}</th>
            <th>{t('governance.upToColumn')}</th>
            <th>{t('governance.decision')}</th>
            <th>{t('governance.committee')}</th>
            <th>{t('governance.threshold')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tiers.map((d, i) => (
            <tr key={i} data-tier={i + 1}>
              <td className="num">{i + 1}</td>
              <td>
                {i === last ? (
                  <span className="small">{t('governance.anyLarger')}</span>
                ) : (
                  <input
                    aria-label={t('governance.upToTier', { tier: i + 1 })}
                    inputMode="decimal"
                    required
                    value={d.upTo}
                    aria-invalid={d.upTo !== '' && problems[i] === 'amount'}
                    onChange={(e) => set(i, { upTo: e.target.value })}
                  />
                )}
              </td>
              <td>
                <select
                  aria-label={t('governance.decisionTier', { tier: i + 1 })}
                  value={d.kind}
                  onChange={(e) => set(i, { kind: e.target.value as DraftTier['kind'] })}
                >
                  <option value="auto">{t('governance.autoApprove')}</option>
                  <option value="committee">{t('governance.byCommittee')}</option>
                </select>
              </td>
              <td>
                {d.kind === 'committee' ? (
                  <select
                    aria-label={t('governance.committeeTier', { tier: i + 1 })}
                    value={d.committeeId}
                    onChange={(e) => set(i, { committeeId: e.target.value })}
                  >
                    <option value="">{t('governance.chooseCommittee')}</option>
                    {committees.map((c) => (
                      <option key={c.id} value={c.id}>
                        {t('governance.committeeOption', { name: c.name, count: c.members.length })}
                      </option>
                    ))}
                  </select>
                ) : null}
              </td>
              <td>
                {d.kind === 'committee' ? (
                  <input
                    aria-label={t('governance.thresholdTier', { tier: i + 1 })}
                    type="number"
                    min={1}
                    max={1000}
                    className="narrow"
                    value={d.threshold}
                    onChange={(e) => set(i, { threshold: e.target.value })}
                  />
                ) : null}
              </td>
              <td>
                {tiers.length > 1 ? (
                  <button
                    type="button"
                    className="link"
                    onClick={() => setTiers(tiers.filter((_, j) => j !== i))}
                  >
                    {t('governance.removeTier')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">{t('governance.tiersHint')}</p>
      <p>
        <button
          type="button"
          disabled={tiers.length >= 10}
          onClick={() =>
            setTiers([
              ...tiers.slice(0, last),
              { upTo: '', kind: 'auto', committeeId: '', threshold: '1' },
              tiers[last]!,
            ])
          }
        >
          {t('governance.addTier')}
        </button>
      </p>
      <ErrorMessage error={save.error} />
      <button type="submit" className="primary" disabled={save.busy || problems.some((p) => p !== null)}>
        {t('common.save')}
      </button>
    </form>
  );
}

function WhatWouldHappen({ policy }: { policy: PolicyDto }) {
  const { t } = useTranslation();
  const range = useTierRange();
  const rule = useTierRule();
  const [amount, setAmount] = useState('');
  const [result, setResult] = useState<TierDto | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const minor = minorOf(amount, policy.currency);
  return (
    <form
      className="what-if"
      aria-label={t('governance.whatIfNamed', { type: t(`governance.types.${policy.processType}`) })}
      onSubmit={async (e) => {
        e.preventDefault();
        if (!minor) return;
        setError(null);
        try {
          setResult(
            await call('governance.policies.preview', {
              processType: policy.processType,
              amount: minor,
              currency: policy.currency,
            }),
          );
        } catch (err) {
          setResult(null);
          setError(errorPayload(err));
        }
      }}
    >
      <h3>{t('governance.whatIf')}</h3>
      <div className="row">
        <Field label={t('governance.amountIn', { currency: policy.currency })}>
          {(id) => (
            <input
              id={id}
              inputMode="decimal"
              value={amount}
              aria-invalid={amount !== '' && !minor}
              onChange={(e) => {
                setAmount(e.target.value);
                setResult(null);
              }}
            />
          )}
        </Field>
        <button type="submit" disabled={!minor}>
          {t('governance.check')}
        </button>
      </div>
      <p role="status" className="what-if-result" data-testid={`what-if-${policy.processType}`}>
        {result
          ? t('governance.whatIfResult', {
              tier: result.tier,
              range: range(result, policy.currency),
              rule: rule(result),
            })
          : ''}
      </p>
      <ErrorMessage error={error} />
    </form>
  );
}

export function PoliciesScreen() {
  const { t, i18n } = useTranslation();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const manage = can(session, 'governance.manage');
  const range = useTierRange();
  const rule = useTierRule();
  const [policies, setPolicies] = useState<PolicyDto[]>([]);
  const [committees, setCommittees] = useState<CommitteeDto[]>([]);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [editing, setEditing] = useState<PolicyDto | null>(null);

  const load = useCallback(async () => {
    try {
      const [p, c] = await Promise.all([
        call('governance.policies.list', {}),
        call('governance.committees.list', {}),
      ]);
      setPolicies(p);
      setCommittees(c);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="policies-title">
      <header className="screen-header">
        <h1 id="policies-title">{t('governance.policiesTitle')}</h1>
      </header>
      <p className="hint">{t('governance.policiesHint')}</p>
      <ErrorMessage error={error} />
      {policies.map((p) => {
        const headingId = `policy-${p.processType}`;
        return (
          <section
            key={p.processType}
            className="card-panel policy"
            aria-labelledby={headingId}
            data-policy={p.processType}
          >
            <header className="screen-header">
              <h2 id={headingId}>{t(`governance.types.${p.processType}`)}</h2>
              {manage ? (
                <button type="button" onClick={() => setEditing(p)}>
                  {t('governance.editTiersOf', { type: t(`governance.types.${p.processType}`) })}
                </button>
              ) : null}
            </header>
            <div className="policy-body">
              <table className="grid tiers">
                <thead>
                  <tr>
                    <th>{t('governance.tier')}</th>
                    <th>{t('governance.amount')}</th>
                    <th>{t('governance.decision')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.tiers.map((tier) => (
                    <tr key={tier.tier} data-tier={tier.tier}>
                      <td className="num">{tier.tier}</td>
                      <td>{range(tier, p.currency)}</td>
                      <td>{rule(tier)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <WhatWouldHappen policy={p} />
            </div>
            <p className="small">
              {t('governance.updated', {
                when: new Date(p.updatedAt).toLocaleString(i18n.language),
                who: p.updatedBy ?? t('governance.system'),
              })}
            </p>
          </section>
        );
      })}
      {editing ? (
        <Modal
          title={t('governance.editTiersOf', { type: t(`governance.types.${editing.processType}`) })}
          onClose={() => setEditing(null)}
        >
          <TierEditor
            policy={editing}
            committees={committees}
            onDone={() => {
              setEditing(null);
              push('success', t('governance.policySaved'));
              void load();
            }}
          />
        </Modal>
      ) : null}
    </section>
  );
}
