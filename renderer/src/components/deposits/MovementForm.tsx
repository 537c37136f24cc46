import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterInput, DepositAccountDto, SupervisorOverride } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { ErrorMessage } from '../ui';
import { parseAmount } from './amount';
import { MovementFields, type Method } from './MovementFields';
import { OverrideDialog } from '../cash-controls/OverrideDialog';
import {
  ConductorFields,
  conductorPayload,
  NO_CONDUCTOR,
  type ConductorInput,
} from '../cash-controls/ConductorFields';

/** The bank's answers that belong to the override dialog rather than to the form (issue 6). */
const OVERRIDE_ERRORS = new Set([
  'OVERRIDE_INCOMPLETE',
  'OVERRIDE_REASON_REQUIRED',
  'OVERRIDE_SELF',
  'OVERRIDE_NOT_PERMITTED',
  'OVERRIDE_CREDENTIALS_INVALID',
  'OVERRIDE_THROTTLED',
  'OVERRIDE_REQUEST_INVALID',
]);

/** Amount, method and reference of a deposit or a withdrawal; the amount is checked before calling. */
export function MovementForm({
  kind,
  account,
  busy,
  error,
  onSubmit,
}: {
  kind: 'deposit' | 'withdraw';
  account: DepositAccountDto;
  busy: boolean;
  error: ErrorPayload | null;
  onSubmit: (input: { amount: string; method: Method; reference?: string; counter?: CounterInput }) => void;
}) {
  const { t, i18n } = useTranslation();
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<Method>('cash');
  const [reference, setReference] = useState('');
  const [invalid, setInvalid] = useState(false);
  const example = i18n.language.startsWith('es') ? '1234,56' : '1234.56';
  // Above a cash limit a supervisor's override; at the large-cash threshold the conductor's details.
  const [overriding, setOverriding] = useState<Record<string, unknown> | null>(null);
  const [conductor, setConductor] = useState<ConductorInput | null>(null);
  useEffect(() => {
    if (error?.code === 'OVERRIDE_REQUIRED') setOverriding(error.params);
    else if (error?.code === 'CONDUCTOR_REQUIRED') setConductor((c) => c ?? NO_CONDUCTOR);
    else if (error && !OVERRIDE_ERRORS.has(error.code)) setOverriding(null);
  }, [error]);

  const [conductorMissing, setConductorMissing] = useState(false);
  function send(override?: SupervisorOverride) {
    const minor = parseAmount(amount, i18n.language);
    setInvalid(minor === null);
    setConductorMissing(conductor !== null && !conductor.name.trim());
    if (minor === null || (conductor && !conductor.name.trim())) return;
    const counter: CounterInput = {
      ...(override ? { override } : {}),
      ...(conductor ? { conductor: conductorPayload(conductor) } : {}),
    };
    onSubmit({
      amount: minor,
      method,
      ...(reference.trim() ? { reference: reference.trim() } : {}),
      ...(Object.keys(counter).length ? { counter } : {}),
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setOverriding(null);
    send();
  }

  const label = kind === 'deposit' ? t('deposits.recordDeposit') : t('deposits.initiateWithdrawal');
  return (
    <>
      <form aria-label={label} onSubmit={submit} noValidate>
        {kind === 'withdraw' ? (
          <p className="hint">
            {t('deposits.availableNow', { amount: formatMoney(account.settled, 'USD', i18n.language) })}
          </p>
        ) : null}
        <MovementFields
          amount={amount}
          onAmount={(value) => {
            setAmount(value);
            setInvalid(false);
          }}
          invalid={invalid}
          example={example}
          method={method}
          onMethod={setMethod}
          reference={reference}
          onReference={setReference}
        />
        {conductor ? <ConductorFields value={conductor} onChange={setConductor} /> : null}
        {conductorMissing ? (
          <div className="error" role="alert" data-error-code="CONDUCTOR_NAME_MISSING">
            {t('cashControls.conductor.nameMissing')}
          </div>
        ) : null}
        {invalid ? (
          <div className="error" role="alert" data-error-code="AMOUNT_FORMAT">
            {t('deposits.amountFormat', { example })}
          </div>
        ) : null}
        <ErrorMessage error={overriding ? null : error} />
        <button type="submit" className="primary" disabled={busy}>
          {label}
        </button>
      </form>
      <OverrideDialog
        open={overriding !== null}
        problem={overriding ?? {}}
        busy={busy}
        error={error && OVERRIDE_ERRORS.has(error.code) ? error : null}
        onSubmit={(override) => send(override)}
        onCancel={() => setOverriding(null)}
      />
    </>
  );
}
