import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Deposit accounts, deposits and withdrawals (DOMAIN 4). The deposits module owns these tables.
//
// - One USD deposit account per customer and currency (unique key), backed by two ledger accounts:
//   the main one (credit-normal liability, overdraft-prevented) and its frozen companion.
// - Deposits and withdrawals keep the ledger transaction of every step they posted; the ledger's
//   idempotency keys are derived from their ids, so a retried step posts once.
// - deposit_account_events: the account's own history (opened, frozen, unfrozen, inactivated,
//   reactivated, closed) with the reason and the ledger transaction a freeze or unfreeze posted.
// - deposit_settings: the dormancy thresholds (one row, absent until changed);
//   deposit_activity_runs: one row per business date the dormancy job classified.

const MAX_AMOUNT = '1000000000000000';
const METHODS = `('cash', 'wire', 'check', 'internal')`;

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create sequence deposit_account_public_id_seq`,
    `create table deposit_accounts (
       id uuid primary key,
       public_id text not null unique
         default ('DA-' || lpad(nextval('deposit_account_public_id_seq')::text, 6, '0')),
       holder_id uuid not null references customers (id),
       currency char(3) not null default 'USD' check (currency = 'USD'),
       status text not null default 'active' check (status in ('active', 'inactive', 'frozen', 'closed')),
       status_reason text check (length(status_reason) <= 500),
       status_changed_at timestamptz,
       status_changed_by uuid references staff_users (id),
       ledger_account_id uuid not null unique references ledger_accounts (id),
       frozen_ledger_account_id uuid not null unique references ledger_accounts (id),
       activity_status text not null default 'active'
         check (activity_status in ('active', 'inactive', 'escheatable')),
       last_activity_on date not null,
       activity_classified_on date,
       opened_by uuid references staff_users (id),
       created_at timestamptz not null,
       unique (holder_id, currency)
     )`,
    `create index deposit_accounts_status on deposit_accounts (status, activity_status)`,
    `create table deposits (
       id uuid primary key,
       account_id uuid not null references deposit_accounts (id),
       amount bigint not null check (amount > 0 and amount <= ${MAX_AMOUNT}),
       currency char(3) not null default 'USD',
       method text not null check (method in ${METHODS}),
       reference text check (length(reference) <= 200),
       status text not null default 'confirmed' check (status in ('confirmed', 'reverted')),
       effective_date date not null,
       ledger_transaction_id uuid not null references ledger_transactions (id),
       revert_ledger_transaction_id uuid references ledger_transactions (id),
       revert_reason text check (length(revert_reason) between 1 and 500),
       reverted_by uuid references staff_users (id),
       reverted_at timestamptz,
       created_by uuid references staff_users (id),
       created_at timestamptz not null,
       check ((status = 'reverted') = (revert_ledger_transaction_id is not null and revert_reason is not null))
     )`,
    `create index deposits_account on deposits (account_id, created_at desc)`,
    `create table withdrawals (
       id uuid primary key,
       account_id uuid not null references deposit_accounts (id),
       amount bigint not null check (amount > 0 and amount <= ${MAX_AMOUNT}),
       currency char(3) not null default 'USD',
       method text not null check (method in ${METHODS}),
       reference text check (length(reference) <= 200),
       status text not null default 'pending_approval' check (status in ('pending_approval',
         'pending_confirmation', 'confirmed', 'denied', 'cancelled', 'reverted')),
       effective_date date not null,
       approval_process_id uuid references governance_processes (id),
       initiate_transaction_id uuid not null references ledger_transactions (id),
       confirm_transaction_id uuid references ledger_transactions (id),
       release_transaction_id uuid references ledger_transactions (id),
       revert_transaction_id uuid references ledger_transactions (id),
       cancel_reason text check (length(cancel_reason) between 1 and 500),
       revert_reason text check (length(revert_reason) between 1 and 500),
       initiated_by uuid references staff_users (id),
       initiated_at timestamptz not null,
       concluded_at timestamptz,
       cancelled_by uuid references staff_users (id),
       cancelled_at timestamptz,
       confirmed_by uuid references staff_users (id),
       confirmed_at timestamptz,
       reverted_by uuid references staff_users (id),
       reverted_at timestamptz,
       check (status <> 'cancelled' or cancel_reason is not null),
       check (status <> 'reverted' or revert_reason is not null)
     )`,
    `create index withdrawals_account on withdrawals (account_id, initiated_at desc)`,
    `create index withdrawals_in_flight on withdrawals (account_id)
       where status in ('pending_approval', 'pending_confirmation')`,
    `create table deposit_account_events (
       id uuid primary key,
       account_id uuid not null references deposit_accounts (id),
       action text not null
         check (action in ('opened', 'freeze', 'unfreeze', 'inactivate', 'reactivate', 'close')),
       amount bigint check (amount > 0),
       reason text check (length(reason) <= 500),
       ledger_transaction_id uuid references ledger_transactions (id),
       actor_id uuid references staff_users (id),
       created_at timestamptz not null
     )`,
    `create index deposit_account_events_account on deposit_account_events (account_id, created_at desc)`,
    `create table deposit_settings (
       id smallint primary key default 1 check (id = 1),
       inactive_days integer not null check (inactive_days >= 1),
       escheatable_days integer not null check (escheatable_days > inactive_days),
       updated_by uuid references staff_users (id),
       updated_at timestamptz not null
     )`,
    `create table deposit_activity_runs (
       business_date date primary key,
       inactive_days integer not null,
       escheatable_days integer not null,
       accounts integer not null,
       changed integer not null,
       ran_at timestamptz not null
     )`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    'drop table if exists deposit_activity_runs',
    'drop table if exists deposit_settings',
    'drop table if exists deposit_account_events',
    'drop table if exists withdrawals',
    'drop table if exists deposits',
    'drop table if exists deposit_accounts',
    'drop sequence if exists deposit_account_public_id_seq',
  ]);
