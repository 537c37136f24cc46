import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Governance (DOMAIN 5): committees, policies with amount tiers, approval processes and votes.
// The governance module owns these tables.
//
// - A policy per process type (registered here, idempotently) holds ordered tiers: "up to X" rows
//   and one final unbounded row, so tiers are contiguous by construction. A tier either approves at
//   once (committee_id null) or names a committee and a threshold.
// - A process snapshots the rule of the tier that applied (committee and threshold, never the
//   members); membership is read whenever the process is evaluated.
// - One vote per member and process, final: a unique key, and no UPDATE or DELETE (trigger).

const PROCESS_TYPES = ['withdraw', 'disbursal', 'credit-facility-proposal'] as const;

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create table governance_committees (
       id uuid primary key,
       name text not null check (length(name) between 1 and 120),
       created_by uuid references staff_users (id),
       created_at timestamptz not null
     )`,
    `create unique index governance_committees_name on governance_committees (lower(name))`,
    `create table governance_committee_members (
       committee_id uuid not null references governance_committees (id),
       user_id uuid not null references staff_users (id),
       added_by uuid references staff_users (id),
       added_at timestamptz not null,
       primary key (committee_id, user_id)
     )`,
    `create index governance_members_user on governance_committee_members (user_id)`,
    `create table governance_policies (
       process_type text primary key,
       currency text not null default 'USD' check (currency in ('USD', 'BTC')),
       updated_by uuid references staff_users (id),
       updated_at timestamptz not null
     )`,
    `create table governance_policy_tiers (
       process_type text not null references governance_policies (process_type),
       position integer not null check (position >= 0),
       up_to bigint check (up_to > 0),
       committee_id uuid references governance_committees (id),
       threshold integer check (threshold >= 1),
       primary key (process_type, position),
       check ((committee_id is null) = (threshold is null))
     )`,
    `create table governance_processes (
       id uuid primary key,
       process_type text not null references governance_policies (process_type),
       status text not null check (status in ('in_progress', 'approved', 'denied')),
       amount bigint check (amount > 0),
       currency text check (currency in ('USD', 'BTC')),
       target_kind text not null check (length(target_kind) between 1 and 60),
       target_id text not null check (length(target_id) between 1 and 120),
       initiated_by uuid references staff_users (id),
       -- json, not jsonb: the summary keeps the order its module gave (a definition list).
       summary json not null default '{}',
       rule text not null check (rule in ('auto', 'committee')),
       tier_position integer not null,
       tier_up_to bigint,
       committee_id uuid references governance_committees (id),
       threshold integer check (threshold >= 1),
       started_at timestamptz not null,
       concluded_at timestamptz,
       conclusion text check (conclusion in ('auto_approved', 'threshold_reached', 'denied_by_vote',
         'threshold_unreachable')),
       -- Who was a member, and how many approvals counted, when it concluded: the record of why.
       final_members text[],
       final_approvals integer,
       check ((rule = 'committee') = (committee_id is not null)),
       check ((committee_id is null) = (threshold is null)),
       check ((status = 'in_progress') = (concluded_at is null)),
       check ((status = 'in_progress') = (conclusion is null)),
       unique (process_type, target_kind, target_id)
     )`,
    `create index governance_processes_open on governance_processes (committee_id) where status = 'in_progress'`,
    `create index governance_processes_started on governance_processes (started_at desc)`,
    `create index governance_processes_concluded on governance_processes (concluded_at desc)
       where concluded_at is not null`,
    `create table governance_votes (
       id uuid primary key,
       seq bigint generated always as identity,
       process_id uuid not null references governance_processes (id),
       voter_id uuid not null references staff_users (id),
       decision text not null check (decision in ('approve', 'deny')),
       reason text check (reason is null or length(reason) between 1 and 500),
       workstation text not null,
       channel text not null default 'online' check (channel in ('online', 'queued')),
       command_id uuid,
       voted_at timestamptz not null,
       unique (process_id, voter_id),
       check (decision = 'approve' or reason is not null)
     )`,
    `create index governance_votes_voter on governance_votes (voter_id)`,
    // Votes are final: a cast vote is never changed or withdrawn, not even by plain SQL.
    `create function governance_votes_final() returns trigger language plpgsql as $$
     begin
       raise exception 'governance votes are final' using errcode = 'BK100';
     end $$`,
    `create trigger governance_votes_final before update or delete on governance_votes
       for each row execute function governance_votes_final()`,
    // Every process type starts on AutoApprove (DOMAIN 5.1); registering again changes nothing.
    ...PROCESS_TYPES.map(
      (t) => `insert into governance_policies (process_type, currency, updated_at)
                values ('${t}', 'USD', now()) on conflict (process_type) do nothing`,
    ),
    ...PROCESS_TYPES.map(
      (t) => `insert into governance_policy_tiers (process_type, position, up_to, committee_id, threshold)
                values ('${t}', 0, null, null, null) on conflict do nothing`,
    ),
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    'drop table if exists governance_votes',
    'drop function if exists governance_votes_final',
    'drop table if exists governance_processes',
    'drop table if exists governance_policy_tiers',
    'drop table if exists governance_policies',
    'drop table if exists governance_committee_members',
    'drop table if exists governance_committees',
  ]);
