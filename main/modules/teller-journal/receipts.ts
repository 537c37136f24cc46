import QRCode from 'qrcode';
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import type { ReceiptDto } from '../../../shared/contract';
import { formatMoney, type MoneyCurrency } from '../../../shared/money';
import { maskAccount, type ReceiptContent } from './rules';
import { RECEIPT_LOCALE, RECEIPT_TEXTS, type ReceiptLanguage } from './templates';

// Receipt rendering: the words in the customer's language, the QR code, the 80 mm PDF slip.

export interface ReceiptContext {
  bankName: string;
  timeZone: string;
  language: ReceiptLanguage;
  /** Prints made before this rendering; above zero makes this one a DUPLICATE. */
  printsBefore: number;
  payload: string;
}

function formatAt(at: Date, language: ReceiptLanguage, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' };
  try {
    return new Intl.DateTimeFormat(RECEIPT_LOCALE[language], { ...options, timeZone }).format(at);
  } catch {
    // A time zone the runtime does not know: UTC, said so, rather than a wrong local time.
    return `${new Intl.DateTimeFormat(RECEIPT_LOCALE[language], { ...options, timeZone: 'UTC' }).format(at)} UTC`;
  }
}

function formatAmount(c: ReceiptContent, language: ReceiptLanguage): string {
  if (c.amount === null || c.currency === null) return '';
  return formatMoney(c.amount, c.currency as MoneyCurrency, RECEIPT_LOCALE[language]);
}

export async function renderReceipt(
  c: ReceiptContent,
  ctx: ReceiptContext,
  prints: number,
): Promise<ReceiptDto> {
  const t = RECEIPT_TEXTS[ctx.language];
  const duplicate = ctx.printsBefore > 0;
  const lines: { label: string; value: string }[] = [];
  if (c.tillId) {
    const till = [c.branch, c.tillCode].filter(Boolean).join(' · ');
    lines.push({ label: t.branchTill, value: till || c.tillId });
  }
  lines.push(
    { label: t.teller, value: c.teller },
    { label: t.dateTime, value: formatAt(c.at, ctx.language, ctx.timeZone) },
    { label: t.customer, value: `${c.customerName} (${c.customerPublicId})` },
    { label: t.account, value: maskAccount(c.accountPublicId) },
  );
  if (c.method) lines.push({ label: t.method, value: t.methods[c.method] ?? c.method });
  lines.push({ label: t.amount, value: formatAmount(c, ctx.language) });
  if (c.reference) lines.push({ label: t.reference, value: c.reference });
  if (c.transactionId) lines.push({ label: t.transaction, value: c.transactionId });
  lines.push({ label: t.receiptNumber, value: c.receiptId });
  return {
    id: c.receiptId,
    kind: c.kind,
    language: ctx.language,
    at: c.at.toISOString(),
    amount: c.amount?.toString() ?? null,
    currency: c.currency,
    prints,
    duplicate,
    title: t.title[c.kind] ?? c.kind,
    bankName: ctx.bankName,
    lines,
    copyLabel: duplicate ? t.duplicate : t.original,
    verifyNote: t.verifyNote,
    qrPayload: ctx.payload,
    qrSvg: await QRCode.toString(ctx.payload, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
  };
}

export function qrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', margin: 2, scale: 4, errorCorrectionLevel: 'M' });
}

// ---- PDF: an 80 mm slip, as long as its content ----

const MM = 72 / 25.4;
const WIDTH = 80 * MM;
const MARGIN = 5 * MM;
const SIZE = 8;
const LEADING = 10.5;
const QR_SIZE = 34 * MM;

/** The standard PDF fonts write WinAnsi: the thin spaces Intl puts in dates and amounts are not in it. */
function winAnsi(text: string): string {
  return text.replace(/[\u202f\u2009\u2007]/g, ' ');
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of winAnsi(text).split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width) {
      current = next;
      continue;
    }
    if (current) out.push(current);
    // A word wider than the slip (an id): cut it where it must be cut.
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut -= 1;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current) out.push(current);
  return out;
}

interface PdfLine {
  text: string;
  bold?: boolean;
  size?: number;
  center?: boolean;
}

function slipLines(r: ReceiptDto, font: PDFFont, bold: PDFFont): PdfLine[] {
  const inner = WIDTH - 2 * MARGIN;
  const lines: PdfLine[] = [
    ...wrap(r.bankName, bold, 10, inner).map((text) => ({ text, bold: true, size: 10, center: true })),
    ...wrap(r.title, bold, 9, inner).map((text) => ({ text, bold: true, size: 9, center: true })),
    { text: r.copyLabel, bold: r.duplicate, size: r.duplicate ? 11 : SIZE, center: true },
    { text: '' },
  ];
  for (const l of r.lines) {
    lines.push({ text: l.label, bold: true });
    for (const text of wrap(l.value, font, SIZE, inner)) lines.push({ text });
  }
  lines.push({ text: '' });
  return lines;
}

export async function receiptPdf(r: ReceiptDto): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${r.title} ${r.id}`);
  doc.setProducer('teller-backoffice');
  // Dated by the transaction, not by the clock: the PDF of a print is the same whenever it is made.
  doc.setCreationDate(new Date(r.at));
  doc.setModificationDate(new Date(r.at));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const lines = slipLines(r, font, bold);
  const note = wrap(r.verifyNote, font, 7, WIDTH - 2 * MARGIN);
  const height = 2 * MARGIN + lines.length * LEADING + QR_SIZE + 6 + note.length * 9;
  const page = doc.addPage([WIDTH, height]);
  let y = height - MARGIN;
  for (const l of lines) {
    const f = l.bold ? bold : font;
    const size = l.size ?? SIZE;
    const text = winAnsi(l.text);
    const x = l.center ? (WIDTH - f.widthOfTextAtSize(text, size)) / 2 : MARGIN;
    y -= LEADING;
    if (text) page.drawText(text, { x, y, size, font: f, color: rgb(0, 0, 0) });
  }
  const png = await doc.embedPng(await qrPng(r.qrPayload));
  y -= QR_SIZE;
  page.drawImage(png, { x: (WIDTH - QR_SIZE) / 2, y, width: QR_SIZE, height: QR_SIZE });
  y -= 4;
  for (const text of note) {
    y -= 9;
    page.drawText(text, { x: MARGIN, y, size: 7, font, color: rgb(0.2, 0.2, 0.2) });
  }
  // Plain objects (no object streams): older slip printers' PDF readers cannot open the others.
  return doc.save({ useObjectStreams: false });
}
