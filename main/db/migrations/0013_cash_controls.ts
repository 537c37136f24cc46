import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Cash limits, supervisor overrides and large-cash alerts (issue 6). The cash-controls module owns
// these tables.
//
// - cash_role_limits: the largest single cash withdrawal each role may pay out without an override
//   (a user's limit is the highest among their roles; a role without a row has no authority).
// - cash_till_maximums: the most cash a till may hold (keyed by till id; no row, no maximum).
// - cash_control_settings: one row, the large-cash (CTR) threshold and the structuring band.
// - cash_override_requests: overrides asked for from the teller's workstation and decided on a
//   supervisor's; single use, bound to the teller, the account, the step and the amount.
// - cash_overrides: every override given, on the movement it allowed (who asked, who gave, why, how).
// - cash_movements: the cash in and out per customer and business day, for the day's aggregate.
// - cash_reports: transactions flagged for a currency transaction report, and structuring warnings.

const MAX_AMOUNT = '1000000000000000';
const amount = (column: string, min = 0) =>
  `${column} bigint not null check (${column} >= ${min} and ${column} <= ${MAX_AMOUNT})`;
const STEP_KINDS = `('deposit', 'withdrawal-initiate')`;
const LIMIT_KINDS = `('role-withdrawal', 'till-maximum')`;

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create table cash_role_limits (
       role text primary key check (length(role) between 1 and 40),
       ${amount('withdrawal_limit')},
       updated_by uuid references staff_users (id),
       updated_at timestamptz not null
     )`,
    // Defaults a bank changes on its Cash limits screen (README, Cash limits).
    `insert into cash_role_limits (role, withdrawal_limit, updated_at) values
       ('teller', 500000, now()), ('head_teller', 2000000, now()), ('back_office', 500000, now()),
       ('supervisor', 5000000, now()), ('admin', 5000000, now())`,
    `create table cash_till_maximums (
       till_id uuid primary key,
       ${amount('maximum', 1)},
       updated_by uuid references staff_users (id),
       updated_at timestamptz not null
     )`,
    `create table cash_control_settings (
       id boolean primary key default true check (id),
       ${amount('ctr_threshold', 1)},
       structuring_band_percent integer not null check (structuring_band_percent between 1 and 50),
       updated_by uuid references staff_users (id),
       updated_at timestamptz not null
     )`,
    `insert into cash_control_settings (ctr_threshold, structuring_band_percent, updated_at)
       values (1000000, 10, now())`,
    `create table cash_override_requests (
       id uuid primary key,
       account_id uuid not null references deposit_accounts (id),
       step_kind text not null check (step_kind in ${STEP_KINDS}),
       limit_kind text not null check (limit_kind in ${LIMIT_KINDS}),
       ${amount('limit_amount')},
       ${amount('amount', 1)},
       ${amount('checked_amount', 1)},
       till_id uuid,
       note text check (length(note) <= 500),
       requested_by uuid not null references staff_users (id),
       workstation text not null check (length(workstation) <= 200),
       business_date date not null,
       requested_at timestamptz not null,
       status text not null default 'pending'
         check (status in ('pending', 'approved', 'refused', 'used')),
       decided_by uuid references staff_users (id),
       decided_at timestamptz,
       decision_reason text check (length(decision_reason) between 1 and 500),
       used_by_movement uuid,
       used_at timestamptz,
       check (decided_by is null or decided_by <> requested_by),
       check ((status = 'pending') = (decided_by is null)),
       check ((status = 'used') = (used_by_movement is not null))
     )`,
    `create index cash_override_requests_open on cash_override_requests (status, business_date)`,
    `create table cash_overrides (
       id uuid primary key,
       movement_id uuid not null,
       step_kind text not null check (step_kind in ${STEP_KINDS}),
       limit_kind text not null check (limit_kind in ${LIMIT_KINDS}),
       ${amount('limit_amount')},
       ${amount('checked_amount', 1)},
       account_id uuid not null references deposit_accounts (id),
       till_id uuid,
       requested_by uuid not null references staff_users (id),
       given_by uuid not null references staff_users (id),
       reason text not null check (length(reason) between 1 and 500),
       how text not null check (how in ('at-workstation', 'remote')),
       request_id uuid unique references cash_override_requests (id),
       workstation text not null check (length(workstation) <= 200),
       business_date date not null,
       at timestamptz not null,
       check (given_by <> requested_by),
       unique (movement_id, step_kind, limit_kind)
     )`,
    `create table cash_movements (
       movement_id uuid primary key,
       step_kind text not null check (step_kind in ${STEP_KINDS}),
       holder_id uuid not null references customers (id),
       account_id uuid not null references deposit_accounts (id),
       direction text not null check (direction in ('in', 'out')),
       ${amount('amount', 1)},
       business_date date not null,
       at timestamptz not null
     )`,
    `create index cash_movements_day on cash_movements (holder_id, business_date)`,
    `create table cash_reports (
       id uuid primary key,
       kind text not null check (kind in ('ctr', 'structuring')),
       business_date date not null,
       holder_id uuid not null references customers (id),
       account_id uuid not null references deposit_accounts (id),
       movement_id uuid not null,
       step_kind text not null check (step_kind in ${STEP_KINDS}),
       direction text not null check (direction in ('in', 'out')),
       ${amount('amount', 1)},
       ${amount('day_cash_in')},
       ${amount('day_cash_out')},
       ${amount('threshold', 1)},
       near_threshold_count integer not null check (near_threshold_count >= 0),
       conductor_name text check (length(conductor_name) between 1 and 200),
       conductor_id_document text check (length(conductor_id_document) <= 100),
       conductor_relationship text check (length(conductor_relationship) <= 100),
       teller_id uuid references staff_users (id),
       workstation text not null check (length(workstation) <= 200),
       at timestamptz not null,
       check (kind <> 'ctr' or conductor_name is not null)
     )`,
    `create unique index cash_reports_ctr on cash_reports (movement_id) where kind = 'ctr'`,
    `create unique index cash_reports_structuring on cash_reports (holder_id, business_date)
       where kind = 'structuring'`,
    `create index cash_reports_day on cash_reports (business_date, kind)`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    `drop table if exists cash_reports`,
    `drop table if exists cash_movements`,
    `drop table if exists cash_overrides`,
    `drop table if exists cash_override_requests`,
    `drop table if exists cash_control_settings`,
    `drop table if exists cash_till_maximums`,
    `drop table if exists cash_role_limits`,
  ]);
