import { useCallback, useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type {
  CounterInput,
  CustomerHitDto,
  DepositAccountDto,
  MyTillDto,
  OutputOf,
  SupervisorOverride,
  WithdrawalDto,
} from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { DialogForm, ErrorMessage, Field } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { useToasts } from '../stores/toasts';
import { parseAmount } from '../components/deposits/amount';
import { MovementFields, type Method } from '../components/deposits/MovementFields';
import { WithdrawalBadge } from '../components/deposits/badges';
import { OverrideDialog } from '../components/cash-controls/OverrideDialog';
import {
  ConductorFields,
  conductorPayload,
  NO_CONDUCTOR,
  type ConductorInput,
} from '../components/cash-controls/ConductorFields';
import { DenominationGrid } from '../components/tills/DenominationGrid';
import { fromCountList, toCountList, type TypedCounts } from '../components/tills/counts';
import { SessionBadge } from '../components/tills/badges';
import { ReceiptActions } from '../components/receipts/ReceiptActions';
import '../components/tills/tills.css';
import '../components/deposits/deposits.css';

type Identity = OutputOf<'tills.counter.identity'>['images'];
type Last = { kind: 'deposit' | 'withdrawal'; movementId: string; amount: string; status: string };

/** The override dialog's own refusals (a wrong password...), shown inside it rather than on the form. */
const OVERRIDE_ERRORS = new Set([
  'OVERRIDE_INCOMPLETE',
  'OVERRIDE_REASON_REQUIRED',
  'OVERRIDE_SELF',
  'OVERRIDE_NOT_PERMITTED',
  'OVERRIDE_CREDENTIALS_INVALID',
  'OVERRIDE_THROTTLED',
  'OVERRIDE_REQUEST_INVALID',
]);

/**
 * The teller's counter, keyboard first: find the customer, pick the account (with the ID photo
 * and signature on file), type the amount, count the notes, and pay out approved withdrawals.
 */
export function CounterScreen() {
  const { t } = useTranslation();
  const [mine, setMine] = useState<MyTillDto | null | undefined>(undefined);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [customer, setCustomer] = useState<CustomerHitDto | null>(null);
  const [accounts, setAccounts] = useState<DepositAccountDto[]>([]);
  const [account, setAccount] = useState<DepositAccountDto | null>(null);
  const [identity, setIdentity] = useState<Identity>([]);
  const [payouts, setPayouts] = useState<WithdrawalDto[]>([]);
  const [paying, setPaying] = useState<WithdrawalDto | null>(null);
  const [last, setLast] = useState<Last | null>(null);

  useEffect(() => {
    call('tills.mine', {})
      .then(setMine)
      .catch((err: unknown) => setError(errorPayload(err)));
  }, []);

  const loadAccount = useCallback(async (id: string) => {
    try {
      const [a, w] = await Promise.all([
        call('deposits.accounts.get', { id }),
        call('deposits.withdrawals.list', { accountId: id, status: 'pending_confirmation', limit: 50 }),
      ]);
      setAccount(a);
      setAccounts((list) => list.map((x) => (x.id === a.id ? a : x)));
      setPayouts(w.items);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);

  async function pickCustomer(hit: CustomerHitDto) {
    setCustomer(hit);
    setAccount(null);
    setIdentity([]);
    setLast(null);
    try {
      const [list, id] = await Promise.all([
        call('deposits.accounts.ofCustomer', { customerId: hit.id }),
        call('tills.counter.identity', { customerId: hit.id }).catch(() => ({ images: [] })),
      ]);
      setAccounts(list);
      setIdentity(id.images);
      const only = list.length === 1 ? list[0] : undefined;
      if (only) await loadAccount(only.id);
    } catch (err) {
      setError(errorPayload(err));
    }
  }

  const open = mine?.session.status === 'open' ? mine : null;
  return (
    <section aria-labelledby="counter-title">
      <header className="screen-header">
        <h1 id="counter-title">{t('tills.counterTitle')}</h1>
        {mine ? (
          <span data-testid="counter-till">
            {t('tills.tillLine', { till: mine.till.code, branch: mine.branchCode })}{' '}
            <SessionBadge status={mine.session.status} />
          </span>
        ) : null}
      </header>
      <ErrorMessage error={error} />
      {mine !== undefined && !open ? (
        <div className="banner" role="status">
          {t('tills.counterNoTill')} <Link to="/till">{t('nav.till')}</Link>
        </div>
      ) : null}
      {open ? (
        <div className="counter-layout">
          <div>
            <CustomerSearch selected={customer} onPick={(hit) => void pickCustomer(hit)} />
            {customer ? (
              <AccountPick
                accounts={accounts}
                selected={account}
                onPick={(a) => {
                  setLast(null);
                  void loadAccount(a.id);
                }}
              />
            ) : null}
            {customer ? <IdentityPanel images={identity} /> : null}
          </div>
          <div>
            {account ? (
              <>
                <OperationForm
                  key={account.id}
                  account={account}
                  mine={open}
                  onDone={(l, w) => {
                    setLast(l);
                    void loadAccount(account.id);
                    if (w?.status === 'pending_confirmation' && w.method === 'cash') setPaying(w);
                  }}
                />
                <PendingPayouts items={payouts} onPay={setPaying} />
                {last ? <LastTransaction last={last} /> : null}
              </>
            ) : null}
          </div>
        </div>
      ) : null}
      {paying && open ? (
        <PayoutDialog
          withdrawal={paying}
          mine={open}
          onClose={() => setPaying(null)}
          onDone={(w) => {
            setPaying(null);
            setLast({ kind: 'withdrawal', movementId: w.id, amount: w.amount, status: w.status });
            if (account) void loadAccount(account.id);
          }}
        />
      ) : null}
    </section>
  );
}

function CustomerSearch({
  selected,
  onPick,
}: {
  selected: CustomerHitDto | null;
  onPick(hit: CustomerHitDto): void;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<CustomerHitDto[] | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setHits(null);
      return;
    }
    let gone = false;
    // A short pause while typing: one search per word, not one per key.
    const timer = setTimeout(() => {
      call('customer.search', { query: q, limit: 10 })
        .then((r) => !gone && setHits(r))
        .catch((err: unknown) => !gone && setError(errorPayload(err)));
    }, 250);
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [query]);
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const first = hits?.[0];
    if (e.key === 'Enter' && first) {
      e.preventDefault();
      onPick(first);
    }
  }
  return (
    <section>
      <Field label={t('tills.findCustomer')} hint={t('tills.customerSearchHint')}>
        {(id) => (
          <input
            id={id}
            type="search"
            name="customerSearch"
            autoFocus
            autoComplete="off"
            maxLength={120}
            value={query}
            onKeyDown={onKeyDown}
            onChange={(e) => setQuery(e.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={error} />
      {hits && hits.length === 0 ? <p className="hint">{t('tills.noMatches')}</p> : null}
      {hits?.length ? (
        <ul className="counter-hits" data-testid="customer-hits">
          {hits.map((h) => (
            <li key={h.id}>
              <button type="button" aria-pressed={selected?.id === h.id} onClick={() => onPick(h)}>
                <strong>{h.fullName}</strong> <span className="mono small">{h.publicId}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function AccountPick(props: {
  accounts: DepositAccountDto[];
  selected: DepositAccountDto | null;
  onPick(a: DepositAccountDto): void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-label={t('tills.accounts')} className="account-pick">
      <h2>{t('tills.accounts')}</h2>
      {props.accounts.length === 0 ? <p className="hint">{t('tills.noAccounts')}</p> : null}
      {props.accounts.map((a) => (
        <button
          key={a.id}
          type="button"
          aria-pressed={props.selected?.id === a.id}
          onClick={() => props.onPick(a)}
        >
          <span className="mono">{a.publicId}</span> · {a.holderName} ·{' '}
          {t('tills.available', { amount: formatMoney(a.settled, 'USD', i18n.language) })}
        </button>
      ))}
    </section>
  );
}

function IdentityPanel({ images }: { images: Identity }) {
  const { t } = useTranslation();
  return (
    <section aria-label={t('tills.identity')}>
      <h2>{t('tills.identity')}</h2>
      {images.length === 0 ? <p className="hint">{t('tills.noIdentity')}</p> : null}
      <div className="identity-images" data-testid="identity">
        {images.map((img) => (
          <figure key={img.documentId}>
            <img src={`data:${img.contentType};base64,${img.data}`} alt={img.name} />
            <figcaption>{img.name}</figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

function OperationForm(props: {
  account: DepositAccountDto;
  mine: MyTillDto;
  onDone(last: Last, withdrawal?: WithdrawalDto): void;
}) {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const record = useCommand('deposits.record');
  const initiate = useCommand('deposits.withdrawals.initiate');
  const [kind, setKind] = useState<'deposit' | 'withdrawal'>('deposit');
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<Method>('cash');
  const [reference, setReference] = useState('');
  const [counts, setCounts] = useState<TypedCounts>({});
  const [invalid, setInvalid] = useState(false);
  const [overriding, setOverriding] = useState<Record<string, unknown> | null>(null);
  const [conductor, setConductor] = useState<ConductorInput | null>(null);
  const [overMaximum, setOverMaximum] = useState(false);
  const command = kind === 'deposit' ? record : initiate;
  const error = command.error;
  const example = i18n.language.startsWith('es') ? '1234,56' : '1234.56';
  const minor = parseAmount(amount, i18n.language);
  const money = (m: string) => formatMoney(m, 'USD', i18n.language);

  useEffect(() => {
    // The till's maximum (cash controls): whatever the supervisor decides, the excess goes to the vault.
    if (error?.code === 'OVERRIDE_REQUIRED' && error.params.vaultTransfer) setOverMaximum(true);
    if (error?.code === 'OVERRIDE_REQUIRED') setOverriding(error.params);
    else if (error?.code === 'CONDUCTOR_REQUIRED') setConductor((c) => c ?? NO_CONDUCTOR);
    else if (error && !OVERRIDE_ERRORS.has(error.code)) setOverriding(null);
  }, [error]);

  async function send(override?: SupervisorOverride) {
    setInvalid(minor === null);
    if (minor === null) return;
    const cash = method === 'cash';
    const counter: CounterInput = {
      ...(cash ? { tillId: props.mine.till.id } : {}),
      ...(cash && kind === 'deposit' ? { denominations: toCountList(props.mine.denominations, counts) } : {}),
      ...(override ? { override } : {}),
      ...(conductor ? { conductor: conductorPayload(conductor) } : {}),
    };
    const input = {
      accountId: props.account.id,
      amount: minor,
      method,
      ...(reference.trim() ? { reference: reference.trim() } : {}),
      ...(Object.keys(counter).length ? { counter } : {}),
    };
    if (kind === 'deposit') {
      const d = await record.run(input);
      if (!d) return;
      push('success', t('tills.depositDone', { amount: money(d.amount) }));
      props.onDone({ kind: 'deposit', movementId: d.id, amount: d.amount, status: d.status });
    } else {
      const w = await initiate.run(input);
      if (!w) return;
      push(
        'success',
        t('tills.withdrawalStarted', {
          amount: money(w.amount),
          status: t(`deposits.withdrawalStatus.${w.status}`),
        }),
      );
      props.onDone({ kind: 'withdrawal', movementId: w.id, amount: w.amount, status: w.status }, w);
    }
    setAmount('');
    setReference('');
    setCounts({});
    setConductor(null);
    setOverriding(null);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setOverriding(null);
    // With the conductor's details it is a new request (the refused one did nothing); any other
    // failure keeps its id, so that a retry after a lost answer cannot post twice.
    if (error?.code === 'CONDUCTOR_REQUIRED') command.reset();
    void send();
  }

  const label = kind === 'deposit' ? t('tills.recordDeposit') : t('tills.initiateWithdrawal');
  return (
    <>
      <form aria-label={t('tills.operation')} onSubmit={submit} noValidate>
        {overMaximum ? (
          <p className="banner" role="status" data-testid="till-over-maximum">
            {t('tills.tillOverMaximum')} <Link to="/till">{t('tills.sendExcess')}</Link>
          </p>
        ) : null}
        <fieldset className="operation-kind">
          <legend className="sr-only">{t('tills.operation')}</legend>
          {(['deposit', 'withdrawal'] as const).map((k) => (
            <label key={k}>
              <input
                type="radio"
                name="operation"
                value={k}
                checked={kind === k}
                onChange={() => {
                  setKind(k);
                  record.reset();
                  initiate.reset();
                }}
              />{' '}
              {t(`tills.${k}`)}
            </label>
          ))}
        </fieldset>
        {kind === 'withdrawal' ? (
          <p className="hint">{t('deposits.availableNow', { amount: money(props.account.settled) })}</p>
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
        {method === 'cash' && kind === 'deposit' ? (
          <DenominationGrid
            label={t('tills.cashIn')}
            denominations={props.mine.denominations}
            counts={counts}
            onChange={setCounts}
            amount={minor}
          />
        ) : null}
        {conductor ? <ConductorFields value={conductor} onChange={setConductor} /> : null}
        {invalid ? (
          <div className="error" role="alert" data-error-code="AMOUNT_FORMAT">
            {t('tills.amountFormat', { example })}
          </div>
        ) : null}
        <ErrorMessage error={overriding ? null : error} />
        <button type="submit" className="primary" disabled={command.busy}>
          {label}
        </button>
      </form>
      <OverrideDialog
        open={overriding !== null}
        problem={overriding ?? {}}
        busy={command.busy}
        error={error && OVERRIDE_ERRORS.has(error.code) ? error : null}
        onSubmit={(override) => {
          // A new intention: the refused command keeps its id and its refusal.
          command.reset();
          void send(override);
        }}
        onCancel={() => setOverriding(null)}
      />
    </>
  );
}

function PendingPayouts({ items, onPay }: { items: WithdrawalDto[]; onPay(w: WithdrawalDto): void }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-label={t('tills.pendingPayouts')}>
      <h2>{t('tills.pendingPayouts')}</h2>
      {items.length === 0 ? (
        <p className="hint">{t('tills.noPendingPayouts')}</p>
      ) : (
        <table className="grid" data-testid="pending-payouts">
          <tbody>
            {items.map((w) => (
              <tr key={w.id}>
                <td className="num">{formatMoney(w.amount, 'USD', i18n.language)}</td>
                <td>{t(`deposits.method.${w.method}`)}</td>
                <td>
                  <WithdrawalBadge status={w.status} />
                </td>
                <td className="actions">
                  <button type="button" className="primary" onClick={() => onPay(w)}>
                    {t('tills.payOut')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Paying out: the app suggests a note mix from what the till holds; the teller may change it. */
function PayoutDialog(props: {
  withdrawal: WithdrawalDto;
  mine: MyTillDto;
  onClose(): void;
  onDone(w: WithdrawalDto): void;
}) {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const confirm = useCommand('deposits.withdrawals.confirm');
  const [counts, setCounts] = useState<TypedCounts>({});
  const [noMix, setNoMix] = useState(false);
  const w = props.withdrawal;
  const cash = w.method === 'cash';
  const suggest = useCallback(async () => {
    const r = await call('tills.suggestPayout', { tillId: props.mine.till.id, amount: w.amount }).catch(
      () => null,
    );
    setNoMix(!r?.denominations);
    if (r?.denominations) setCounts(fromCountList(r.denominations));
  }, [props.mine.till.id, w.amount]);
  useEffect(() => {
    if (cash) void suggest();
  }, [cash, suggest]);
  async function submit() {
    const done = await confirm.run({
      id: w.id,
      ...(cash
        ? {
            counter: {
              tillId: props.mine.till.id,
              denominations: toCountList(props.mine.denominations, counts),
            },
          }
        : {}),
    });
    if (!done) return;
    push('success', t('tills.paidOut', { amount: formatMoney(done.amount, 'USD', i18n.language) }));
    props.onDone(done);
  }
  return (
    <DialogForm
      title={t('tills.payOutTitle', { amount: formatMoney(w.amount, 'USD', i18n.language) })}
      formLabel={t('tills.payOut')}
      submitLabel={t('tills.payOut')}
      submitDisabled={confirm.busy}
      error={confirm.error}
      onSubmit={submit}
      onClose={props.onClose}
      moreButtons={
        cash ? (
          <button type="button" onClick={() => void suggest()}>
            {t('tills.suggest')}
          </button>
        ) : null
      }
    >
      {cash ? (
        <>
          <DenominationGrid
            label={t('tills.cashOut')}
            denominations={props.mine.denominations}
            counts={counts}
            onChange={setCounts}
            amount={w.amount}
          />
          {noMix ? <p className="hint">{t('tills.noMix')}</p> : null}
        </>
      ) : null}
    </DialogForm>
  );
}

function LastTransaction({ last }: { last: Last }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-label={t('tills.lastTransaction')} data-testid="last-transaction">
      <h2>{t('tills.lastTransaction')}</h2>
      <p>
        {t(`tills.${last.kind}`)} · {formatMoney(last.amount, 'USD', i18n.language)} ·{' '}
        <span className="mono small">{last.movementId}</span>
      </p>
      <ReceiptActions kind={last.kind} movementId={last.movementId} />
    </section>
  );
}
