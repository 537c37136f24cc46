import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CashLimitsDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { minorToDecimal } from '@shared/money';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { parseAmount } from '../components/deposits/amount';
import { useToasts } from '../stores/toasts';

/** Typed amounts show in the user's decimal separator; an empty one means "none". */
function decimal(minor: string | null, language: string): string {
  if (minor === null) return '';
  const text = minorToDecimal(minor, 'USD');
  return language.startsWith('es') ? text.replace('.', ',') : text;
}

/** Cash limits (issue 6): per role, per till maximum, and the large-cash threshold. */
export function CashLimitsScreen() {
  const { t } = useTranslation();
  const [limits, setLimits] = useState<CashLimitsDto | null>(null);
  const [loadError, setLoadError] = useState<ErrorPayload | null>(null);
  useEffect(() => {
    call('cashControls.limits.get', {})
      .then(setLimits)
      .catch((err: unknown) => setLoadError(errorPayload(err)));
  }, []);

  return (
    <section aria-labelledby="cash-limits-title">
      <h1 id="cash-limits-title">{t('cashControls.limits.title')}</h1>
      <p className="hint">{t('cashControls.limits.hint')}</p>
      <ErrorMessage error={loadError} />
      {limits ? (
        <div style={{ display: 'grid', gap: '1rem', justifyItems: 'start' }}>
          <RoleLimits limits={limits} onSaved={setLimits} />
          <TillMaximums limits={limits} onSaved={setLimits} />
          <LargeCash limits={limits} onSaved={setLimits} />
        </div>
      ) : null}
    </section>
  );
}

function AmountRow(props: {
  label: string;
  name: string;
  value: string | null;
  busy: boolean;
  onSave(minor: string | null): void;
  extra?: string;
}) {
  const { t, i18n } = useTranslation();
  const [typed, setTyped] = useState(decimal(props.value, i18n.language));
  const [invalid, setInvalid] = useState(false);
  function save() {
    if (!typed.trim()) return props.onSave(null);
    const minor = parseAmount(typed, i18n.language);
    setInvalid(minor === null);
    if (minor !== null) props.onSave(minor);
  }
  return (
    <tr data-testid={`limit-${props.name}`}>
      <td>{props.label}</td>
      {props.extra !== undefined ? <td>{props.extra}</td> : null}
      <td>
        <input
          aria-label={props.label}
          name={props.name}
          inputMode="decimal"
          autoComplete="off"
          placeholder={t('cashControls.limits.none')}
          aria-invalid={invalid}
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
            setInvalid(false);
          }}
        />
      </td>
      <td className="actions">
        <button type="button" disabled={props.busy} onClick={save}>
          {t('common.save')}
        </button>
      </td>
    </tr>
  );
}

function RoleLimits({ limits, onSaved }: { limits: CashLimitsDto; onSaved(l: CashLimitsDto): void }) {
  const { t } = useTranslation();
  const push = useToasts((s) => s.push);
  const { run, busy, error } = useCommand('cashControls.limits.setRole');
  return (
    <div className="card wide">
      <h2>{t('cashControls.limits.roles')}</h2>
      <p className="hint">{t('cashControls.limits.rolesHint')}</p>
      <table className="grid">
        <thead>
          <tr>
            <th>{t('cashControls.limits.role')}</th>
            <th>{t('cashControls.limits.withdrawalLimit')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {limits.roleLimits.map((r) => (
            <AmountRow
              key={r.role}
              name={r.role}
              label={t(`roles.${r.role}`)}
              value={r.limit}
              busy={busy}
              onSave={async (limit) => {
                const out = await run({ role: r.role, limit });
                if (out) {
                  onSaved(out);
                  push('success', t('cashControls.limits.saved'));
                }
              }}
            />
          ))}
        </tbody>
      </table>
      <ErrorMessage error={error} />
    </div>
  );
}

function TillMaximums({ limits, onSaved }: { limits: CashLimitsDto; onSaved(l: CashLimitsDto): void }) {
  const { t } = useTranslation();
  const push = useToasts((s) => s.push);
  const { run, busy, error } = useCommand('cashControls.limits.setTill');
  return (
    <div className="card wide">
      <h2>{t('cashControls.limits.tills')}</h2>
      <p className="hint">{t('cashControls.limits.tillsHint')}</p>
      <table className="grid">
        <thead>
          <tr>
            <th>{t('cashControls.limits.till')}</th>
            <th>{t('cashControls.limits.tillName')}</th>
            <th>{t('cashControls.limits.maximum')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {limits.tills.length === 0 ? (
            <tr>
              <td colSpan={4} className="empty">
                {t('cashControls.limits.noTills')}
              </td>
            </tr>
          ) : (
            limits.tills.map((till) => (
              <AmountRow
                key={till.tillId}
                name={`till-${till.code}`}
                label={till.code}
                extra={till.name}
                value={till.maximum}
                busy={busy}
                onSave={async (maximum) => {
                  const out = await run({ tillId: till.tillId, maximum });
                  if (out) {
                    onSaved(out);
                    push('success', t('cashControls.limits.saved'));
                  }
                }}
              />
            ))
          )}
        </tbody>
      </table>
      <ErrorMessage error={error} />
    </div>
  );
}

function LargeCash({ limits, onSaved }: { limits: CashLimitsDto; onSaved(l: CashLimitsDto): void }) {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const { run, busy, error } = useCommand('cashControls.limits.setLargeCash');
  const [threshold, setThreshold] = useState(decimal(limits.ctrThreshold, i18n.language));
  const [band, setBand] = useState(String(limits.structuringBandPercent));
  const [invalid, setInvalid] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const minor = parseAmount(threshold, i18n.language);
    setInvalid(minor === null);
    if (minor === null) return;
    const out = await run({ ctrThreshold: minor, structuringBandPercent: Number(band) });
    if (out) {
      onSaved(out);
      push('success', t('cashControls.limits.saved'));
    }
  }

  return (
    <form className="card wide" onSubmit={submit} noValidate>
      <h2>{t('cashControls.limits.largeCash')}</h2>
      <p className="hint">{t('cashControls.limits.largeCashHint')}</p>
      <Field label={t('cashControls.limits.threshold')}>
        {(id) => (
          <input
            id={id}
            name="ctrThreshold"
            inputMode="decimal"
            autoComplete="off"
            aria-invalid={invalid}
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('cashControls.limits.band')} hint={t('cashControls.limits.bandHint')}>
        {(id) => (
          <input
            id={id}
            name="structuringBandPercent"
            type="number"
            min={1}
            max={50}
            value={band}
            onChange={(e) => setBand(e.target.value)}
          />
        )}
      </Field>
      {invalid ? (
        <div className="error" role="alert" data-error-code="AMOUNT_FORMAT">
          {t('deposits.amountFormat', { example: i18n.language.startsWith('es') ? '1234,56' : '1234.56' })}
        </div>
      ) : null}
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('common.save')}
      </button>
    </form>
  );
}
