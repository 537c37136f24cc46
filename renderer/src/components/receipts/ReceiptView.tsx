import type { ReceiptDto } from '@shared/contract';

/** A receipt as the customer gets it: already in their language, laid out as an 80 mm slip. */
export function ReceiptView({ receipt }: { receipt: ReceiptDto }) {
  const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(receipt.qrSvg)}`;
  return (
    <article
      className="receipt"
      lang={receipt.language}
      data-testid="receipt"
      data-receipt={receipt.id}
      data-duplicate={receipt.duplicate ? 'true' : 'false'}
    >
      <div className="receipt-head">
        <div className="receipt-bank">{receipt.bankName}</div>
        <div className="receipt-title">{receipt.title}</div>
        <div
          className={receipt.duplicate ? 'receipt-copy duplicate' : 'receipt-copy'}
          data-testid="receipt-copy"
        >
          {receipt.copyLabel}
        </div>
      </div>
      <dl>
        {receipt.lines.map((l) => (
          <div key={l.label}>
            <dt>{l.label}</dt>
            <dd>{l.value}</dd>
          </div>
        ))}
      </dl>
      <img className="receipt-qr" src={qr} alt={receipt.qrPayload} data-payload={receipt.qrPayload} />
      <p className="receipt-note">{receipt.verifyNote}</p>
    </article>
  );
}
