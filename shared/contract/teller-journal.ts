import { z } from 'zod';
import { command, isoDate, query, text, uuid } from './procedure';

// The electronic journal of teller work (append-only, hash-chained) and receipts (issue 6).

export const receiptLanguage = z.enum(['en', 'es']);
export type ReceiptLanguageValue = z.infer<typeof receiptLanguage>;

export const journalLineDto = z.object({
  id: z.string(),
  tellerId: z.string(),
  tellerUsername: z.string(),
  businessDate: z.string(),
  sequence: z.number().int(),
  kind: z.string(),
  tillId: z.string().nullable(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  subjectId: z.string().nullable(),
  ledgerTransactionId: z.string().nullable(),
  accountPublicId: z.string().nullable(),
  workstation: z.string(),
  at: z.string(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type JournalLineDto = z.infer<typeof journalLineDto>;

export const journalTellerDto = z.object({ id: z.string(), username: z.string(), fullName: z.string() });

export const journalDayDto = z.object({
  businessDate: z.string(),
  items: z.array(journalLineDto),
  total: z.number().int(),
  /** Every teller with a journal on that day, for the filter. */
  tellers: z.array(journalTellerDto),
});
export type JournalDayDto = z.infer<typeof journalDayDto>;

export const chainProblemDto = z.object({
  kind: z.enum(['lineAltered', 'chainBroken', 'sequenceGap', 'headMismatch', 'anchorMismatch']),
  sequence: z.number().int(),
  lineId: z.string().nullable(),
});

export const journalVerificationDto = z.object({
  businessDate: z.string(),
  intact: z.boolean(),
  tellers: z.array(
    z.object({
      tellerId: z.string(),
      tellerUsername: z.string(),
      linesChecked: z.number().int(),
      intact: z.boolean(),
      /** The first line a person should look at; null for an intact day. */
      problem: chainProblemDto.nullable(),
    }),
  ),
});
export type JournalVerificationDto = z.infer<typeof journalVerificationDto>;

/** A receipt as printed: already in the customer's language, ready to show, print or save. */
export const receiptDto = z.object({
  id: z.string(),
  kind: z.string(),
  language: receiptLanguage,
  at: z.string(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  /** Prints and PDFs made so far; the next one is a DUPLICATE when this is above 0. */
  prints: z.number().int(),
  duplicate: z.boolean(),
  title: z.string(),
  bankName: z.string(),
  lines: z.array(z.object({ label: z.string(), value: z.string() })),
  copyLabel: z.string(),
  verifyNote: z.string(),
  qrPayload: z.string(),
  qrSvg: z.string(),
});
export type ReceiptDto = z.infer<typeof receiptDto>;

export const receiptVerificationDto = z.object({
  verified: z.boolean(),
  /** Why not: the code is unreadable, names no receipt we issued, or differs from the journal. */
  reason: z.enum(['verified', 'unreadable', 'unknown', 'mismatch', 'journalAltered']),
  mismatches: z.array(z.string()),
  /** What the journal says the receipt states (null when the code names no journal line). */
  journal: z
    .object({
      receiptId: z.string(),
      kind: z.string(),
      amount: z.string().nullable(),
      currency: z.string().nullable(),
      accountPublicId: z.string(),
      customerPublicId: z.string(),
      customerName: z.string(),
      at: z.string(),
      businessDate: z.string(),
      teller: z.string(),
      transactionId: z.string().nullable(),
      sequence: z.number().int(),
      lineHash: z.string(),
    })
    .nullable(),
});
export type ReceiptVerificationDto = z.infer<typeof receiptVerificationDto>;

const page = {
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(200),
};
const day = { businessDate: isoDate, tellerId: uuid.optional() };

export const tellerJournalProcedures = {
  'tellerJournal.day': query({
    access: 'journal.read',
    input: z.strictObject({ ...day, ...page }),
    output: journalDayDto,
  }),
  /** A teller's own journal for the bank's current business day (no other day, no other teller). */
  'tellerJournal.ownDay': query({
    access: 'deposit.operate',
    input: z.strictObject({ ...page }),
    output: journalDayDto,
  }),
  'tellerJournal.verify': query({
    access: 'journal.read',
    input: z.strictObject(day),
    output: journalVerificationDto,
  }),
  'tellerJournal.csv': query({
    access: 'journal.read',
    input: z.strictObject(day),
    output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
  /** The receipts of a deposit or a withdrawal: one per step (a withdrawal's slip, payout, revert). */
  'tellerJournal.receipts.list': query({
    access: 'deposit.read',
    input: z.strictObject({
      kind: z.enum(['deposit', 'withdrawal']),
      movementId: uuid,
      /** When the customer has no language of their own: the teller's. */
      fallbackLanguage: receiptLanguage.optional(),
    }),
    output: z.object({ items: z.array(receiptDto) }),
  }),
  /** Counts a print or PDF; every print after the first is a DUPLICATE and a journal line. */
  'tellerJournal.receipts.print': command({
    access: 'deposit.read',
    input: {
      receiptId: uuid,
      output: z.enum(['print', 'pdf']),
      fallbackLanguage: receiptLanguage.optional(),
    },
    output: z.object({
      printNumber: z.number().int(),
      receipt: receiptDto,
      /** The PDF's file name; its bytes come from tellerJournal.receipts.pdf for this print. */
      fileName: z.string(),
    }),
  }),
  /**
   * The PDF of a print already counted by tellerJournal.receipts.print, made again from the journal
   * line, the print's number and its language: the command log keeps the print, not its bytes.
   */
  'tellerJournal.receipts.pdf': query({
    access: 'deposit.read',
    input: z.strictObject({ receiptId: uuid, printNumber: z.number().int().min(1).max(1_000_000) }),
    output: z.object({ fileName: z.string(), pdfBase64: z.string() }),
  }),
  'tellerJournal.receipts.verify': query({
    access: 'deposit.read',
    input: z.strictObject({ payload: text(2_000) }),
    output: receiptVerificationDto,
  }),
} as const;
