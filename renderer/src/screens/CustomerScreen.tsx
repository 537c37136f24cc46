import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { CustomerDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Modal } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { DocumentsPanel } from '../components/DocumentsPanel';
import { DepositAccountsPanel } from '../components/deposits/DepositAccountsPanel';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';
import { History, IdentityDetails, ReasonForm, Reviews, useFormatTime } from './CustomerParts';
import { ReceiptLanguageField } from '../components/receipts/ReceiptLanguageField';

type Dialog = 'freeze' | 'close' | null;

/** One customer: identity, type, verification, status, documents, history; freeze, unfreeze, close. */
export function CustomerScreen() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const time = useFormatTime();
  const [c, setC] = useState<CustomerDto | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const freeze = useCommand('customer.freeze');
  const unfreeze = useCommand('customer.unfreeze');
  const close = useCommand('customer.close');

  const load = useCallback(async () => {
    setError(null);
    try {
      setC(await call('customer.get', { id }));
    } catch (err) {
      setError(errorPayload(err));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const updated = (next: CustomerDto | undefined) => {
    if (!next) return;
    setC(next);
    setDialog(null);
    void load(); // with the history record the command just wrote
    push('success', t('customers.updated'));
  };
  const manage = can(session, 'customer.manage');
  const failing = c?.closingChecks.filter((x) => !x.ok) ?? [];
  return (
    <section aria-labelledby="customer-title">
      <p>
        <Link to="/customers">{t('customers.backToSearch')}</Link>
      </p>
      <header className="screen-header">
        <h1 id="customer-title">
          {c
            ? t('customers.customerTitle', { name: c.fullName, publicId: c.customerPublicId })
            : t('customers.searchTitle')}
        </h1>
        {c ? (
          <span className={`badge ${c.status}`} data-testid="customer-status">
            {t(`customers.status.${c.status}`)}
          </span>
        ) : null}
      </header>
      <ErrorMessage error={error ?? unfreeze.error} />
      {c ? (
        <>
          {c.status !== 'active' && c.statusReason ? (
            <div className="banner bad">
              {t(`customers.statusBecause.${c.status}`, { reason: c.statusReason })}
            </div>
          ) : null}
          {manage && c.status !== 'closed' ? (
            <div
              className="buttons"
              role="group"
              aria-label={t('common.actions')}
              style={{ marginBottom: '1rem' }}
            >
              {c.status === 'active' ? (
                <button type="button" onClick={() => setDialog('freeze')}>
                  {t('customers.freeze')}
                </button>
              ) : (
                <button
                  type="button"
                  disabled={unfreeze.busy}
                  onClick={async () => updated(await unfreeze.run({ id }))}
                >
                  {t('customers.unfreeze')}
                </button>
              )}
              <button type="button" className="danger" onClick={() => setDialog('close')}>
                {t('customers.closeCustomer')}
              </button>
            </div>
          ) : null}
          <div className="customer-columns">
            <section aria-labelledby="identity-title">
              <h2 id="identity-title">{t('customers.identity')}</h2>
              <IdentityDetails p={c} />
            </section>
            <section aria-labelledby="conversion-title">
              <h2 id="conversion-title">{t('customers.conversion')}</h2>
              <dl className="details">
                <dt>{t('customers.customerSince')}</dt>
                <dd>{time(c.convertedAt)}</dd>
                <dt>{t('customers.conversion')}</dt>
                <dd>
                  {c.convertedWith === 'kyc'
                    ? t('customers.convertedWithKyc')
                    : t('customers.convertedManually', { reason: c.conversionReason ?? '' })}
                </dd>
                <dt>{t('customers.prospectRecord')}</dt>
                <dd>
                  <Link to={`/prospects/${c.id}`}>{c.publicId}</Link>
                </dd>
                <ReceiptLanguageField
                  customer={c}
                  editable={manage && c.status !== 'closed'}
                  onChanged={updated}
                />
              </dl>
              <Reviews p={c} />
            </section>
          </div>
          <DepositAccountsPanel
            customer={c}
            requestedAt={c.depositAccountRequestedAt ? time(c.depositAccountRequestedAt) : ''}
          />
          <div className="documents-row">
            <DocumentsPanel holderId={c.id} />
          </div>
          <History items={c.history} />
        </>
      ) : null}
      {c && dialog === 'freeze' ? (
        <Modal title={t('customers.freezeTitle', { name: c.fullName })} onClose={() => setDialog(null)}>
          <ReasonForm
            name="reason"
            submitLabel={t('customers.freeze')}
            busy={freeze.busy}
            error={freeze.error}
            onSubmit={async (reason) => updated(await freeze.run({ id, reason }))}
          />
        </Modal>
      ) : null}
      {c && dialog === 'close' ? (
        <Modal
          title={t('customers.closeCustomerTitle', { name: c.fullName })}
          onClose={() => setDialog(null)}
        >
          <p>{t('customers.closingChecks')}</p>
          <ul className="checks" data-testid="closing-checks">
            {c.closingChecks.map((x) => (
              <li key={x.name} className={x.ok ? '' : 'failing'}>
                {t(`customers.checks.${x.name}`)}
                {x.ok ? '' : ` (${x.blocking})`}
              </li>
            ))}
          </ul>
          {failing.length ? <p className="hint">{t('customers.closeBlockedHint')}</p> : null}
          <ReasonForm
            name="reason"
            danger
            submitLabel={t('customers.closeCustomer')}
            busy={close.busy}
            error={close.error}
            onSubmit={async (reason) => updated(await close.run({ id, reason }))}
          />
        </Modal>
      ) : null}
    </section>
  );
}
