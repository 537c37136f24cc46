import type { Knex } from 'knex';
import { runStatements } from '../sql';

// The electronic journal of teller work (append-only, hash-chained) and receipts (issue 6).
//
// - teller_journal: one line per teller transaction, override, cash count or till event. Each
//   teller's business day is its own chain (sequence from 1, prev_hash of the line before). The
//   digest is computed by the journal service over a canonical form (see rules.ts) so the same
//   function verifies lines and receipts; the database only refuses changes.
// - teller_journal_heads: the last sequence and hash of each (teller, day) chain. Appending locks
//   that one row, so one teller's appends serialize and different tellers never wait for each other.
// - teller_receipt_prints: every print or PDF of a receipt, numbered per receipt: number 1 is the
//   original, every later one a DUPLICATE.
// - audit_log_journal_anchor: the audit records that anchor journal lines, by teller and day.
// - customers.preferred_language: the language of the customer's receipts (null: the bank's default).

const ZERO_HASH = '0'.repeat(64);
const HASH = `text not null check (hash ~ '^[0-9a-f]{64}$')`;

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create table teller_journal_heads (
       teller_id uuid not null references staff_users (id),
       business_date date not null,
       sequence bigint not null check (sequence >= 0),
       hash text not null default '${ZERO_HASH}',
       primary key (teller_id, business_date)
     )`,
    `create table teller_journal (
       id uuid primary key,
       teller_id uuid not null references staff_users (id),
       business_date date not null,
       sequence bigint not null check (sequence >= 1),
       kind text not null check (kind ~ '^[a-z][a-z0-9-]{0,39}$'),
       till_id uuid,
       amount bigint,
       currency char(3),
       subject_id text check (length(subject_id) <= 80),
       ledger_transaction_id uuid,
       workstation text not null check (length(workstation) between 1 and 120),
       details jsonb not null default '{}',
       occurred_at timestamptz not null,
       prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
       hash ${HASH},
       unique (teller_id, business_date, sequence),
       check ((amount is null) = (currency is null))
     )`,
    `create index teller_journal_subject on teller_journal (subject_id, kind)`,
    `create index teller_journal_day on teller_journal (business_date, teller_id, sequence)`,
    `create table teller_receipt_prints (
       id uuid primary key,
       journal_entry_id uuid not null references teller_journal (id),
       print_number integer not null check (print_number >= 1),
       output text not null check (output in ('print', 'pdf')),
       language text not null check (language in ('en', 'es')),
       printed_by uuid not null references staff_users (id),
       printed_at timestamptz not null,
       unique (journal_entry_id, print_number)
     )`,
    `create trigger teller_journal_append_only before update or delete on teller_journal
       for each row execute function refuse_change()`,
    `create trigger teller_journal_no_truncate before truncate on teller_journal
       for each statement execute function refuse_change()`,
    `create trigger teller_receipt_prints_append_only before update or delete on teller_receipt_prints
       for each row execute function refuse_change()`,
    `create trigger teller_receipt_prints_no_truncate before truncate on teller_receipt_prints
       for each statement execute function refuse_change()`,
    // Verification reads the journal anchors of a teller's day from the audit log (see the module).
    `create index audit_log_journal_anchor on audit_log
       ((metadata->'journal'->>'tellerId'), (metadata->'journal'->>'businessDate'))
       where (metadata->'journal') is not null`,
    `alter table customers add column preferred_language text check (preferred_language in ('en', 'es'))`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    'alter table customers drop column if exists preferred_language',
    'drop index if exists audit_log_journal_anchor',
    'drop table if exists teller_receipt_prints',
    'drop table if exists teller_journal',
    'drop table if exists teller_journal_heads',
  ]);
