import { notAwaited, STALE_GUESS, type Db, type Trx } from '../../db';
import { ZERO_HASH } from './rules';

export interface JournalRow {
  id: string;
  teller_id: string;
  business_date: string;
  sequence: string;
  kind: string;
  till_id: string | null;
  amount: string | null;
  currency: string | null;
  subject_id: string | null;
  ledger_transaction_id: string | null;
  workstation: string;
  details: Record<string, unknown>;
  occurred_at: Date;
  prev_hash: string;
  hash: string;
}

/**
 * Takes the next place in a teller's day. The upsert locks the (teller, day) head row until the
 * caller's transaction ends: one teller's appends queue here, other tellers' rows are untouched.
 */
export async function advanceHead(
  trx: Trx,
  tellerId: string,
  businessDate: string,
): Promise<{ sequence: number; prevHash: string }> {
  const { rows } = await trx
    .raw(
      `insert into teller_journal_heads as h (teller_id, business_date, sequence, hash)
       values (?, ?, 1, ?)
       on conflict (teller_id, business_date) do update set sequence = h.sequence + 1
       returning sequence::text as sequence, hash`,
      [tellerId, businessDate, ZERO_HASH],
    )
    .options({ name: 'tellerJournal.advanceHead' });
  const row = rows[0] as { sequence: string; hash: string };
  return { sequence: Number(row.sequence), prevHash: row.hash };
}

const LINE_COLUMNS = `id, teller_id, business_date, sequence, kind, till_id, amount, currency, subject_id,
  ledger_transaction_id, workstation, details, occurred_at, prev_hash, hash`;
const LINE_PLACEHOLDERS = '?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?';

/** A line's values in LINE_COLUMNS order. */
function lineValues(row: JournalRow) {
  return [
    row.id,
    row.teller_id,
    row.business_date,
    row.sequence,
    row.kind,
    row.till_id,
    row.amount,
    row.currency,
    row.subject_id,
    row.ledger_transaction_id,
    row.workstation,
    JSON.stringify(row.details),
    row.occurred_at,
    row.prev_hash,
    row.hash,
  ];
}

/** The line, and its hash as the new head of its teller's day, in one statement. */
export async function insertLineAndHead(trx: Trx, row: JournalRow): Promise<void> {
  await trx
    .raw(
      `with line as (insert into teller_journal (${LINE_COLUMNS}) values (${LINE_PLACEHOLDERS}))
       update teller_journal_heads set hash = ? where teller_id = ? and business_date = ?`,
      [...lineValues(row), row.hash, row.teller_id, row.business_date],
    )
    .options({ name: 'tellerJournal.insertLineAndHead' });
}

/**
 * The line and its head in one statement, when the caller already knows the head it follows: the
 * head moves only if it is still (sequence - 1, prevHash), and the line goes in only if it moved.
 * When the head was elsewhere (the teller's other workstation wrote since), the statement refuses
 * with STALE_GUESS and the command runs again. Sent with the COMMIT, not waited for.
 */
export async function insertLineAfterKnownHead(trx: Trx, row: JournalRow): Promise<void> {
  await trx
    .raw(
      `with head as (
         update teller_journal_heads set sequence = ?, hash = ?
         where teller_id = ? and business_date = ? and sequence = ? and hash = ?
         returning 1
       ), line as (
         insert into teller_journal (${LINE_COLUMNS})
         select ${LINE_PLACEHOLDERS} where exists (select 1 from head)
         returning 1
       )
       select bank_require(count(*) = 1, ?, 'the teller journal head moved') from line`,
      [
        row.sequence,
        row.hash,
        row.teller_id,
        row.business_date,
        String(Number(row.sequence) - 1),
        row.prev_hash,
        ...lineValues(row),
        STALE_GUESS,
      ],
    )
    .options(notAwaited('tellerJournal.insertLineAfterKnownHead'));
}

export async function findLine(q: Db | Trx, id: string): Promise<JournalRow | undefined> {
  return q<JournalRow>('teller_journal').where({ id }).first();
}

/** The journal line of a transaction step (subject and kind), latest first. */
export async function findLineForSubject(
  q: Db | Trx,
  subjectId: string,
  kinds: readonly string[],
): Promise<JournalRow | undefined> {
  return q<JournalRow>('teller_journal')
    .where({ subject_id: subjectId })
    .whereIn('kind', [...kinds])
    .orderBy('occurred_at', 'desc')
    .orderBy('sequence', 'desc')
    .first();
}

export async function linesOfDay(q: Db | Trx, tellerId: string, businessDate: string): Promise<JournalRow[]> {
  return q<JournalRow>('teller_journal')
    .where({ teller_id: tellerId, business_date: businessDate })
    .orderBy('sequence', 'asc');
}

export async function headOfDay(
  q: Db | Trx,
  tellerId: string,
  businessDate: string,
): Promise<{ sequence: number; hash: string } | null> {
  const row = await q('teller_journal_heads')
    .where({ teller_id: tellerId, business_date: businessDate })
    .first<{ sequence: string; hash: string } | undefined>();
  return row ? { sequence: Number(row.sequence), hash: row.hash } : null;
}

