import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { inTransaction, type Db } from '../../main/db';
import type { JournalEntryInput } from '../../main/modules/teller-journal';
import * as journalRepo from '../../main/modules/teller-journal/repo';
import { canonicalize } from '../../main/modules/teller-journal/rules';
import { lineHash } from '../../main/modules/teller-journal/service';
import { insertProspect } from '../fixtures/customers';
import { ADMIN, cmd, dbLabel, onServer, signIn, startTestBank, userWithRoles } from './harness';

/** The words drawn on a PDF's pages: its streams inflated, the hex strings of text operators decoded. */
function pdfText(bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  const words: string[] = [];
  // pdf-lib ends a stream with "\nendstream": a compressed stream's own last byte may be a "\r",
  // which an optional "\r?" before the newline would take away from the data.
  const streams = /stream\r?\n([\s\S]*?)\nendstream/g;
  for (let m = streams.exec(raw); m; m = streams.exec(raw)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1');
    } catch {
      content = m[1]!;
    }
    for (const t of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
      words.push(Buffer.from(t[1]!, 'hex').toString('latin1'));
  }
  return words.join('\n');
}

/** Reads a QR code the way a scanner at the counter would: from the pixels. */
async function scan(payload: string): Promise<string | undefined> {
  const png = PNG.sync.read(await QRCode.toBuffer(payload, { type: 'png', margin: 2, scale: 4 }));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

/** Changes what the append-only trigger forbids: the tamperer's view of the database. */
async function tamper(db: Db, ...statements: (string | [string, unknown[]])[]) {
  await inTransaction(db, async (trx) => {
    await trx.raw('alter table teller_journal disable trigger teller_journal_append_only');
    for (const s of statements) {
      const [sql, bindings] = typeof s === 'string' ? [s, []] : s;
      await trx.raw(sql, bindings as never);
    }
    await trx.raw('alter table teller_journal enable trigger teller_journal_append_only');
  });
}

describe(`teller journal and receipts (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const db = bank.services.database.knex;
  const journal = bank.services.tellerJournal;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: teller } = await userWithRoles(bank, admin, 'tina', ['teller']);
  const { client: office } = await userWithRoles(bank, admin, 'otto', ['back_office']);
  const { client: head } = await userWithRoles(bank, admin, 'hank', ['head_teller']);
  await admin.call('accounting.openFirstFiscalYear', { commandId: cmd(), startsOn: '2026-01-01' });
  await admin.call('governance.policies.set', {
    commandId: cmd(),
    processType: 'withdraw',
    currency: 'USD',
    tiers: [{ upTo: null, committeeId: null, threshold: null }],
  });
  const userId = async (username: string) =>
    (await db('staff_users').where({ username }).first<{ id: string }>('id')).id;
  const tinaId = await userId('tina');
  const ottoId = await userId('otto');

  async function openAccount(name = 'Dora Depositor') {
    const id = await insertProspect(db, { fullName: name });
    await db('customers').insert({ id, public_id: `C-${randomUUID().slice(0, 6)}`, status: 'active' });
    const account = await office.call('deposits.accounts.open', { commandId: cmd(), customerId: id });
    return { customerId: id, account };
  }
  const tick = () => bank.clock.advance(1000);
  const deposit = async (accountId: string, amount: string) => {
    tick();
    return teller.call('deposits.record', {
      commandId: cmd(),
      accountId,
      amount,
      method: 'wire',
      reference: 'INV-7',
    });
  };
  // Steps by different users sit in different chains: their order is their time.
  const lines = (subjectId: string) =>
    db('teller_journal').where({ subject_id: subjectId }).orderBy('occurred_at');

  function entry(over: Partial<JournalEntryInput> = {}): JournalEntryInput {
    return {
      kind: 'cash-count',
      tellerId: tinaId,
      tillId: null,
      businessDate: '2026-03-02',
      amount: 100n,
      currency: 'USD',
      subjectId: null,
      ledgerTransactionId: null,
      workstation: 'WS-TEST-1',
      details: { note: 'count' },
      at: bank.clock.now(),
      ...over,
    };
  }
  const appendDay = async (businessDate: string, n: number) => {
    for (let i = 0; i < n; i++) {
      tick();
      await inTransaction(db, (trx) => journal.append(trx, entry({ businessDate, amount: BigInt(100 + i) })));
    }
  };

  describe('journal lines at the counter', () => {
    it('journals a deposit and its revert, each by the user who made it', async () => {
      const { account } = await openAccount();
      const d = await deposit(account.id, '12345');
      const [line] = await lines(d.id);
      expect(line).toMatchObject({
        kind: 'deposit',
        teller_id: tinaId,
        business_date: '2026-03-02',
        amount: '12345',
        currency: 'USD',
        ledger_transaction_id: d.ledgerTransactionId,
        sequence: expect.any(String),
      });
      expect(line.details).toMatchObject({
        accountPublicId: account.publicId,
        customerName: 'Dora Depositor',
        method: 'wire',
        reference: 'INV-7',
        tellerUsername: 'tina',
      });
      tick();
      const r = await office.call('deposits.revert', { commandId: cmd(), id: d.id, reason: 'Wrong account' });
      const all = await lines(d.id);
      expect(all.map((l) => [l.kind, l.teller_id])).toEqual([
        ['deposit', tinaId],
        ['deposit-revert', ottoId],
      ]);
      expect(all[1]!.ledger_transaction_id).toBe(r.revertLedgerTransactionId);
    });

    it('journals each withdrawal step: initiate, confirm, revert; and a cancel', async () => {
      const { account } = await openAccount();
      await deposit(account.id, '50000');
      tick();
      const w = await teller.call('deposits.withdrawals.initiate', {
        commandId: cmd(),
        accountId: account.id,
        amount: '2000',
        method: 'wire',
      });
      tick();
      const confirmed = await teller.call('deposits.withdrawals.confirm', { commandId: cmd(), id: w.id });
      tick();
      await office.call('deposits.withdrawals.revert', { commandId: cmd(), id: w.id, reason: 'Duplicate' });
      const steps = await lines(w.id);
      expect(steps.map((l) => [l.kind, l.teller_id, l.amount])).toEqual([
        ['withdrawal-initiate', tinaId, '2000'],
        ['withdrawal-confirm', tinaId, '2000'],
        ['withdrawal-revert', ottoId, '2000'],
      ]);
      expect(steps[0]!.ledger_transaction_id).toBe(w.initiateTransactionId);
      expect(steps[1]!.ledger_transaction_id).toBe(confirmed.confirmTransactionId);

      tick();
      const w2 = await teller.call('deposits.withdrawals.initiate', {
        commandId: cmd(),
        accountId: account.id,
        amount: '300',
        method: 'wire',
      });
      tick();
      await teller.call('deposits.withdrawals.cancel', {
        commandId: cmd(),
        id: w2.id,
        reason: 'Changed mind',
      });
      expect((await lines(w2.id)).map((l) => l.kind)).toEqual(['withdrawal-initiate', 'withdrawal-cancel']);
    });

    it('keeps one chain per teller and day, each line pointing at the one before', async () => {
      const day = await head.call('tellerJournal.day', { businessDate: '2026-03-02', tellerId: tinaId });
      const seqs = day.items.map((l) => l.sequence);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      day.items.slice(1).forEach((l, i) => expect(l.prevHash).toBe(day.items[i]!.hash));
      expect(day.items[0]!.prevHash).toBe('0'.repeat(64));
      expect(day.tellers.map((t) => t.username).sort()).toEqual(['otto', 'tina']);
      const v = await head.call('tellerJournal.verify', { businessDate: '2026-03-02' });
      expect(v.intact).toBe(true);
      expect(v.tellers.find((t) => t.tellerUsername === 'tina')?.linesChecked).toBe(day.total);
    });

    it('pages a day’s lines, tellers in username order, each chain in sequence', async () => {
      const all = await head.call('tellerJournal.day', { businessDate: '2026-03-02' });
      expect(all.items.map((l) => l.tellerUsername)).toEqual(
        [...all.items.map((l) => l.tellerUsername)].sort(),
      );
      const first = await head.call('tellerJournal.day', { businessDate: '2026-03-02', limit: 2 });
      const second = await head.call('tellerJournal.day', {
        businessDate: '2026-03-02',
        offset: 2,
        limit: 2,
      });
      expect([...first.items, ...second.items].map((l) => l.id)).toEqual(
        all.items.slice(0, 4).map((l) => l.id),
      );
      expect(first.total).toBe(all.total);
    });

    it('shows a teller only their own day, and the journal screen only to journal readers', async () => {
      const own = await teller.call('tellerJournal.ownDay', {});
      expect(own.items.length).toBeGreaterThan(0);
      expect(new Set(own.items.map((l) => l.tellerId))).toEqual(new Set([tinaId]));
      expect((await teller.fail('tellerJournal.day', { businessDate: '2026-03-02' })).code).toBe('FORBIDDEN');
      expect((await teller.fail('tellerJournal.verify', { businessDate: '2026-03-02' })).code).toBe(
        'FORBIDDEN',
      );
    });

    it('exports a day as CSV with every line and its hash', async () => {
      const day = await head.call('tellerJournal.day', { businessDate: '2026-03-02', tellerId: tinaId });
      const out = await head.call('tellerJournal.csv', { businessDate: '2026-03-02', tellerId: tinaId });
      expect(out.rows).toBe(day.total);
      expect(out.fileName).toBe('teller-journal-2026-03-02-tina.csv');
      expect(out.csv.split('\n')[0]).toContain('prev_hash,hash');
      expect(out.csv).toContain(day.items[0]!.hash);
      expect(out.csv).toContain('123.45');
    });
  });

  describe('append-only and tamper-evident', () => {
    it('refuses update, delete and truncate of journal lines', async () => {
      const [line] = await db('teller_journal').limit(1);
      await expect(db('teller_journal').where({ id: line.id }).update({ amount: '1' })).rejects.toThrow(
        /append-only/,
      );
      await expect(db('teller_journal').where({ id: line.id }).delete()).rejects.toThrow(/append-only/);
      await expect(db.raw('truncate teller_journal cascade')).rejects.toThrow(/append-only/);
    });

    it('finds an edited line', async () => {
      await appendDay('2026-04-01', 4);
      await tamper(
        db,
        `update teller_journal set amount = 999999 where business_date = '2026-04-01' and sequence = 2`,
      );
      const v = await head.call('tellerJournal.verify', { businessDate: '2026-04-01', tellerId: tinaId });
      expect(v.intact).toBe(false);
      expect(v.tellers[0]!.problem).toMatchObject({ kind: 'lineAltered', sequence: 2 });
    });

    it('finds a line deleted from the middle', async () => {
      await appendDay('2026-04-02', 4);
      await tamper(db, `delete from teller_journal where business_date = '2026-04-02' and sequence = 2`);
      const v = await head.call('tellerJournal.verify', { businessDate: '2026-04-02' });
      expect(v.tellers[0]!.problem).toMatchObject({ kind: 'sequenceGap', sequence: 2 });
    });

    it('finds reordered lines, renumbered or not', async () => {
      await appendDay('2026-04-03', 4);
      // Swap two lines' places: their digests cover their sequence, so the swap shows.
      const where = `business_date = '2026-04-03' and sequence`;
      await tamper(
        db,
        `update teller_journal set sequence = 99 where ${where} = 2`,
        `update teller_journal set sequence = 2 where ${where} = 3`,
        `update teller_journal set sequence = 3 where ${where} = 99`,
      );
      const v = await head.call('tellerJournal.verify', { businessDate: '2026-04-03' });
      expect(v.tellers[0]!.problem).toMatchObject({ kind: 'lineAltered', sequence: 2 });
      // Swap their times instead (the order a reader sees by time): the chain order still holds.
      await appendDay('2026-04-04', 3);
      await tamper(
        db,
        `update teller_journal t set occurred_at = o.occurred_at from teller_journal o
          where t.business_date = '2026-04-04' and o.business_date = '2026-04-04'
            and ((t.sequence = 1 and o.sequence = 3) or (t.sequence = 3 and o.sequence = 1))`,
      );
      const v2 = await head.call('tellerJournal.verify', { businessDate: '2026-04-04' });
      expect(v2.tellers[0]!.problem?.kind).toBe('lineAltered');
    });

    it('finds a deleted last line through the chain head', async () => {
      await appendDay('2026-04-05', 3);
      await tamper(db, `delete from teller_journal where business_date = '2026-04-05' and sequence = 3`);
      const v = await head.call('tellerJournal.verify', { businessDate: '2026-04-05' });
      expect(v.tellers[0]!.problem).toMatchObject({ kind: 'headMismatch', sequence: 3 });
    });

    it('keeps one teller’s chain whole under concurrent appends', async () => {
      const date = '2026-04-06';
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          inTransaction(db, (trx) =>
            journal.append(trx, entry({ businessDate: date, amount: BigInt(i + 1) })),
          ),
        ),
      );
      expect(results.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      const v = await head.call('tellerJournal.verify', { businessDate: date });
      expect(v).toMatchObject({ intact: true, tellers: [{ linesChecked: 12, intact: true }] });
    });

    // A workstation appends in one statement when it wrote the teller's last line itself; its guess
    // of the head can be wrong, and the chain must not care.
    it('keeps the chain whole when this workstation’s guess of the head is stale', async () => {
      const date = '2026-04-08';
      const append = (amount: bigint) =>
        inTransaction(db, (trx) => journal.append(trx, entry({ businessDate: date, amount })));
      expect((await append(1n)).sequence).toBe(1);
      // An append that rolls back: the guess moved on, the head did not.
      await expect(
        inTransaction(db, async (trx) => {
          await journal.append(trx, entry({ businessDate: date, amount: 2n }));
          throw new Error('the command failed after journaling');
        }),
      ).rejects.toThrow('the command failed');
      expect((await append(3n)).sequence).toBe(2);
      // The same teller's line from another workstation, which takes the head the long way.
      await inTransaction(db, async (trx) => {
        const other = entry({ businessDate: date, amount: 4n, workstation: 'WS-TEST-2' });
        const { sequence, prevHash } = await journalRepo.advanceHead(trx, other.tellerId, date);
        const id = randomUUID();
        const details = canonicalize(other.details) as Record<string, unknown>;
        await journalRepo.insertLineAndHead(trx, {
          id,
          teller_id: other.tellerId,
          business_date: date,
          sequence: String(sequence),
          kind: other.kind,
          till_id: null,
          amount: '4',
          currency: 'USD',
          subject_id: null,
          ledger_transaction_id: null,
          workstation: other.workstation,
          details,
          occurred_at: other.at,
          prev_hash: prevHash,
          hash: lineHash(prevHash, { ...other, id, sequence, details }),
        });
      });
      expect((await append(5n)).sequence).toBe(4);
      expect((await append(6n)).sequence).toBe(5);
      const v = await head.call('tellerJournal.verify', { businessDate: date });
      expect(v).toMatchObject({ intact: true, tellers: [{ linesChecked: 5, intact: true }] });
      const amounts = await db('teller_journal')
        .where({ business_date: date })
        .orderBy('sequence')
        .pluck('amount');
      expect(amounts).toEqual(['1', '3', '4', '5', '6']);
    });

    it.runIf(onServer)('never makes one teller wait for another', async () => {
      const date = '2026-04-07';
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let appended!: () => void;
      const firstIn = new Promise<void>((r) => (appended = r));
      // Tina's append stays uncommitted (her head row locked) while Otto appends.
      const tina = db.transaction(async (trx) => {
        await journal.append(trx, entry({ businessDate: date }));
        appended();
        await held;
      });
      await firstIn;
      const otto = await db.transaction(async (trx) => {
        await trx.raw(`set local lock_timeout = '2s'`);
        return journal.append(trx, entry({ businessDate: date, tellerId: ottoId }));
      });
      expect(otto.sequence).toBe(1);
      release();
      await tina;
    });

    it('refuses secrets and malformed lines before they reach the chain', async () => {
      await expect(
        inTransaction(db, (trx) => journal.append(trx, entry({ details: { override: { password: 'x' } } }))),
      ).rejects.toThrow(/secrets/);
      await expect(
        inTransaction(db, (trx) => journal.append(trx, entry({ currency: null }))),
      ).rejects.toThrow(/currency/);
    });
  });

  describe('receipts', async () => {
    const { customerId, account } = await openAccount('Rosa Recibo');
    const d = await deposit(account.id, '150075');

    it('carries a QR code that verifies against the journal', async () => {
      const { items } = await teller.call('tellerJournal.receipts.list', {
        kind: 'deposit',
        movementId: d.id,
      });
      expect(items).toHaveLength(1);
      const r = items[0]!;
      expect(r).toMatchObject({
        kind: 'deposit',
        amount: '150075',
        prints: 0,
        duplicate: false,
        title: 'Deposit receipt',
      });
      expect(r.qrSvg).toMatch(/^<svg/);
      const scanned = await scan(r.qrPayload);
      expect(scanned).toBe(r.qrPayload);
      const v = await teller.call('tellerJournal.receipts.verify', { payload: scanned! });
      expect(v).toMatchObject({
        verified: true,
        reason: 'verified',
        journal: {
          amount: '150075',
          accountPublicId: account.publicId,
          customerName: 'Rosa Recibo',
          teller: 'tina',
        },
      });
    });

    it('refuses an edited receipt: amount, account, date, hash, or a code of no receipt', async () => {
      const { items } = await teller.call('tellerJournal.receipts.list', {
        kind: 'deposit',
        movementId: d.id,
      });
      const payload = items[0]!.qrPayload;
      const edit = (key: string, value: string) => {
        const [prefix, query] = payload.split('?');
        const p = new URLSearchParams(query);
        p.set(key, value);
        return `${prefix}?${p.toString()}`;
      };
      const cases: [string, string, string][] = [
        ['a', '950075', 'a'],
        ['acct', 'DA-**9999', 'account'],
        ['at', '2026-03-01T09:00:00.000Z', 'at'],
        ['h', 'f'.repeat(64), 'hash'],
      ];
      for (const [key, value, field] of cases) {
        const v = await teller.call('tellerJournal.receipts.verify', { payload: edit(key, value) });
        expect(v, key).toMatchObject({ verified: false, reason: 'mismatch' });
        expect(v.mismatches).toContain(field === 'a' ? 'amount' : field);
      }
      const unknown = await teller.call('tellerJournal.receipts.verify', {
        payload: edit('r', randomUUID()),
      });
      expect(unknown).toMatchObject({ verified: false, reason: 'unknown', journal: null });
      const garbage = await teller.call('tellerJournal.receipts.verify', { payload: 'hello' });
      expect(garbage.reason).toBe('unreadable');
    });

    it('marks every print after the first DUPLICATE and journals the reprint', async () => {
      const { items } = await teller.call('tellerJournal.receipts.list', {
        kind: 'deposit',
        movementId: d.id,
      });
      const first = await teller.call('tellerJournal.receipts.print', {
        commandId: cmd(),
        receiptId: items[0]!.id,
        output: 'print',
      });
      expect(first).toMatchObject({ printNumber: 1, receipt: { duplicate: false, copyLabel: 'Original' } });
      const second = await teller.call('tellerJournal.receipts.print', {
        commandId: cmd(),
        receiptId: items[0]!.id,
        output: 'print',
      });
      expect(second).toMatchObject({ printNumber: 2, receipt: { duplicate: true, copyLabel: 'DUPLICATE' } });
      // A duplicate states the same facts: its code still verifies.
      const v = await teller.call('tellerJournal.receipts.verify', { payload: second.receipt.qrPayload });
      expect(v.verified).toBe(true);
      const reprints = await db('teller_journal').where({
        kind: 'receipt-reprint',
        subject_id: items[0]!.id,
      });
      expect(reprints).toHaveLength(1);
      expect(reprints[0]).toMatchObject({ teller_id: tinaId, amount: null });
      expect(reprints[0].details).toMatchObject({ printNumber: 2, receiptKind: 'deposit' });
      const again = await teller.call('tellerJournal.receipts.list', { kind: 'deposit', movementId: d.id });
      expect(again.items[0]).toMatchObject({ prints: 2, duplicate: true });
    });

    it('renders a PDF slip that holds the receipt’s text, in the customer’s language', async () => {
      const { items } = await teller.call('tellerJournal.receipts.list', {
        kind: 'deposit',
        movementId: d.id,
      });
      const out = await teller.call('tellerJournal.receipts.print', {
        commandId: cmd(),
        receiptId: items[0]!.id,
        output: 'pdf',
      });
      // The print counted the copy; its bytes come from the PDF query (not the command log).
      const pdf = await teller.call('tellerJournal.receipts.pdf', {
        receiptId: items[0]!.id,
        printNumber: out.printNumber,
      });
      expect(pdf.fileName).toBe(out.fileName);
      const bytes = Buffer.from(pdf.pdfBase64, 'base64');
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdfText(bytes);
      expect(text).toContain('First Test Bank');
      expect(text).toContain('Deposit receipt');
      expect(text).toContain('DUPLICATE');
      expect(text).toContain('$1,500.75');
      expect(text).toContain('Rosa Recibo');
      expect(out.fileName).toMatch(/^receipt-deposit-.*-copy3\.pdf$/);

      await office.call('customer.setLanguage', {
        commandId: cmd(),
        id: customerId,
        preferredLanguage: 'es',
      });
      const es = await teller.call('tellerJournal.receipts.print', {
        commandId: cmd(),
        receiptId: items[0]!.id,
        output: 'pdf',
        fallbackLanguage: 'en',
      });
      expect(es.receipt).toMatchObject({
        language: 'es',
        title: 'Comprobante de depósito',
        copyLabel: 'DUPLICADO',
      });
      const esPdf = await teller.call('tellerJournal.receipts.pdf', {
        receiptId: items[0]!.id,
        printNumber: es.printNumber,
      });
      const esText = pdfText(Buffer.from(esPdf.pdfBase64, 'base64'));
      // A print's PDF keeps the language it was printed in, whatever the customer chooses later.
      await office.call('customer.setLanguage', {
        commandId: cmd(),
        id: customerId,
        preferredLanguage: 'en',
      });
      const again = await teller.call('tellerJournal.receipts.pdf', {
        receiptId: items[0]!.id,
        printNumber: es.printNumber,
      });
      expect(again.pdfBase64).toBe(esPdf.pdfBase64);
      await office.call('customer.setLanguage', {
        commandId: cmd(),
        id: customerId,
        preferredLanguage: 'es',
      });
      const unprinted = await teller.fail('tellerJournal.receipts.pdf', {
        receiptId: items[0]!.id,
        printNumber: es.printNumber + 1,
      });
      expect(unprinted.code).toBe('NOT_FOUND');
      expect(esText).toContain('Comprobante de dep\u00f3sito');
      expect(esText).toContain('DUPLICADO');
      // The language is the customer's, the content the journal's: the code still verifies.
      const v = await teller.call('tellerJournal.receipts.verify', { payload: es.receipt.qrPayload });
      expect(v.verified).toBe(true);
    });

    it('gives a withdrawal one receipt per step: the slip and the payout', async () => {
      tick();
      const w = await teller.call('deposits.withdrawals.initiate', {
        commandId: cmd(),
        accountId: account.id,
        amount: '5000',
        method: 'wire',
      });
      tick();
      await teller.call('deposits.withdrawals.confirm', { commandId: cmd(), id: w.id });
      const { items } = await teller.call('tellerJournal.receipts.list', {
        kind: 'withdrawal',
        movementId: w.id,
      });
      expect(items.map((r) => r.kind)).toEqual(['withdrawal-initiate', 'withdrawal-confirm']);
      expect(items.map((r) => r.language)).toEqual(['es', 'es']);
      for (const r of items)
        expect((await teller.call('tellerJournal.receipts.verify', { payload: r.qrPayload })).verified).toBe(
          true,
        );
    });

    it('stops vouching for a receipt whose journal line was altered', async () => {
      const { items } = await teller.call('tellerJournal.receipts.list', {
        kind: 'deposit',
        movementId: d.id,
      });
      await tamper(db, [`update teller_journal set amount = 1 where id = ?`, [items[0]!.id]]);
      const v = await teller.call('tellerJournal.receipts.verify', { payload: items[0]!.qrPayload });
      expect(v).toMatchObject({ verified: false, reason: 'journalAltered' });
    });

    it('prints no receipt for a line that is no transaction', async () => {
      const { id } = await inTransaction(db, (trx) =>
        journal.append(trx, entry({ businessDate: '2026-04-09' })),
      );
      const e = await teller.fail('tellerJournal.receipts.print', {
        commandId: cmd(),
        receiptId: id,
        output: 'print',
      });
      expect(e.code).toBe('RECEIPT_NOT_AVAILABLE');
    });
  });

  describe('anchored in the audit log', () => {
    it('records each counter line’s digest in its command’s audit record', async () => {
      const { account } = await openAccount();
      const d = await deposit(account.id, '700');
      const [line] = await lines(d.id);
      const audit = await db('audit_log')
        .where({ action: 'deposits.record' })
        .whereRaw('? = any(object_ids)', [d.id])
        .first();
      expect(audit.metadata.journal).toEqual({
        tellerId: tinaId,
        businessDate: '2026-03-02',
        sequence: Number(line.sequence),
        line: line.id,
        digest: line.hash,
      });
    });

    it('finds the end of a day cut off and its head rewritten', async () => {
      await db('bank').update({ business_date: '2026-05-04' });
      const { account } = await openAccount();
      await deposit(account.id, '100');
      const second = await deposit(account.id, '200');
      const [cut] = await lines(second.id);
      expect(cut.business_date).toBe('2026-05-04');
      const [first] = await db('teller_journal').where({
        teller_id: tinaId,
        business_date: '2026-05-04',
        sequence: 1,
      });
      await tamper(
        db,
        [`delete from teller_journal where id = ?`, [cut.id]],
        [
          `update teller_journal_heads set sequence = 1, hash = ? where teller_id = ? and business_date = '2026-05-04'`,
          [first.hash, tinaId],
        ],
      );
      const v = await head.call('tellerJournal.verify', { businessDate: '2026-05-04', tellerId: tinaId });
      expect(v.tellers[0]!.problem).toEqual({ kind: 'anchorMismatch', sequence: 2, lineId: null });
    });
  });
});
