import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Prospects and customers (DOMAIN 2). A customer keeps its prospect's id: documents and history
// attached while onboarding stay attached after conversion. The customers module owns these tables.
//
// Search (customer.search, prospect.list) is served by indexes only:
//   - names: trigram similarity over the distinct name words, then a GIN index on name tokens;
//   - email prefixes: lower(email) in the C collation (a LIKE 'abc%' range scan, in index order);
//   - public ids and identity document numbers: normalized keys with btree indexes;
//   - phone numbers: digits only, trigram GIN for "contains".

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create extension if not exists pg_trgm`,
    `create sequence prospect_public_id_seq`,
    `create sequence customer_public_id_seq`,
    `create table prospects (
       id uuid primary key,
       public_id text not null unique
         default ('P-' || lpad(nextval('prospect_public_id_seq')::text, 6, '0')),
       customer_type text not null check (customer_type in ('individual', 'government-entity',
         'private-company', 'bank', 'financial-institution', 'foreign-agency-or-subsidiary',
         'non-domiciled-company')),
       email text not null,
       telegram_id text,
       full_name text not null,
       born_or_registered_on date,
       phone text,
       phone_digits text generated always as (nullif(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), '')) stored,
       address text,
       id_document_type text check (id_document_type in ('passport', 'national_id', 'driving_license',
         'residence_permit', 'company_registration', 'tax_id', 'other')),
       id_document_number text,
       name_tokens text[] generated always as
         (array_remove(regexp_split_to_array(lower(full_name), '[^[:alnum:]]+'), '')) stored,
       id_document_key text generated always as
         (nullif(upper(regexp_replace(coalesce(id_document_number, ''), '[^A-Za-z0-9]', '', 'g')), '')) stored,
       stage text not null default 'new' check (stage in ('new', 'kyc_started', 'kyc_pending',
         'kyc_declined', 'converted', 'closed')),
       kyc_status text not null default 'not_started'
         check (kyc_status in ('not_started', 'pending', 'verified', 'rejected')),
       kyc_level text not null default 'none' check (kyc_level in ('none', 'basic')),
       kyc_applicant_id text,
       close_reason text,
       created_by uuid,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now()
     )`,
    `create unique index prospects_email on prospects (lower(email))`,
    `create unique index prospects_telegram on prospects (lower(telegram_id)) where telegram_id is not null`,
    `create index prospects_email_prefix on prospects ((lower(email) collate "C"))`,
    // GIN indexes without a pending list (fastupdate off): every search would scan that list, and
    // the embedded database has no autovacuum to flush it. Customers are not inserted fast enough
    // for the batching to matter.
    `create index prospects_name_tokens on prospects using gin (name_tokens) with (fastupdate = off)`,
    // Typo-tolerant names, the way pg_trgm's documentation advises: trigram similarity over the
    // (few) distinct words of all names, then the names containing those words through the GIN
    // index on name_tokens. Kept by a statement trigger, so bulk inserts pay once per statement.
    `create table customer_name_words (word text primary key)`,
    `create index customer_name_words_trgm on customer_name_words using gin (word gin_trgm_ops) with (fastupdate = off)`,
    `create index customer_name_words_prefix on customer_name_words (word text_pattern_ops)`,
    `create function customer_name_words_add() returns trigger language plpgsql as $$
     begin
       insert into customer_name_words (word)
         select distinct w from new_rows, unnest(new_rows.name_tokens) w where length(w) >= 2
         on conflict do nothing;
       return null;
     end $$`,
    `create trigger prospects_name_words_insert after insert on prospects
       referencing new table as new_rows for each statement execute function customer_name_words_add()`,
    `create trigger prospects_name_words_update after update on prospects
       referencing new table as new_rows for each statement execute function customer_name_words_add()`,
    `create index prospects_phone_trgm on prospects using gin (phone_digits gin_trgm_ops) with (fastupdate = off)`,
    `create index prospects_id_document on prospects ((id_document_key collate "C"))`,
    `create index prospects_stage_created on prospects (stage, created_at desc)`,
    `create index prospects_created on prospects (created_at desc)`,
    `create table customers (
       id uuid primary key references prospects (id),
       public_id text not null unique,
       status text not null default 'active' check (status in ('active', 'frozen', 'closed')),
       converted_with text not null default 'kyc' check (converted_with in ('kyc', 'manual')),
       conversion_reason text,
       converted_by uuid,
       status_reason text,
       status_changed_at timestamptz,
       deposit_account_requested_at timestamptz,
       created_at timestamptz not null default now()
     )`,
    // Verification decisions, from the desk (the verifying officer) or from the remote provider.
    `create table kyc_reviews (
       id uuid primary key,
       prospect_id uuid not null references prospects (id),
       source text not null check (source in ('desk', 'provider')),
       outcome text not null check (outcome in ('approved', 'declined')),
       reasons text[] not null default '{}',
       comment text,
       decided_by uuid,
       decided_at timestamptz not null,
       check (outcome = 'approved' or cardinality(reasons) > 0)
     )`,
    `create index kyc_reviews_prospect on kyc_reviews (prospect_id, decided_at desc)`,
    // Provider callbacks applied: each (callback id, time) once.
    `create table kyc_callbacks (
       callback_id text not null,
       callback_at text not null,
       type text not null,
       applicant_id text,
       prospect_id uuid references prospects (id),
       effect text not null,
       payload jsonb not null,
       applied_at timestamptz not null,
       primary key (callback_id, callback_at)
     )`,
    // The customer page lists the audit records naming a customer.
    `create index audit_log_object_ids on audit_log using gin (object_ids) with (fastupdate = off)`,
    // … and the records about its documents, which name the document and carry the holder's id.
    `create index audit_log_holder on audit_log ((metadata ->> 'holderId')) where (metadata ->> 'holderId') is not null`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    'drop index if exists audit_log_holder',
    'drop index if exists audit_log_object_ids',
    'drop table if exists kyc_callbacks',
    'drop table if exists customer_name_words',
    'drop table if exists kyc_reviews',
    'drop table if exists customers',
    'drop table if exists prospects',
    'drop sequence if exists customer_public_id_seq',
    'drop sequence if exists prospect_public_id_seq',
    'drop function if exists customer_name_words_add()',
  ]);
