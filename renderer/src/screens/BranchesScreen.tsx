import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BranchDto, DenominationDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { DialogForm, ErrorMessage, Field } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { useToasts } from '../stores/toasts';
import { parseAmount } from '../components/deposits/amount';
import { DenominationGrid } from '../components/tills/DenominationGrid';
import { toCountList, typedTotal, type TypedCounts } from '../components/tills/counts';
import { SessionBadge } from '../components/tills/badges';
import '../components/tills/tills.css';

/** A tolerance may be zero (every difference signed off); parseAmount takes only positive amounts. */
function parseTolerance(typed: string, language: string): string | null {
  return /^\s*0+([.,]0*)?\s*$/.test(typed) ? '0' : parseAmount(typed, language);
}

/** The administrator's page: denominations per currency, branches with their vault and tills. */
export function BranchesScreen() {
  const { t } = useTranslation();
  const [branches, setBranches] = useState<BranchDto[]>([]);
  const [denominations, setDenominations] = useState<DenominationDto[]>([]);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [receiving, setReceiving] = useState<BranchDto | null>(null);

  const load = useCallback(async () => {
    try {
      const [b, d] = await Promise.all([
        call('tills.branches.list', {}),
        call('tills.denominations.list', { currency: 'USD' }),
      ]);
      setBranches(b);
      setDenominations(d);
      setError(null);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="branches-title">
      <header className="screen-header">
        <h1 id="branches-title">{t('tills.branchesTitle')}</h1>
      </header>
      <ErrorMessage error={error} />
      <NewBranchForm onCreated={load} />
      {branches.length === 0 ? <p className="hint">{t('tills.noBranches')}</p> : null}
      {branches.map((b) => (
        <BranchCard key={b.id} branch={b} onChanged={load} onReceive={() => setReceiving(b)} />
      ))}
      <DenominationsEditor denominations={denominations} onSaved={setDenominations} />
      {receiving ? (
        <ReceiveDialog
          branch={receiving}
          denominations={denominations.filter((d) => d.active)}
          onClose={() => setReceiving(null)}
          onDone={() => {
            setReceiving(null);
            void load();
          }}
        />
      ) : null}
    </section>
  );
}

function NewBranchForm({ onCreated }: { onCreated(): void }) {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const create = useCommand('tills.branches.create');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [tolerance, setTolerance] = useState('');
  const [invalid, setInvalid] = useState(false);
  const example = i18n.language.startsWith('es') ? '5,00' : '5.00';
  async function submit(e: FormEvent) {
    e.preventDefault();
    const closeTolerance = parseTolerance(tolerance, i18n.language);
    setInvalid(closeTolerance === null);
    if (closeTolerance === null) return;
    const done = await create.run({ code: code.trim(), name: name.trim(), currency: 'USD', closeTolerance });
    if (!done) return;
    push('success', t('tills.branchCreated', { code: done.code }));
    setCode('');
    setName('');
    setTolerance('');
    onCreated();
  }
  return (
    <form className="filters" aria-label={t('tills.newBranch')} onSubmit={submit} noValidate>
      <Field label={t('tills.code')}>
        {(id) => (
          <input
            id={id}
            name="branchCode"
            required
            maxLength={20}
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('tills.name')}>
        {(id) => (
          <input
            id={id}
            name="branchName"
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('tills.tolerance')} hint={t('tills.toleranceHint')}>
        {(id) => (
          <input
            id={id}
            name="tolerance"
            inputMode="decimal"
            placeholder={example}
            aria-invalid={invalid}
            value={tolerance}
            onChange={(e) => setTolerance(e.target.value)}
          />
        )}
      </Field>
      <div className="field">
        <button type="submit" className="primary" disabled={create.busy}>
          {t('tills.createBranch')}
        </button>
      </div>
      {invalid ? (
        <div className="error" role="alert">
          {t('tills.amountFormat', { example })}
        </div>
      ) : null}
      <ErrorMessage error={create.error} />
    </form>
  );
}

function BranchCard({
  branch,
  onChanged,
  onReceive,
}: {
  branch: BranchDto;
  onChanged(): void;
  onReceive(): void;
}) {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const add = useCommand('tills.create');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    const done = await add.run({ branchId: branch.id, code: code.trim(), name: name.trim() });
    if (!done) return;
    push('success', t('tills.tillCreated', { code: done.code }));
    setCode('');
    setName('');
    onChanged();
  }
  return (
    <section
      className="branch"
      aria-label={`${branch.code} ${branch.name}`}
      data-testid={`branch-${branch.code}`}
    >
      <h2>
        {branch.code} · {branch.name}
      </h2>
      <p className="hint">
        {t('tills.tolerance')}: {formatMoney(branch.closeTolerance, 'USD', i18n.language)} ·{' '}
        <Link to={`/ledger/accounts/${branch.vaultLedgerAccountId}`}>{t('tills.vault')}</Link>
      </p>
      <div className="toolbar">
        <button type="button" onClick={onReceive}>
          {t('tills.receiveCash')}
        </button>
      </div>
      <table className="grid">
        <caption className="sr-only">{t('tills.tills')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tills.code')}</th>
            <th scope="col">{t('tills.name')}</th>
            <th scope="col">{t('tills.status')}</th>
            <th scope="col">{t('tills.teller')}</th>
          </tr>
        </thead>
        <tbody>
          {branch.tills.map((till) => (
            <tr key={till.id}>
              <td>
                <Link to={`/ledger/accounts/${till.ledgerAccountId}`}>{till.code}</Link>
              </td>
              <td>{till.name}</td>
              <td>
                <SessionBadge status={till.session?.status ?? null} />
              </td>
              <td>{till.session?.tellerName ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="filters" aria-label={t('tills.addTill')} onSubmit={submit} noValidate>
        <Field label={t('tills.code')}>
          {(id) => (
            <input
              id={id}
              name="tillCode"
              required
              maxLength={20}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('tills.name')}>
          {(id) => (
            <input
              id={id}
              name="tillName"
              required
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <div className="field">
          <button type="submit" disabled={add.busy}>
            {t('tills.addTill')}
          </button>
        </div>
        <ErrorMessage error={add.error} />
      </form>
    </section>
  );
}

function ReceiveDialog(props: {
  branch: BranchDto;
  denominations: DenominationDto[];
  onClose(): void;
  onDone(): void;
}) {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const receive = useCommand('tills.vault.receive');
  const [counts, setCounts] = useState<TypedCounts>({});
  async function submit() {
    const amount = typedTotal(counts);
    const done = await receive.run({
      branchId: props.branch.id,
      amount: String(amount),
      denominations: toCountList(props.denominations, counts),
    });
    if (!done) return;
    push('success', t('tills.received', { amount: formatMoney(String(amount), 'USD', i18n.language) }));
    props.onDone();
  }
  return (
    <DialogForm
      title={`${t('tills.receiveCash')} · ${props.branch.code}`}
      submitLabel={t('tills.receiveCash')}
      submitDisabled={receive.busy || typedTotal(counts) <= 0n}
      error={receive.error}
      onSubmit={submit}
      onClose={props.onClose}
    >
      <DenominationGrid
        label={t('tills.holdings')}
        denominations={props.denominations}
        counts={counts}
        onChange={setCounts}
      />
    </DialogForm>
  );
}

/** The currency's notes and coins: retire one by unticking it, add one by value and kind. */
function DenominationsEditor({
  denominations,
  onSaved,
}: {
  denominations: DenominationDto[];
  onSaved(d: DenominationDto[]): void;
}) {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const save = useCommand('tills.denominations.set');
  const [rows, setRows] = useState<DenominationDto[]>(denominations);
  const [value, setValue] = useState('');
  const [kind, setKind] = useState<'note' | 'coin'>('note');
  const [invalid, setInvalid] = useState(false);
  useEffect(() => setRows(denominations), [denominations]);
  function addRow(e: FormEvent) {
    e.preventDefault();
    const minor = parseAmount(value, i18n.language);
    setInvalid(minor === null);
    if (minor === null) return;
    const rest = rows.filter((r) => r.value !== minor);
    const next = [...rest, { currency: 'USD', value: minor, kind, active: true }];
    setRows(next.sort((a, b) => (BigInt(b.value) > BigInt(a.value) ? 1 : -1)));
    setValue('');
  }
  async function submit() {
    const done = await save.run({
      currency: 'USD',
      items: rows.filter((r) => r.active).map((r) => ({ value: r.value, kind: r.kind })),
    });
    if (!done) return;
    push('success', t('common.saved'));
    onSaved(done);
  }
  return (
    <section aria-labelledby="denominations-title">
      <h2 id="denominations-title">{t('tills.denominationsTitle', { currency: 'USD' })}</h2>
      <table className="grid compact narrow">
        <thead>
          <tr>
            <th scope="col">{t('tills.denomination')}</th>
            <th scope="col">{t('tills.kind')}</th>
            <th scope="col">{t('tills.active')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.value}>
              <td className="num">{formatMoney(r.value, 'USD', i18n.language)}</td>
              <td>{t(r.kind === 'note' ? 'tills.kindNote' : 'tills.kindCoin')}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${t('tills.active')} ${formatMoney(r.value, 'USD', i18n.language)}`}
                  checked={r.active}
                  onChange={(e) =>
                    setRows(rows.map((x) => (x.value === r.value ? { ...x, active: e.target.checked } : x)))
                  }
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="filters" aria-label={t('tills.addDenomination')} onSubmit={addRow} noValidate>
        <Field label={t('tills.denomination')}>
          {(id) => (
            <input
              id={id}
              name="denomination"
              inputMode="decimal"
              aria-invalid={invalid}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('tills.kind')}>
          {(id) => (
            <select id={id} value={kind} onChange={(e) => setKind(e.target.value as 'note' | 'coin')}>
              <option value="note">{t('tills.kindNote')}</option>
              <option value="coin">{t('tills.kindCoin')}</option>
            </select>
          )}
        </Field>
        <div className="field">
          <button type="submit">{t('tills.addDenomination')}</button>
        </div>
      </form>
      <ErrorMessage error={save.error} />
      <button type="button" className="primary" onClick={() => void submit()} disabled={save.busy}>
        {t('tills.saveDenominations')}
      </button>
    </section>
  );
}
