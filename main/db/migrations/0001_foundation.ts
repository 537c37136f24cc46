import type { Knex } from 'knex';
import { runStatements } from '../sql';

// The foundation: the bank's profile and settings, staff access, the command log behind
// idempotency, and the tamper-evident audit log.

const ZERO_HASH = '0'.repeat(64);

/** An audit record's digest over every field (argument `a`); migration 0016 reuses it in PL/pgSQL. */
export const AUDIT_RECORD_DIGEST = `encode(sha256(convert_to(concat_ws(chr(31),
         a.prev_hash, a.id::text, a.workstation, a.seq::text,
         to_char(a.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
         coalesce(a.business_date::text, ''), a.subject_type, coalesce(a.actor_id::text, ''),
         coalesce(a.actor_username, ''), a.actor_roles::text, a.action, coalesce(a.object_type, ''),
         a.object_ids::text, a.outcome, coalesce(a.command_id::text, ''), a.metadata::text
       ), 'UTF8')), 'hex')`;

/** A seal's digest (argument `s`); migration 0016 reuses it in PL/pgSQL. */
export const AUDIT_SEAL_DIGEST = `encode(sha256(convert_to(concat_ws(chr(31),
         s.prev_hash, s.id::text,
         to_char(s.sealed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
         s.record_count::text, s.heads::text
       ), 'UTF8')), 'hex')`;

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create table bank (
       id smallint primary key default 1 check (id = 1),
       name text not null check (length(name) between 1 and 120),
       base_currency char(3) not null default 'USD',
       business_date date not null,
       time_zone text not null default 'UTC',
       created_at timestamptz not null
     )`,
    `create table bank_settings (
       key text primary key,
       value jsonb not null,
       updated_at timestamptz not null,
       updated_by uuid
     )`,
    `create table staff_users (
       id uuid primary key,
       username text not null check (username ~ '^[a-zA-Z0-9._-]{1,64}$'),
       full_name text not null check (length(full_name) between 1 and 120),
       password_hash text not null,
       status text not null default 'active' check (status in ('active', 'disabled')),
       must_change_password boolean not null default false,
       created_at timestamptz not null,
       updated_at timestamptz not null,
       last_login_at timestamptz,
       password_changed_at timestamptz
     )`,
    `create unique index staff_users_username_key on staff_users (lower(username))`,
    `create table staff_user_roles (
       user_id uuid not null references staff_users (id),
       role text not null check (role in ('teller','head_teller','back_office','supervisor','accountant','auditor','admin')),
       primary key (user_id, role)
     )`,
    // Keyed by the username typed, so unknown usernames are throttled as well as known ones.
    `create table login_throttle (
       username_key text primary key,
       failures integer not null,
       last_failure_at timestamptz not null,
       blocked_until timestamptz
     )`,
    // One row per accepted command: the first result is returned to any retry with the same id.
    // Only hashes of the payload are kept: commands may carry passwords.
    `create table command_log (
       command_id uuid primary key,
       procedure text not null,
       actor_id uuid,
       payload_hash text not null,
       field_hashes jsonb not null,
       result jsonb,
       created_at timestamptz not null
     )`,
    `create table audit_chain_heads (
       workstation text primary key,
       seq bigint not null,
       hash text not null
     )`,
    `create table audit_log (
       id bigserial primary key,
       workstation text not null check (length(workstation) between 1 and 120),
       seq bigint not null,
       occurred_at timestamptz not null,
       business_date date,
       subject_type text not null check (subject_type in ('User', 'System')),
       actor_id uuid,
       actor_username text,
       actor_roles text[] not null default '{}',
       action text not null,
       object_type text,
       object_ids text[] not null default '{}',
       outcome text not null check (outcome in ('Success', 'Failure', 'Denied')),
       command_id uuid,
       metadata jsonb not null default '{}',
       prev_hash text not null,
       hash text not null,
       unique (workstation, seq)
     )`,
    `create index audit_log_occurred_at on audit_log (occurred_at)`,
    `create index audit_log_actor on audit_log (lower(actor_username), id)`,
    `create index audit_log_action on audit_log (action, id)`,
    `create table audit_seals (
       id bigserial primary key,
       sealed_at timestamptz not null,
       heads jsonb not null,
       record_count bigint not null,
       prev_hash text not null,
       hash text not null
     )`,
    // The record's digest: every field, in a fixed order, chained to the previous record of the
    // same workstation. jsonb and array text forms are canonical, so the digest is deterministic.
    `create function audit_record_hash(a audit_log) returns text
     language sql immutable as $$
       select ${AUDIT_RECORD_DIGEST}
     $$`,
    // A seal commits to every workstation's chain head at one moment, chained to the seal before.
    `create function audit_seal_hash(s audit_seals) returns text
     language sql immutable as $$
       select ${AUDIT_SEAL_DIGEST}
     $$`,
    // Chains each record to its workstation's previous one. The head row is the only lock taken:
    // workstations never wait for each other, and one workstation's records commit in seq order.
    `create function audit_log_chain() returns trigger language plpgsql as $$
     declare
       head_seq bigint;
       head_hash text;
     begin
       insert into audit_chain_heads as h (workstation, seq, hash)
         values (new.workstation, 1, '${ZERO_HASH}')
         on conflict (workstation) do update set seq = h.seq + 1
         returning seq, hash into head_seq, head_hash;
       new.seq := head_seq;
       new.prev_hash := head_hash;
       new.hash := audit_record_hash(new);
       update audit_chain_heads set hash = new.hash where workstation = new.workstation;
       return new;
     end $$`,
    `create function audit_seal_chain() returns trigger language plpgsql as $$
     begin
       perform pg_advisory_xact_lock(hashtext('audit_seal'));
       select hash into new.prev_hash from audit_seals order by id desc limit 1;
       new.prev_hash := coalesce(new.prev_hash, '${ZERO_HASH}');
       new.hash := audit_seal_hash(new);
       return new;
     end $$`,
    `create trigger audit_seal_chain before insert on audit_seals for each row execute function audit_seal_chain()`,
    `create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain()`,
    `create function refuse_change() returns trigger language plpgsql as $$
     begin
       raise exception 'table % is append-only', tg_table_name using errcode = 'P0001';
     end $$`,
    `create trigger audit_log_append_only before update or delete on audit_log
       for each row execute function refuse_change()`,
    `create trigger audit_log_no_truncate before truncate on audit_log
       for each statement execute function refuse_change()`,
    `create trigger audit_seals_append_only before update or delete on audit_seals
       for each row execute function refuse_change()`,
    `create trigger audit_seals_no_truncate before truncate on audit_seals
       for each statement execute function refuse_change()`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    'drop table if exists audit_seals',
    'drop table if exists audit_log',
    'drop function if exists audit_log_chain',
    'drop function if exists audit_record_hash',
    'drop function if exists audit_seal_hash',
    'drop function if exists audit_seal_chain',
    'drop function if exists refuse_change',
    'drop table if exists audit_chain_heads',
    'drop table if exists command_log',
    'drop table if exists login_throttle',
    'drop table if exists staff_user_roles',
    'drop table if exists staff_users',
    'drop table if exists bank_settings',
    'drop table if exists bank',
  ]);
