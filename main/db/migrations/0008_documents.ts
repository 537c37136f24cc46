import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Customer documents (DOMAIN 3). The record in customer_documents; the bytes behind the storage
// interface (main/modules/documents/storage.ts), by default in customer_document_chunks, 1 MiB per
// row, keyed by the object key documents/customer_document/{id}{extension}. Uploads arrive in parts
// and become a document in one command (the commit).

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create table customer_documents (
       id uuid primary key,
       holder_id uuid not null references prospects (id),
       status text not null check (status in ('new', 'active', 'failed', 'archived', 'deleted')),
       original_name text not null check (length(original_name) between 1 and 255),
       sanitized_name text not null,
       content_type text,
       size_bytes bigint not null check (size_bytes >= 0),
       sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
       object_key text,
       failure_code text,
       failure_params jsonb,
       uploaded_by uuid not null references staff_users (id),
       created_at timestamptz not null,
       updated_at timestamptz not null,
       archived_at timestamptz,
       archived_by uuid references staff_users (id),
       deleted_at timestamptz,
       deleted_by uuid references staff_users (id),
       delete_reason text,
       check ((status = 'deleted') = (deleted_at is not null)),
       check (status <> 'failed' or failure_code is not null),
       check (status not in ('active', 'archived') or (object_key is not null and content_type is not null))
     )`,
    `create index customer_documents_holder on customer_documents (holder_id, created_at desc)`,
    // The same content is attached to a holder once (a second workstation racing is refused here).
    `create unique index customer_documents_same_content on customer_documents (holder_id, sha256)
       where status in ('active', 'archived')`,
    // The default object store: the bytes of one object in fixed-size rows.
    `create table customer_document_chunks (
       object_key text not null,
       idx integer not null check (idx >= 0),
       data bytea not null,
       primary key (object_key, idx)
     )`,
    // Stored out of line and never compressed: documents are mostly compressed already (PDF, JPEG,
    // PNG), so trying costs CPU on every write for nothing (measured: about half of PGlite's write time).
    `alter table customer_document_chunks alter column data set storage external`,
    // Uploads in flight, by their uploader: their parts wait in the store under a staging key
    // (storage.ts) until the commit completes or drops them; uploads never committed are dropped by age.
    `create table customer_document_uploads (
       id uuid primary key,
       holder_id uuid not null references prospects (id),
       owner_id uuid not null references staff_users (id),
       file_name text not null,
       size_bytes bigint not null check (size_bytes > 0),
       sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
       chunk_size integer not null check (chunk_size > 0),
       created_at timestamptz not null
     )`,
    `create index customer_document_uploads_age on customer_document_uploads (created_at)`,
    // Bank-wide document settings: one row, absent until an administrator changes a default.
    `create table customer_document_settings (
       id smallint primary key default 1 check (id = 1),
       max_file_bytes bigint not null check (max_file_bytes > 0),
       allowed_types text[] not null,
       updated_at timestamptz not null,
       updated_by uuid references staff_users (id)
     )`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    'drop table if exists customer_document_settings',
    'drop table if exists customer_document_uploads',
    'drop table if exists customer_document_chunks',
    'drop table if exists customer_documents',
  ]);
