import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarDto } from '@shared/contract';
import { call } from '../api';
import { ErrorMessage, Field, Modal } from '../components/ui';
import { useCommand } from '../components/useCommand';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';

export function FiscalYearScreen() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const manage = can(session, 'accounting.manage');
  const [calendar, setCalendar] = useState<CalendarDto | null>(null);
  const [startsOn, setStartsOn] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const open = useCommand('accounting.openFirstFiscalYear');
  const close = useCommand('accounting.closeMonth');

  const load = useCallback(async () => {
    const c = await call('accounting.calendar', {});
    setCalendar(c);
    if (c.businessDate) setStartsOn((s) => s || `${c.businessDate!.slice(0, 4)}-01-01`);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function openYear(e: FormEvent) {
    e.preventDefault();
    const year = await open.run({ startsOn });
    if (year) {
      push('success', t('fiscal.opened', year));
      void load();
    }
  }

  const month = calendar?.nextMonthToClose?.to.slice(0, 7) ?? '';
  async function closeMonth(e: FormEvent) {
    e.preventDefault();
    const closed = await close.run({ confirmMonth: typed });
    if (closed) {
      push('success', t('fiscal.closed', { date: closed.closedAsOf }));
      setConfirming(false);
      setTyped('');
      void load();
    }
  }

  if (!calendar) return null;
  return (
    <section aria-labelledby="fiscal-title">
      <h1 id="fiscal-title">{t('fiscal.title')}</h1>
      {calendar.fiscalYears.length === 0 ? (
        <form className="card" onSubmit={openYear}>
          <p>{t('fiscal.none')}</p>
          {manage ? (
            <>
              <Field label={t('fiscal.startsOn')}>
                {(id) => (
                  <input
                    id={id}
                    name="startsOn"
                    type="date"
                    required
                    value={startsOn}
                    onChange={(e) => setStartsOn(e.target.value)}
                  />
                )}
              </Field>
              <ErrorMessage error={open.error} />
              <button type="submit" className="primary" disabled={open.busy}>
                {t('fiscal.open')}
              </button>
            </>
          ) : null}
        </form>
      ) : (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th>{t('fiscal.startsOn')}</th>
                <th>{t('fiscal.endsOn')}</th>
                <th>{t('fiscal.status')}</th>
              </tr>
            </thead>
            <tbody>
              {calendar.fiscalYears.map((y) => (
                <tr key={y.startsOn}>
                  <td className="mono">{y.startsOn}</td>
                  <td className="mono">{y.endsOn}</td>
                  <td>{y.closed ? t('fiscal.yearClosed') : t('fiscal.yearOpen')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="card wide" style={{ marginTop: '1rem' }}>
            <p data-testid="month-closed-as-of">
              {calendar.monthClosedAsOf
                ? t('fiscal.closedAsOf', { date: calendar.monthClosedAsOf })
                : t('fiscal.noneClosed')}
            </p>
            {calendar.nextMonthToClose ? (
              <p>{t('fiscal.next', { month, businessDate: calendar.businessDate })}</p>
            ) : null}
            {manage && calendar.nextMonthToClose ? (
              <button type="button" className="danger" onClick={() => setConfirming(true)}>
                {t('fiscal.closeMonth', { month })}
              </button>
            ) : null}
          </div>
        </>
      )}
      {confirming ? (
        <Modal title={t('fiscal.closeMonth', { month })} onClose={() => setConfirming(false)}>
          <form onSubmit={closeMonth}>
            <p>{t('fiscal.irreversible', { month })}</p>
            <Field label={t('fiscal.typeMonth', { month })}>
              {(id) => (
                <input
                  id={id}
                  name="confirmMonth"
                  autoComplete="off"
                  value={typed}
                  onChange={(e) => setTyped(e.target.value)}
                />
              )}
            </Field>
            <ErrorMessage error={close.error} />
            <button type="submit" className="danger" disabled={close.busy || typed !== month}>
              {t('fiscal.closeMonth', { month })}
            </button>
          </form>
        </Modal>
      ) : null}
    </section>
  );
}
