import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceiptDto, ReceiptLanguageValue } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../../api';
import { ErrorMessage, Modal } from '../ui';
import { useCommand } from '../useCommand';
import { useToasts } from '../../stores/toasts';
import { ReceiptView } from './ReceiptView';
import { downloadPdf } from '../download';
import { printAlone } from './print';
import './receipts.css';

/** The teller's language when the customer has none of their own (receipts exist in en and es). */
function fallbackLanguage(language: string): ReceiptLanguageValue {
  return language.startsWith('es') ? 'es' : 'en';
}

/**
 * The receipts of one deposit or withdrawal: a button that opens their preview, with Print and PDF
 * for each step's receipt. Every print or PDF is counted by the bank; all but the first are
 * DUPLICATE (and a line in the printing user's journal).
 */
export function ReceiptActions(props: { kind: 'deposit' | 'withdrawal'; movementId: string }) {
  const { t, i18n } = useTranslation();
  const push = useToasts((s) => s.push);
  const [open, setOpen] = useState(false);
  const [receipts, setReceipts] = useState<ReceiptDto[] | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const print = useCommand('tellerJournal.receipts.print');
  const language = fallbackLanguage(i18n.language);

  const load = useCallback(async () => {
    setError(null);
    try {
      const r = await call('tellerJournal.receipts.list', {
        kind: props.kind,
        movementId: props.movementId,
        fallbackLanguage: language,
      });
      setReceipts(r.items);
    } catch (err) {
      setError(errorPayload(err));
    }
  }, [props.kind, props.movementId, language]);

  async function output(receipt: ReceiptDto, kind: 'print' | 'pdf') {
    const r = await print.run({ receiptId: receipt.id, output: kind, fallbackLanguage: language });
    if (!r) return;
    if (kind === 'pdf') {
      try {
        const pdf = await call('tellerJournal.receipts.pdf', {
          receiptId: receipt.id,
          printNumber: r.printNumber,
        });
        downloadPdf(pdf.fileName, pdf.pdfBase64);
        push('success', t('receipts.pdfSaved', { file: pdf.fileName }));
      } catch (err) {
        setError(errorPayload(err));
      }
    } else {
      await printAlone(<ReceiptView receipt={r.receipt} />);
    }
    await load();
  }

  return (
    <>
      <button
        type="button"
        data-testid="receipt-open"
        onClick={() => {
          setOpen(true);
          void load();
        }}
      >
        {t('receipts.open')}
      </button>
      {open ? (
        <Modal title={t('receipts.title')} onClose={() => setOpen(false)}>
          {/* Opened from table cells that do not wrap: the receipt's text must. */}
          <div className="receipt-dialog">
            <ErrorMessage error={error ?? print.error} />
            {receipts === null ? <p>{t('common.working')}</p> : null}
            {receipts?.length === 0 ? <p>{t('receipts.none')}</p> : null}
            <div className="receipt-previews">
              {receipts?.map((r) => (
                <section
                  key={r.id}
                  className="receipt-preview"
                  aria-label={r.title}
                  data-testid="receipt-preview"
                >
                  <p className="small muted">
                    {r.prints === 0
                      ? t('receipts.notPrinted')
                      : t('receipts.printedTimes', { count: r.prints })}
                  </p>
                  <ReceiptView receipt={r} />
                  <div className="buttons">
                    <button
                      type="button"
                      className="primary"
                      disabled={print.busy}
                      data-testid="receipt-print"
                      onClick={() => void output(r, 'print')}
                    >
                      {r.prints > 0 ? t('receipts.reprint') : t('receipts.print')}
                    </button>
                    <button
                      type="button"
                      disabled={print.busy}
                      data-testid="receipt-pdf"
                      onClick={() => void output(r, 'pdf')}
                    >
                      {t('receipts.pdf')}
                    </button>
                  </div>
                </section>
              ))}
            </div>
          </div>
        </Modal>
      ) : null}
    </>
  );
}
