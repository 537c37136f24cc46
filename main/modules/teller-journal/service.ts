import { createHash, randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { inTransaction, type Db, type Trx } from '../../db';
import { AppError } from '../../../shared/errors';
import { minorToDecimal, type MoneyCurrency } from '../../../shared/money';
import type {
  JournalDayDto,
  JournalLineDto,
  JournalVerificationDto,
  ReceiptDto,
  ReceiptVerificationDto,
} from '../../../shared/contract';
import { describeTarget, type CommandScope } from '../../ipc/context';
import { neutralizeCell } from '../../ledger/service';
import type { CounterHooks, CounterStep } from '../deposits/counter';
import type { BankService } from '../bank';
import * as repo from './repo';
import {
  assertWritable,
  canonicalize,
  decodePayload,
  encodePayload,
  firstAnchorProblem,
  firstChainProblem,
  isReceiptKind,
  lineDigestInput,
  payloadMismatches,
  receiptContent,
  receiptDigestInput,
  receiptPayload,
  RECEIPT_FAMILY,
  type JournalLineContent,
  type ReceiptContent,
} from './rules';
import { receiptPdf, renderReceipt } from './receipts';
import { RECEIPT_LANGUAGES, type ReceiptLanguage } from './templates';

// The electronic journal of teller work (append-only, hash-chained) and receipts (issue 6).

/** One line of a teller's electronic journal: a transaction, an override, a cash count, a till event. */
export interface JournalEntryInput {
  /** e.g. 'deposit', 'withdrawal-confirm', 'till-open', 'vault-transfer', 'cash-count', 'override'. */
  kind: string;
  /** The teller whose journal this line belongs to. */
  tellerId: string;
  tillId: string | null;
  businessDate: string;
  amount: bigint | null;
  currency: string | null;
  /** The deposit, withdrawal, transfer, count or override this line is about. */
  subjectId: string | null;
  ledgerTransactionId: string | null;
  workstation: string;
  /**
   * What else the line records: strings, safe integers, booleans, null, arrays and objects of them;
   * bigint (money) and Date are stored as minor-unit strings and ISO text. Fractional numbers and
   * keys that look like secrets (password, secret, token, pin) are refused with an error.
   */
  details: Record<string, unknown>;
  at: Date;
}

export type TellerJournalService = ReturnType<typeof createTellerJournalService>;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function lineHash(prevHash: string, line: JournalLineContent): string {
  return sha256(lineDigestInput(prevHash, line));
}

export function rowToContent(row: repo.JournalRow): JournalLineContent {
  return {
    id: row.id,
    tellerId: row.teller_id,
    businessDate: row.business_date,
    sequence: Number(row.sequence),
    kind: row.kind,
    tillId: row.till_id,
    amount: row.amount === null ? null : BigInt(row.amount),
    currency: row.currency,
    subjectId: row.subject_id,
    ledgerTransactionId: row.ledger_transaction_id,
    workstation: row.workstation,
    details: row.details,
    at: row.occurred_at,
  };
}

/**
 * The last head this process committed for each teller: (day, sequence, hash). Only a guess,
 * checked by insertLineAfterKnownHead in the database; a wrong guess (the same teller wrote from
 * another workstation since) costs the command a second run. Taken out while a line built on it is
 * in flight, put back at commit. Shared by every service instance in the process, which is harmless
 * for the same reason.
 */
const lastHeads = new Map<string, { businessDate: string; sequence: number; hash: string }>();

/** Appends one line in the caller's transaction; returns its id, place in the chain and hash. */
export async function appendLine(
  trx: Trx,
  entry: JournalEntryInput,
): Promise<{ id: string; sequence: number; hash: string }> {
  assertWritable(entry);
  // Stored as it is hashed: what the database hands back must canonicalize to the same text.
  const details = canonicalize(entry.details) as Record<string, unknown>;
  const id = randomUUID();
  const row = (sequence: number, prevHash: string): repo.JournalRow => {
    const hash = lineHash(prevHash, { ...entry, id, sequence, details });
    return {
      id,
      teller_id: entry.tellerId,
      business_date: entry.businessDate,
      sequence: String(sequence),
      kind: entry.kind,
      till_id: entry.tillId,
      amount: entry.amount === null ? null : entry.amount.toString(),
      currency: entry.currency,
      subject_id: entry.subjectId,
      ledger_transaction_id: entry.ledgerTransactionId,
      workstation: entry.workstation,
      details,
      occurred_at: entry.at,
      prev_hash: prevHash,
      hash,
    };
  };
  // One statement, not waited for, when this process wrote the teller's last line today (a stale
  // guess refuses the transaction, which runs again without it); two otherwise.
  const known = lastHeads.get(entry.tellerId);
  let line: repo.JournalRow;
  if (known && known.businessDate === entry.businessDate) {
    line = row(known.sequence + 1, known.hash);
    lastHeads.delete(entry.tellerId);
    await repo.insertLineAfterKnownHead(trx, line);
  } else {
    const { sequence, prevHash } = await repo.advanceHead(trx, entry.tellerId, entry.businessDate);
    line = row(sequence, prevHash);
    await repo.insertLineAndHead(trx, line);
  }
  const sequence = Number(line.sequence);
  const head = { businessDate: entry.businessDate, sequence, hash: line.hash };
  // Only a committed line is a head worth guessing from.
  trx.executionPromise.then(
    () => lastHeads.set(entry.tellerId, head),
    () => undefined,
  );
  return { id, sequence, hash: line.hash };
}

/** A line as the journal screen shows it. */
function lineDto(row: repo.JournalRow, tellerUsername: string): JournalLineDto {
  const account = row.details.accountPublicId;
  return {
    id: row.id,
    tellerId: row.teller_id,
    tellerUsername,
    businessDate: row.business_date,
    sequence: Number(row.sequence),
    kind: row.kind,
    tillId: row.till_id,
    amount: row.amount,
    currency: row.currency,
    subjectId: row.subject_id,
    ledgerTransactionId: row.ledger_transaction_id,
    accountPublicId: typeof account === 'string' ? account : null,
    workstation: row.workstation,
    at: row.occurred_at.toISOString(),
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** What the journal records of a counter step: never the override's password. */
export function counterDetails(
  step: CounterStep,
  holder: { public_id: string; full_name: string } | undefined,
  tellerUsername: string | null,
  till?: { till_code: string; branch_code: string; branch_name: string },
): Record<string, unknown> {
  const c = step.counter;
  const override = c?.override && {
    overrideId: c.override.overrideId,
    username: c.override.username,
    reason: c.override.reason,
  };
  return {
    step: step.kind,
    customerId: step.holderId,
    customerPublicId: holder?.public_id ?? '',
    customerName: holder?.full_name ?? '',
    accountId: step.accountId,
    accountPublicId: step.accountPublicId,
    method: step.method,
    reference: step.reference,
    tellerUsername: tellerUsername ?? '',
    branch: till ? `${till.branch_code} ${till.branch_name}` : undefined,
    tillCode: till?.till_code,
    denominations: c?.denominations,
    override,
    conductor: c?.conductor,
  };
}

/**
 * Records the line just written in the command's audit record: the audit log is chained and
 * sealed on its own, so a journal cut short and re-headed afterwards no longer matches it.
 */
function anchorInAudit(
  scope: CommandScope,
  entry: Pick<JournalEntryInput, 'tellerId' | 'businessDate'>,
  line: { id: string; sequence: number; hash: string },
): void {
  scope.target.metadata.journal = {
    tellerId: entry.tellerId,
    businessDate: entry.businessDate,
    sequence: line.sequence,
    line: line.id,
    digest: line.hash,
  };
}

/** Appends inside a command and anchors the line in the command's audit record. */
export async function appendInCommand(
  scope: CommandScope,
  entry: JournalEntryInput,
): Promise<{ id: string; sequence: number; hash: string }> {
  const line = await appendLine(scope.trx, entry);
  anchorInAudit(scope, entry, line);
  return line;
}

export interface TellerJournalDeps {
  bank: Pick<BankService, 'profile'>;
}

const CSV_MAX = 50_000;

export function createTellerJournalService(db: Db, deps: TellerJournalDeps) {
  async function bankProfile(q: Db | Trx) {
    const bank = await deps.bank.profile(q);
    if (!bank) throw new AppError('SETUP_REQUIRED');
    return bank;
  }

  async function withUsernames(q: Db | Trx, rows: repo.JournalRow[]): Promise<JournalLineDto[]> {
    const names = await repo.usernames(q, [...new Set(rows.map((r) => r.teller_id))]);
    return rows.map((r) => lineDto(r, names.get(r.teller_id)?.username ?? r.teller_id));
  }

  async function day(f: repo.DayFilter): Promise<JournalDayDto> {
    return inTransaction(
      db,
      async (trx) => {
        const rows = await repo.listDay(trx, f);
        const total = await repo.countDay(trx, f);
        const tellerIds = await repo.tellersOfDay(trx, f.businessDate);
        const names = await repo.usernames(trx, tellerIds);
        return {
          businessDate: f.businessDate,
          items: await withUsernames(trx, rows),
          total,
          tellers: tellerIds.map((id) => ({
            id,
            username: names.get(id)?.username ?? id,
            fullName: names.get(id)?.fullName ?? '',
          })),
        };
      },
      { isolation: 'repeatable read' },
    );
  }

  /** The receipt of a journal line: its content, its digest chained to the line, its QR payload. */
  function receiptOf(row: repo.JournalRow): { content: ReceiptContent; hash: string; payload: string } {
    const content = receiptContent(rowToContent(row));
    const hash = sha256(receiptDigestInput(row.hash, content));
    return { content, hash, payload: encodePayload(receiptPayload(content, hash)) };
  }

  async function languageFor(q: Db | Trx, row: repo.JournalRow, fallback?: ReceiptLanguage) {
    const customerId = row.details.customerId;
    const own = typeof customerId === 'string' ? await repo.customerLanguage(q, customerId) : null;
    const chosen = own ?? fallback ?? 'en';
    return (RECEIPT_LANGUAGES as readonly string[]).includes(chosen) ? (chosen as ReceiptLanguage) : 'en';
  }

  const pdfFileName = (row: repo.JournalRow, printNumber: number) =>
    `receipt-${row.kind}-${row.id.slice(0, 8)}${printNumber > 1 ? `-copy${printNumber}` : ''}.pdf`;

  async function render(
    q: Db | Trx,
    row: repo.JournalRow,
    prints: number,
    printsBefore: number,
    fallback?: ReceiptLanguage,
    /** A recorded print's own language, which wins over the customer's current one. */
    printed?: ReceiptLanguage,
  ): Promise<ReceiptDto> {
    const bank = await bankProfile(q);
    const { content, payload } = receiptOf(row);
    const language = printed ?? (await languageFor(q, row, fallback));
    return renderReceipt(
      content,
      { bankName: bank.name, timeZone: bank.time_zone, language, printsBefore, payload },
      prints,
    );
  }

  async function verifyTeller(trx: Trx, tellerId: string, businessDate: string) {
    const rows = await repo.linesOfDay(trx, tellerId, businessDate);
    const head = await repo.headOfDay(trx, tellerId, businessDate);
    const lines = rows.map((r) => ({
      id: r.id,
      sequence: Number(r.sequence),
      prevHash: r.prev_hash,
      hash: r.hash,
      recomputed: lineHash(r.prev_hash, rowToContent(r)),
    }));
    const problem =
      firstChainProblem(lines, head) ??
      firstAnchorProblem(lines, await repo.anchorsOfDay(trx, tellerId, businessDate));
    return { tellerId, linesChecked: rows.length, intact: problem === null, problem };
  }

  return {
    append: appendLine,
    /** Prefer this inside a command: the line is also anchored in the command's audit record. */
    appendInCommand,

    /** The journal's part at the counter: one line per deposit and withdrawal step a user made. */
    counterHooks: {
      async after(scope, step) {
        // Back-office automation (a process concluding) is no teller's work.
        if (scope.actor.type !== 'User' || !scope.actor.userId) return;
        const holder = { public_id: step.holderPublicId, full_name: step.holderName };
        const tillId = step.counter?.tillId ?? null;
        const till = tillId ? await repo.tillOf(scope.trx, tillId) : undefined;
        const entry: JournalEntryInput = {
          kind: step.kind,
          tellerId: scope.actor.userId,
          tillId,
          businessDate: step.businessDate,
          amount: step.amount,
          currency: 'USD',
          subjectId: step.movementId,
          ledgerTransactionId: step.ledgerTransactionId,
          workstation: scope.workstation,
          details: counterDetails(step, holder, scope.actor.username, till),
          at: scope.clock.now(),
        };
        await appendInCommand(scope, entry);
      },
    } satisfies CounterHooks,

    day,

    /** A teller's own journal, today only: what they did, for their own end-of-day check. */
    async ownDay(tellerId: string, page: { offset: number; limit: number }): Promise<JournalDayDto> {
      const bank = await bankProfile(db);
      const result = await day({ businessDate: bank.business_date, tellerId, ...page });
      return { ...result, tellers: result.tellers.filter((t) => t.id === tellerId) };
    },

    /** Checks one teller's day, or every teller's on that date, in one snapshot. */
    async verify(f: { businessDate: string; tellerId?: string }): Promise<JournalVerificationDto> {
      return inTransaction(
        db,
        async (trx) => {
          const tellerIds = f.tellerId ? [f.tellerId] : await repo.tellersOfDay(trx, f.businessDate);
          const names = await repo.usernames(trx, tellerIds);
          const tellers = [];
          for (const id of tellerIds) {
            const result = await verifyTeller(trx, id, f.businessDate);
            tellers.push({ ...result, tellerUsername: names.get(id)?.username ?? id });
          }
          return { businessDate: f.businessDate, intact: tellers.every((t) => t.intact), tellers };
        },
        { isolation: 'repeatable read' },
      );
    },

    async csv(f: { businessDate: string; tellerId?: string }) {
      const count = await repo.countDay(db, f);
      if (count > CSV_MAX)
        throw new AppError('PAYLOAD_TOO_LARGE', { entries: count, max: CSV_MAX }, 'errors.EXPORT_TOO_LARGE');
      const lines = await withUsernames(db, await repo.listDay(db, { ...f, offset: 0, limit: CSV_MAX }));
      const money = (l: JournalLineDto) =>
        l.amount === null || l.currency === null ? '' : minorToDecimal(l.amount, l.currency as MoneyCurrency);
      const csv = stringify(
        lines.map((l) => [
          l.businessDate,
          neutralizeCell(l.tellerUsername),
          l.sequence,
          l.at,
          l.kind,
          money(l),
          l.currency ?? '',
          neutralizeCell(l.accountPublicId ?? ''),
          l.subjectId ?? '',
          l.ledgerTransactionId ?? '',
          l.tillId ?? '',
          neutralizeCell(l.workstation),
          l.prevHash,
          l.hash,
        ]),
        {
          header: true,
          columns: [
            'business_date',
            'teller',
            'sequence',
            'at',
            'kind',
            'amount',
            'currency',
            'account',
            'subject',
            'ledger_transaction',
            'till',
            'workstation',
            'prev_hash',
            'hash',
          ],
        },
      );
      const who = f.tellerId ? `-${lines[0]?.tellerUsername ?? f.tellerId}` : '';
      return { fileName: `teller-journal-${f.businessDate}${who}.csv`, csv, rows: lines.length };
    },

    receipts: {
      async list(input: {
        kind: 'deposit' | 'withdrawal';
        movementId: string;
        fallbackLanguage?: ReceiptLanguage;
      }): Promise<{ items: ReceiptDto[] }> {
        const rows = await repo.linesForSubject(db, input.movementId, RECEIPT_FAMILY[input.kind]);
        const items = [];
        for (const row of rows) {
          const prints = await repo.printCount(db, row.id);
          items.push(await render(db, row, prints, prints, input.fallbackLanguage));
        }
        return { items };
      },

      /** Numbers the print; a reprint is a DUPLICATE and a line of the printing user's journal. */
      async print(
        scope: CommandScope,
        input: { receiptId: string; output: 'print' | 'pdf'; fallbackLanguage?: ReceiptLanguage },
      ) {
        const trx = scope.trx;
        const row = await repo.findLine(trx, input.receiptId);
        if (!row) throw new AppError('NOT_FOUND', { entity: 'receipt' });
        if (!isReceiptKind(row.kind)) throw new AppError('RECEIPT_NOT_AVAILABLE', { kind: row.kind });
        const language = await languageFor(trx, row, input.fallbackLanguage);
        const at = scope.clock.now();
        const printNumber = await repo.recordPrint(trx, {
          id: randomUUID(),
          journalEntryId: row.id,
          output: input.output,
          language,
          by: scope.actor.userId!,
          at,
        });
        describeTarget(scope, 'receipt', row.id, { printNumber, output: input.output, kind: row.kind });
        if (printNumber > 1) {
          const bank = await bankProfile(trx);
          const entry: JournalEntryInput = {
            kind: 'receipt-reprint',
            tellerId: scope.actor.userId!,
            tillId: null,
            businessDate: bank.business_date,
            amount: null,
            currency: null,
            subjectId: row.id,
            ledgerTransactionId: null,
            workstation: scope.workstation,
            details: {
              receiptKind: row.kind,
              printNumber,
              output: input.output,
              accountPublicId: row.details.accountPublicId,
              tellerUsername: scope.actor.username ?? '',
            },
            at,
          };
          await appendInCommand(scope, entry);
        }
        const receipt = await render(trx, row, printNumber, printNumber - 1, undefined, language);
        return { printNumber, receipt, fileName: pdfFileName(row, printNumber) };
      },

      async pdf(receiptId: string, printNumber: number) {
        const row = await repo.findLine(db, receiptId);
        if (!row || !isReceiptKind(row.kind)) throw new AppError('NOT_FOUND', { entity: 'receipt' });
        const printed = await repo.findPrint(db, receiptId, printNumber);
        if (!printed) throw new AppError('NOT_FOUND', { entity: 'receipt_print' });
        const language = printed.language as ReceiptLanguage;
        const receipt = await render(db, row, printNumber, printNumber - 1, undefined, language);
        const pdf = await receiptPdf(receipt);
        return { fileName: pdfFileName(row, printNumber), pdfBase64: Buffer.from(pdf).toString('base64') };
      },

      /** What a scanned code says, checked against the journal: the line and the receipt's digest. */
      async verify(payloadText: string): Promise<ReceiptVerificationDto> {
        const scanned = decodePayload(payloadText);
        if (!scanned) return { verified: false, reason: 'unreadable', mismatches: [], journal: null };
        const row = await repo.findLine(db, scanned.receiptId);
        if (!row || !isReceiptKind(row.kind))
          return { verified: false, reason: 'unknown', mismatches: [], journal: null };
        const { content, hash } = receiptOf(row);
        const journal = {
          receiptId: row.id,
          kind: row.kind,
          amount: row.amount,
          currency: row.currency,
          accountPublicId: content.accountPublicId,
          customerPublicId: content.customerPublicId,
          customerName: content.customerName,
          at: content.at.toISOString(),
          businessDate: content.businessDate,
          teller: content.teller,
          transactionId: content.transactionId,
          sequence: Number(row.sequence),
          lineHash: row.hash,
        };
        // A line whose own digest no longer holds vouches for nothing, whatever the code says.
        if (lineHash(row.prev_hash, rowToContent(row)) !== row.hash)
          return { verified: false, reason: 'journalAltered', mismatches: [], journal };
        const mismatches = payloadMismatches(scanned, receiptPayload(content, hash));
        if (mismatches.length > 0) return { verified: false, reason: 'mismatch', mismatches, journal };
        return { verified: true, reason: 'verified', mismatches: [], journal };
      },
    },
  };
}
