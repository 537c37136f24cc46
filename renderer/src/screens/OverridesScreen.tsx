import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OverrideRequestDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney } from '@shared/money';
import { call, errorPayload } from '../api';
import { ErrorMessage, Modal, ReasonField } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { useCashLive } from '../components/cash-controls/live';
import { useToasts } from '../stores/toasts';

type Deciding = { request: OverrideRequestDto; decision: 'approve' | 'refuse' };

/** Override requests from tellers' workstations, for a supervisor to approve or refuse (live). */
export function OverridesScreen() {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const [items, setItems] = useState<OverrideRequestDto[]>([]);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const [reason, setReason] = useState('');
  const decide = useCommand('cashControls.overrides.decide');
  const money = (minor: string) => formatMoney(minor, 'USD', i18n.language);

  const load = useCallback(async () => {
    try {
      setItems(await call('cashControls.overrides.pending', {}));
      setError(null);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useCashLive('cash-override', load, 15_000);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!deciding) return;
    const out = await decide.run({ id: deciding.request.id, decision: deciding.decision, reason });
    if (out) {
      push(
        'success',
        t(`cashControls.overrides.${out.status === 'approved' ? 'approvedToast' : 'refusedToast'}`),
      );
      setDeciding(null);
      void load();
    }
  }

  return (
    <section aria-labelledby="overrides-title">
      <header className="screen-header">
        <h1 id="overrides-title">{t('cashControls.overrides.title')}</h1>
      </header>
      <p className="hint">{t('cashControls.overrides.hint')}</p>
      <ErrorMessage error={error} />
      <table className="grid" data-testid="override-requests">
        <thead>
          <tr>
            <th>{t('cashControls.overrides.requestedAt')}</th>
            <th>{t('cashControls.overrides.teller')}</th>
            <th>{t('cashControls.overrides.account')}</th>
            <th>{t('cashControls.overrides.step')}</th>
            <th>{t('cashControls.overrides.amount')}</th>
            <th>{t('cashControls.overrides.limit')}</th>
            <th>{t('cashControls.overrides.note')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.length === 0 ? (
            <tr>
              <td colSpan={8} className="empty">
                {t('cashControls.overrides.none')}
              </td>
            </tr>
          ) : (
            items.map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.requestedAt).toLocaleTimeString(i18n.language)}</td>
                <td>
                  {r.requestedByName}
                  <div className="hint">{r.workstation}</div>
                </td>
                <td>
                  {r.accountPublicId}
                  <div className="hint">{r.holderName}</div>
                </td>
                <td>{t(`cashControls.step.${r.kind}`)}</td>
                <td>{money(r.amount)}</td>
                <td>
                  {t(`cashControls.limitKind.${r.limit}`)}: {money(r.limitAmount)}
                </td>
                <td>{r.note}</td>
                <td className="actions">
                  {(['approve', 'refuse'] as const).map((decision) => (
                    <button
                      key={decision}
                      type="button"
                      className={decision === 'approve' ? 'primary' : undefined}
                      onClick={() => {
                        decide.reset();
                        setReason('');
                        setDeciding({ request: r, decision });
                      }}
                    >
                      {t(`cashControls.overrides.${decision}`)}
                    </button>
                  ))}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {deciding ? (
        <Modal
          title={t(`cashControls.overrides.${deciding.decision}Title`, {
            teller: deciding.request.requestedByName,
            amount: money(deciding.request.amount),
          })}
          onClose={() => setDeciding(null)}
        >
          <form onSubmit={submit} noValidate>
            <ReasonField value={reason} onChange={setReason} name="decision-reason" />
            <ErrorMessage error={decide.error} />
            <button type="submit" className="primary" disabled={decide.busy}>
              {t(`cashControls.overrides.${deciding.decision}`)}
            </button>
          </form>
        </Modal>
      ) : null}
    </section>
  );
}
