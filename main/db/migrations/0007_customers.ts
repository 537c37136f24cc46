import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Prospects and customers (DOMAIN 2). A customer keeps its prospect's id: documents and history
// attached while onboarding stay attached after conversion. (Skeleton; the customers module owns it.)

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create extension if not exists pg_trgm`,
    `create table prospects (
       id uuid primary key,
       customer_type text not null check (customer_type in ('individual', 'government-entity',
         'private-company', 'bank', 'financial-institution', 'foreign-agency-or-subsidiary',
         'non-domiciled-company')),
       email text not null,
       full_name text not null,
       stage text not null default 'new',
       created_at timestamptz not null default now()
     )`,
    `create unique index prospects_email on prospects (lower(email))`,
    `create table customers (
       id uuid primary key references prospects (id),
       public_id text not null unique,
       status text not null default 'active' check (status in ('active', 'frozen', 'closed')),
       created_at timestamptz not null default now()
     )`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, ['drop table if exists customers', 'drop table if exists prospects']);
