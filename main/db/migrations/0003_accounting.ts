import type { Knex } from 'knex';
import { runStatements } from '../sql';

// The chart of accounts: a tree of codes, each node one ledger account set, and the base
// configuration that says which roots are assets, liabilities, equity, revenue and expenses.

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create table chart_nodes (
       code text primary key check (code ~ '^[0-9A-Za-z]+(\\.[0-9A-Za-z]+)*$' and length(code) <= 60),
       name text not null check (length(name) between 1 and 200),
       parent_code text references chart_nodes (code),
       normal_balance text not null check (normal_balance in ('debit', 'credit')),
       set_id uuid not null unique references ledger_account_sets (id),
       created_at timestamptz not null
     )`,
    `create index chart_nodes_parent on chart_nodes (parent_code)`,
    `create table accounting_config (
       id smallint primary key default 1 check (id = 1),
       base jsonb not null,
       updated_at timestamptz not null
     )`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, ['drop table if exists accounting_config', 'drop table if exists chart_nodes']);