/** Every teller with a journal on a business date: by head or by line, so neither can hide one. */
export async function tellersOfDay(q: Db | Trx, businessDate: string): Promise<string[]> {
  const { rows } = await q.raw(
    `select teller_id::text as teller_id from teller_journal_heads where business_date = ?
     union
     select teller_id::text from teller_journal where business_date = ?
     order by 1`,
    [businessDate, businessDate],
  );
  return (rows as { teller_id: string }[]).map((r) => r.teller_id);
}

/** The till and its branch as a receipt names them (the tills module's tables, read only). */
export async function tillOf(
  trx: Trx,
  tillId: string,
): Promise<{ till_code: string; branch_code: string; branch_name: string } | undefined> {
  return trx('tills as t')
    .join('branches as b', 'b.id', 't.branch_id')
    .where('t.id', tillId)
    .first('t.code as till_code', 'b.code as branch_code', 'b.name as branch_name');
}

export async function customerLanguage(q: Db | Trx, customerId: string): Promise<string | null> {
  const row = await q('customers')
    .where({ id: customerId })
    .first<{ preferred_language: string | null }>('preferred_language');
  return row?.preferred_language ?? null;
}

export async function usernames(
  q: Db | Trx,
  ids: string[],
): Promise<Map<string, { username: string; fullName: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await q('staff_users')
    .whereIn('id', ids)
    .select<{ id: string; username: string; full_name: string }[]>('id', 'username', 'full_name');
  return new Map(rows.map((r) => [r.id, { username: r.username, fullName: r.full_name }]));
}

export async function linesForSubject(
  q: Db | Trx,
  subjectId: string,
  kinds: readonly string[],
): Promise<JournalRow[]> {
  return q<JournalRow>('teller_journal')
    .where({ subject_id: subjectId })
    .whereIn('kind', [...kinds])
    .orderBy('occurred_at', 'asc')
    .orderBy('id', 'asc');
}

export interface DayFilter {
  businessDate: string;
  tellerId?: string;
  offset: number;
  limit: number;
}

function dayQuery(q: Db | Trx, f: Omit<DayFilter, 'offset' | 'limit'>) {
  const query = q<JournalRow>('teller_journal').where({ business_date: f.businessDate });
  if (f.tellerId) query.where({ teller_id: f.tellerId });
  return query;
}

export async function listDay(q: Db | Trx, f: DayFilter): Promise<JournalRow[]> {
  // Tellers by username (as the screen names them), then each chain in its own order.
  return dayQuery(q, f)
    .orderByRaw('(select s.username from staff_users s where s.id = teller_journal.teller_id)')
    .orderBy('teller_id')
    .orderBy('sequence')
    .offset(f.offset)
    .limit(f.limit);
}

export async function countDay(q: Db | Trx, f: Omit<DayFilter, 'offset' | 'limit'>): Promise<number> {
  const row = await dayQuery(q, f).count<{ count: string }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

export async function printCount(q: Db | Trx, journalEntryId: string): Promise<number> {
  const row = await q('teller_receipt_prints')
    .where({ journal_entry_id: journalEntryId })
    .max<{ max: number | null }[]>({ max: 'print_number' })
    .first();
  return Number(row?.max ?? 0);
}

export async function findPrint(
  q: Db | Trx,
  journalEntryId: string,
  printNumber: number,
): Promise<{ language: string } | undefined> {
  return q('teller_receipt_prints')
    .where({ journal_entry_id: journalEntryId, print_number: printNumber })
    .first('language');
}

/** Numbers a print of a receipt. Prints of one receipt queue on a lock named after it. */
export async function recordPrint(
  trx: Trx,
  p: { id: string; journalEntryId: string; output: string; language: string; by: string; at: Date },
): Promise<number> {
  await trx.raw(`select pg_advisory_xact_lock(hashtext('teller_receipt:' || ?))`, [p.journalEntryId]);
  const number = (await printCount(trx, p.journalEntryId)) + 1;
  await trx('teller_receipt_prints').insert({
    id: p.id,
    journal_entry_id: p.journalEntryId,
    print_number: number,
    output: p.output,
    language: p.language,
    printed_by: p.by,
    printed_at: p.at,
  });
  return number;
}

/**
 * The journal anchors the audit log holds for a teller's day (see rules.firstAnchorProblem). Read
 * from the audit log's table directly: the audit module offers no query by metadata.
 */
export async function anchorsOfDay(
  q: Db | Trx,
  tellerId: string,
  businessDate: string,
): Promise<{ sequence: number; digest: string }[]> {
  const { rows } = await q.raw(
    `select (metadata->'journal'->>'sequence')::int as sequence, metadata->'journal'->>'digest' as digest
       from audit_log
      where (metadata->'journal') is not null
        and outcome = 'Success'
        and metadata->'journal'->>'tellerId' = ?
        and metadata->'journal'->>'businessDate' = ?`,
    [tellerId, businessDate],
  );
  return (rows as { sequence: number; digest: string }[]).map((r) => ({
    sequence: Number(r.sequence),
    digest: r.digest,
  }));
}
