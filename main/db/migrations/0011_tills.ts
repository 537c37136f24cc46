import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Branches, vaults and tills as ledger accounts; denominations; opening and closing the day (issue 6).
// The tills module owns these tables.
//
// - denominations: the notes and coins of a currency, in minor units (USD seeded here).
// - branches: each with its vault, whose cash is one ledger account (asset, under 12.02), and the
//   tolerance above which a close difference needs a supervisor's sign-off.
// - tills: a branch's cash drawers, each its own ledger account (the cash-controls module reads
//   tills.ledger_account_id to compare a till's holding with its maximum).
// - till_sessions: a teller's day on a till; at most one session of a till is not closed (partial
//   unique index), which is what refuses a second open even from two workstations at once.
// - vault_transfers: cash between the vault and a till, requested by the teller with counts and
//   confirmed by a head teller or supervisor with their own count.
// - till_cash_holdings: how many notes and coins of each value a till or a vault holds now; counts can
//   never go negative (CHECK), and their sum always equals the holder's ledger balance.
// - till_cash_movements: every change of a holding, with its denominations and ledger transaction.

const MAX_AMOUNT = '1000000000000000';

const USD: [number, 'note' | 'coin'][] = [
  [10000, 'note'],
  [5000, 'note'],
  [2000, 'note'],
  [1000, 'note'],
  [500, 'note'],
  [200, 'note'],
  [100, 'note'],
  [50, 'coin'],
  [25, 'coin'],
  [10, 'coin'],
  [5, 'coin'],
  [1, 'coin'],
];

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create table denominations (
       currency char(3) not null,
       value bigint not null check (value > 0 and value <= ${MAX_AMOUNT}),
       kind text not null check (kind in ('note', 'coin')),
       active boolean not null default true,
       primary key (currency, value)
     )`,
    `insert into denominations (currency, value, kind) values ${USD.map(
      ([v, k]) => `('USD', ${v}, '${k}')`,
    ).join(', ')}`,
    `create table branches (
       id uuid primary key,
       code text not null unique check (length(code) between 1 and 20),
       name text not null check (length(name) between 1 and 200),
       currency char(3) not null default 'USD',
       vault_ledger_account_id uuid not null unique references ledger_accounts (id),
       close_tolerance bigint not null default 0 check (close_tolerance >= 0 and close_tolerance <= ${MAX_AMOUNT}),
       created_by uuid references staff_users (id),
       created_at timestamptz not null
     )`,
    `create table tills (
       id uuid primary key,
       branch_id uuid not null references branches (id),
       code text not null check (length(code) between 1 and 20),
       name text not null check (length(name) between 1 and 200),
       currency char(3) not null,
       ledger_account_id uuid not null unique references ledger_accounts (id),
       created_by uuid references staff_users (id),
       created_at timestamptz not null,
       unique (branch_id, code)
     )`,
    `create table till_sessions (
       id uuid primary key,
       till_id uuid not null references tills (id),
       teller_id uuid not null references staff_users (id),
       business_date date not null,
       status text not null check (status in ('opening', 'open', 'awaiting_sign_off', 'closed', 'cancelled')),
       opened_at timestamptz,
       opening_amount bigint check (opening_amount >= 0),
       expected_amount bigint,
       counted_amount bigint check (counted_amount >= 0),
       difference bigint,
       counted_denominations jsonb,
       over_short_transaction_id uuid references ledger_transactions (id),
       signed_off_by uuid references staff_users (id),
       sign_off_note text check (length(sign_off_note) <= 500),
       closed_at timestamptz,
       created_at timestamptz not null
     )`,
    `create unique index till_sessions_one_live on till_sessions (till_id)
       where status in ('opening', 'open', 'awaiting_sign_off')`,
    `create index till_sessions_date on till_sessions (business_date) where status <> 'closed'`,
    `create table vault_transfers (
       id uuid primary key,
       branch_id uuid not null references branches (id),
       till_id uuid not null references tills (id),
       session_id uuid not null references till_sessions (id),
       direction text not null check (direction in ('to_till', 'to_vault')),
       purpose text not null check (purpose in ('opening', 'replenish', 'excess')),
       amount bigint not null check (amount > 0 and amount <= ${MAX_AMOUNT}),
       denominations jsonb not null,
       status text not null check (status in ('pending', 'confirmed', 'cancelled')),
       requested_by uuid not null references staff_users (id),
       requested_at timestamptz not null,
       confirmed_by uuid references staff_users (id),
       confirmed_at timestamptz,
       ledger_transaction_id uuid references ledger_transactions (id)
     )`,
    `create index vault_transfers_pending on vault_transfers (branch_id) where status = 'pending'`,
    `create table till_cash_holdings (
       holder_id uuid not null,
       currency char(3) not null,
       value bigint not null,
       count bigint not null check (count >= 0),
       primary key (holder_id, currency, value),
       foreign key (currency, value) references denominations (currency, value)
     )`,
    `create table till_cash_movements (
       id uuid primary key,
       holder_kind text not null check (holder_kind in ('till', 'vault')),
       holder_id uuid not null,
       session_id uuid references till_sessions (id),
       kind text not null check (kind in ('vault-transfer', 'deposit', 'withdrawal', 'deposit-revert',
         'withdrawal-revert', 'count-adjust', 'vault-funding')),
       subject_id uuid,
       amount bigint not null check (amount >= -${MAX_AMOUNT} and amount <= ${MAX_AMOUNT}),
       denominations jsonb not null,
       ledger_transaction_id uuid references ledger_transactions (id),
       business_date date not null,
       actor_id uuid references staff_users (id),
       at timestamptz not null
     )`,
    `create index till_cash_movements_holder on till_cash_movements (holder_id, at)`,
    `create index till_cash_movements_subject on till_cash_movements (subject_id) where subject_id is not null`,
    // A cash withdrawal started at a till is paid out at a till: its cash leaves a drawer, never the
    // omnibus (which would leave the drawer over at close).
    `create table till_withdrawal_origins (
       withdrawal_id uuid primary key references withdrawals (id),
       till_id uuid not null references tills (id),
       initiated_by uuid references staff_users (id),
       initiated_at timestamptz not null
     )`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    `drop table if exists till_withdrawal_origins`,
    `drop table if exists till_cash_movements`,
    `drop table if exists till_cash_holdings`,
    `drop table if exists vault_transfers`,
    `drop table if exists till_sessions`,
    `drop table if exists tills`,
    `drop table if exists branches`,
    `drop table if exists denominations`,
  ]);
