import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { KYC_DECLINE_REASONS, type ProspectDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field, Modal } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { DocumentsPanel } from '../components/DocumentsPanel';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';
import { History, IdentityDetails, ReasonForm, Reviews, StageBadge } from './CustomerParts';

type Dialog = 'kyc' | 'convertWithoutKyc' | 'close' | null;

function RecordKyc({ p, onDone }: { p: ProspectDto; onDone: (p: ProspectDto) => void }) {
  const { t } = useTranslation();
  const { run, busy, error } = useCommand('prospect.recordKyc');
  const [outcome, setOutcome] = useState<'approved' | 'declined'>('approved');
  const [reasons, setReasons] = useState<(typeof KYC_DECLINE_REASONS)[number][]>([]);
  const [comment, setComment] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    const updated = await run({
      id: p.id,
      outcome,
      reasons: outcome === 'declined' ? reasons : [],
      ...(comment.trim() ? { comment } : {}),
    });
    if (updated) onDone(updated);
  }
  return (
    <form onSubmit={submit} aria-label={t('customers.recordKyc')}>
      <p className="hint" data-testid="active-documents">
        {t('customers.activeDocuments', { count: p.activeDocuments })}
      </p>
      <fieldset className="roles">
        <legend>{t('customers.outcome')}</legend>
        {(['approved', 'declined'] as const).map((o) => (
          <label key={o} className="check">
            <input
              type="radio"
              name="outcome"
              value={o}
              checked={outcome === o}
              onChange={() => setOutcome(o)}
            />
            {t(`customers.outcomes.${o}`)}
          </label>
        ))}
      </fieldset>
      {outcome === 'declined' ? (
        <fieldset className="reasons-picker">
          <legend>{t('customers.reasons')}</legend>
          {KYC_DECLINE_REASONS.map((r) => (
            <label key={r} className="check">
              <input
                type="checkbox"
                name={`reason-${r}`}
                checked={reasons.includes(r)}
                onChange={(e) =>
                  setReasons(e.target.checked ? [...reasons, r] : reasons.filter((x) => x !== r))
                }
              />
              {t(`customers.declineReasons.${r}`)}
            </label>
          ))}
        </fieldset>
      ) : null}
      <Field label={t('customers.comment')}>
        {(id) => (
          <textarea
            id={id}
            name="comment"
            maxLength={1000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('customers.recordDecision')}
      </button>
    </form>
  );
}

/** One prospect: identity, stage, verification, documents, history, and the onboarding actions. */
export function ProspectScreen() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const [p, setP] = useState<ProspectDto | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const startKyc = useCommand('prospect.startKyc');
  const submitKyc = useCommand('prospect.submitKyc');
  const convert = useCommand('prospect.convert');
  const convertWithoutKyc = useCommand('prospect.convertWithoutKyc');
  const close = useCommand('prospect.close');

  const load = useCallback(async () => {
    setError(null);
    try {
      setP(await call('prospect.get', { id }));
    } catch (err) {
      setError(errorPayload(err));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const updated = (message: string) => (next: ProspectDto | undefined) => {
    if (!next) return;
    setP(next);
    setDialog(null);
    void load(); // with the history record the command just wrote
    push('success', t(message));
  };
  const converted = (c: { id: string; customerPublicId: string } | undefined) => {
    if (!c) return;
    push('success', t('customers.convertedToast', { publicId: c.customerPublicId }));
    navigate(`/customers/${c.id}`);
  };

  const manage = can(session, 'customer.manage');
  const open = p && p.stage !== 'converted' && p.stage !== 'closed';
  const inKyc = p && (p.stage === 'kyc_started' || p.stage === 'kyc_pending');
  const verified = p?.kycStatus === 'verified';
  return (
    <section aria-labelledby="prospect-title">
      <p>
        <Link to="/prospects">{t('customers.backToProspects')}</Link>
      </p>
      <header className="screen-header">
        <h1 id="prospect-title">
          {p
            ? t('customers.prospectTitle', { name: p.fullName, publicId: p.publicId })
            : t('customers.prospectsTitle')}
        </h1>
        {p ? <StageBadge stage={p.stage} /> : null}
      </header>
      <ErrorMessage
        error={
          error ??
          startKyc.error ??
          submitKyc.error ??
          convert.error ??
          (dialog ? null : convertWithoutKyc.error)
        }
      />
      {p ? (
        <>
          <div
            className="buttons"
            role="group"
            aria-label={t('common.actions')}
            style={{ marginBottom: '1rem' }}
          >
            {manage && (p.stage === 'new' || p.stage === 'kyc_declined') ? (
              <button
                type="button"
                disabled={startKyc.busy}
                onClick={async () => updated('customers.updated')(await startKyc.run({ id }))}
              >
                {p.stage === 'new' ? t('customers.startKyc') : t('customers.newAttempt')}
              </button>
            ) : null}
            {manage && p.stage === 'kyc_started' && !verified ? (
              <button
                type="button"
                disabled={submitKyc.busy}
                onClick={async () => updated('customers.updated')(await submitKyc.run({ id }))}
              >
                {t('customers.submitKyc')}
              </button>
            ) : null}
            {can(session, 'customer.kyc') && inKyc && !verified ? (
              <button
                type="button"
                className="primary"
                onClick={() => {
                  // The documents panel may have changed the count: read it again.
                  void load();
                  setDialog('kyc');
                }}
              >
                {t('customers.recordKyc')}
              </button>
            ) : null}
            {manage && inKyc && verified ? (
              <button
                type="button"
                className="primary"
                disabled={convert.busy}
                onClick={async () => converted(await convert.run({ id }))}
              >
                {t('customers.convert')}
              </button>
            ) : null}
            {can(session, 'customer.convertWithoutKyc') && open && p.stage !== 'kyc_declined' && !verified ? (
              <button type="button" onClick={() => setDialog('convertWithoutKyc')}>
                {t('customers.convertWithoutKyc')}
              </button>
            ) : null}
            {manage && open ? (
              <button type="button" className="danger" onClick={() => setDialog('close')}>
                {t('customers.closeProspect')}
              </button>
            ) : null}
            {p.stage === 'converted' ? (
              <Link to={`/customers/${p.id}`}>
                {t('customers.openCustomer', { publicId: p.customerPublicId })}
              </Link>
            ) : null}
          </div>
          {p.stage === 'closed' && p.closeReason ? (
            <div className="banner bad">{t('customers.closedBecause', { reason: p.closeReason })}</div>
          ) : null}
          <div className="customer-columns">
            <section aria-labelledby="identity-title">
              <h2 id="identity-title">{t('customers.identity')}</h2>
              <IdentityDetails p={p} />
            </section>
            <Reviews p={p} />
          </div>
          <div className="documents-row">
            <DocumentsPanel holderId={p.id} />
          </div>
          <History items={p.history} />
        </>
      ) : null}
      {p && dialog === 'kyc' ? (
        <Modal title={t('customers.recordKycTitle', { name: p.fullName })} onClose={() => setDialog(null)}>
          <RecordKyc p={p} onDone={updated('customers.kycRecorded')} />
        </Modal>
      ) : null}
      {p && dialog === 'convertWithoutKyc' ? (
        <Modal
          title={t('customers.convertWithoutKycTitle', { name: p.fullName })}
          onClose={() => setDialog(null)}
        >
          <p className="hint">{t('customers.convertWithoutKycHint')}</p>
          <ReasonForm
            name="reason"
            submitLabel={t('customers.convertWithoutKyc')}
            busy={convertWithoutKyc.busy}
            error={convertWithoutKyc.error}
            onSubmit={async (reason) => converted(await convertWithoutKyc.run({ id, reason }))}
          />
        </Modal>
      ) : null}
      {p && dialog === 'close' ? (
        <Modal
          title={t('customers.closeProspectTitle', { name: p.fullName })}
          onClose={() => setDialog(null)}
        >
          <ReasonForm
            name="reason"
            danger
            submitLabel={t('customers.closeProspect')}
            busy={close.busy}
            error={close.error}
            onSubmit={async (reason) => updated('customers.updated')(await close.run({ id, reason }))}
          />
        </Modal>
      ) : null}
    </section>
  );
}
