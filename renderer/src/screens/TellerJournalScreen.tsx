import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { JournalDayDto, JournalLineDto, JournalVerificationDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { formatMoney, type MoneyCurrency } from '@shared/money';
import { call, errorPayload } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { downloadCsv } from '../components/download';
import { useSession } from '../stores/session';
import '../components/receipts/receipts.css';

const PAGE = 200;

function Verdict({ result }: { result: JournalVerificationDto }) {
  const { t } = useTranslation();
  const lines = result.tellers.reduce((n, x) => n + x.linesChecked, 0);
  if (result.intact) {
    return (
      <div className="banner ok" role="status" data-testid="journal-verdict" data-intact="true">
        {t('tellerJournal.intact', { lines, tellers: result.tellers.length, date: result.businessDate })}
      </div>
    );
  }
  return (
    <div className="banner bad" role="alert" data-testid="journal-verdict" data-intact="false">
      <strong>{t('tellerJournal.broken')}</strong>
      <ul>
        {result.tellers
          .filter((x) => !x.intact)
          .map((x) => (
            <li key={x.tellerId}>
              {t('tellerJournal.firstBroken', {
                teller: x.tellerUsername,
                sequence: x.problem!.sequence,
                kind: t(`tellerJournal.problems.${x.problem!.kind}`),
              })}
            </li>
          ))}
      </ul>
    </div>
  );
}

function amountOf(l: JournalLineDto, locale: string): string {
  if (l.amount === null || l.currency === null) return '';
  return formatMoney(l.amount, l.currency as MoneyCurrency, locale);
}

/**
 * The electronic journal: every teller's lines for a business day, checked link by link. Journal
 * readers (head teller, supervisor, auditor, admin) choose the day and the teller; a teller, in
 * `own` mode, sees their own lines of today and nothing else.
 */
function JournalScreenBody({ own }: { own: boolean }) {
  const { t, i18n } = useTranslation();
  const info = useSession((s) => s.info);
  const [date, setDate] = useState(info?.businessDate ?? '');
  const [tellerId, setTellerId] = useState('');
  const [day, setDay] = useState<JournalDayDto | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [verdict, setVerdict] = useState<JournalVerificationDto | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (businessDate: string, teller: string, after?: JournalDayDto) => {
      setError(null);
      const page = { offset: after?.items.length ?? 0, limit: PAGE };
      try {
        const result = own
          ? await call('tellerJournal.ownDay', page)
          : await call('tellerJournal.day', {
              businessDate,
              ...(teller ? { tellerId: teller } : {}),
              ...page,
            });
        setDay(after ? { ...result, items: [...after.items, ...result.items] } : result);
      } catch (err) {
        setError(errorPayload(err));
      }
    },
    [own],
  );

  // The bank's business day by default, once the app knows it (it may learn it after this screen).
  const businessDate = info?.businessDate ?? '';
  useEffect(() => {
    if (own) {
      void load('', '');
      return;
    }
    if (!businessDate) return;
    setDate((d) => d || businessDate);
    void load(businessDate, '');
  }, [own, businessDate, load]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setVerdict(null);
    void load(date, tellerId);
  }

  async function verify(all: boolean) {
    setBusy(true);
    setError(null);
    try {
      setVerdict(
        await call('tellerJournal.verify', { businessDate: date, ...(!all && tellerId ? { tellerId } : {}) }),
      );
    } catch (err) {
      setError(errorPayload(err));
    } finally {
      setBusy(false);
    }
  }

  async function exportCsv() {
    try {
      const out = await call('tellerJournal.csv', { businessDate: date, ...(tellerId ? { tellerId } : {}) });
      downloadCsv(out.fileName, out.csv);
    } catch (err) {
      setError(errorPayload(err));
    }
  }

  const broken = new Set(verdict?.tellers.map((x) => x.problem?.lineId).filter(Boolean));
  const time = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' }).format(new Date(iso));

  return (
    <section aria-labelledby="teller-journal-title">
      <header className="screen-header">
        <h1 id="teller-journal-title">{own ? t('tellerJournal.ownTitle') : t('tellerJournal.title')}</h1>
        {own ? null : (
          <div className="buttons">
            <button
              type="button"
              className="primary"
              disabled={busy || !date || !tellerId}
              title={tellerId ? undefined : t('tellerJournal.chooseTeller')}
              onClick={() => void verify(false)}
            >
              {t('tellerJournal.verify')}
            </button>
            <button type="button" disabled={busy || !date} onClick={() => void verify(true)}>
              {t('tellerJournal.verifyAll')}
            </button>
            <button type="button" disabled={!date} onClick={() => void exportCsv()}>
              {t('tellerJournal.exportCsv')}
            </button>
          </div>
        )}
      </header>
      {own ? <p className="muted">{t('tellerJournal.ownHint', { date: day?.businessDate ?? '' })}</p> : null}
      {verdict ? <Verdict result={verdict} /> : null}
      <ErrorMessage error={error} />
      {own ? null : (
        <form className="filters journal-filters" onSubmit={apply} aria-label={t('tellerJournal.filters')}>
          <Field label={t('tellerJournal.businessDate')}>
            {(id) => (
              <input
                id={id}
                name="businessDate"
                type="date"
                required
                value={date}
                onChange={(e) => setDate(e.target.value)}
              />
            )}
          </Field>
          <Field label={t('tellerJournal.teller')}>
            {(id) => (
              <select id={id} name="teller" value={tellerId} onChange={(e) => setTellerId(e.target.value)}>
                <option value="">{t('tellerJournal.allTellers')}</option>
                {day?.tellers.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.fullName ? `${x.fullName} (${x.username})` : x.username}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="buttons">
            <button type="submit" className="primary">
              {t('common.apply')}
            </button>
          </div>
        </form>
      )}
      <table className="grid" data-testid="teller-journal">
        <thead>
          <tr>
            <th scope="col">{t('tellerJournal.teller')}</th>
            <th scope="col">#</th>
            <th scope="col">{t('tellerJournal.time')}</th>
            <th scope="col">{t('tellerJournal.kind')}</th>
            <th scope="col" className="num">
              {t('tellerJournal.amount')}
            </th>
            <th scope="col">{t('tellerJournal.account')}</th>
            <th scope="col">{t('tellerJournal.workstation')}</th>
            <th scope="col">{t('tellerJournal.hash')}</th>
          </tr>
        </thead>
        <tbody>
          {day?.items.map((l) => (
            <tr
              key={l.id}
              data-line={l.id}
              data-kind={l.kind}
              className={broken.has(l.id) ? 'broken' : undefined}
            >
              <td>{l.tellerUsername}</td>
              <td className="num">{l.sequence}</td>
              <td className="mono">{time(l.at)}</td>
              <td>{t(`tellerJournal.kinds.${l.kind}`, { defaultValue: l.kind })}</td>
              <td className="num">{amountOf(l, i18n.language)}</td>
              <td className="mono">{l.accountPublicId ?? ''}</td>
              <td>{l.workstation}</td>
              <td className="mono small" title={l.hash}>
                {l.hash.slice(0, 12)}…
              </td>
            </tr>
          ))}
          {day && day.items.length === 0 ? (
            <tr>
              <td colSpan={8} className="empty">
                {t('tellerJournal.empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {day && day.total > day.items.length ? (
        <p className="muted">
          {t('tellerJournal.more', { shown: day.items.length, total: day.total })}{' '}
          <button type="button" onClick={() => void load(date, tellerId, day)}>
            {t('common.loadMore')}
          </button>
        </p>
      ) : null}
    </section>
  );
}

export function TellerJournalScreen() {
  return <JournalScreenBody own={false} />;
}

export function OwnJournalScreen() {
  return <JournalScreenBody own />;
}
