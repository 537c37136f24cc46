import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Manual journal transactions (DOMAIN 7.4): proposed by one accountant, posted to the ledger only
// when a second person approves. The proposal keeps its lines until then; the ledger keeps the rest.

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create table manual_transactions (
       id uuid primary key,
       status text not null check (status in ('pending_approval', 'posted', 'rejected')),
       effective_date date not null,
       description text not null check (length(description) between 1 and 500),
       lines jsonb not null,
       proposed_by uuid not null references staff_users (id),
       proposed_at timestamptz not null,
       decided_by uuid references staff_users (id),
       decided_at timestamptz,
       decision_reason text,
       ledger_transaction_id uuid references ledger_transactions (id),
       check ((status = 'pending_approval') = (decided_by is null)),
       check ((status = 'posted') = (ledger_transaction_id is not null)),
       -- The four-eyes rule, in the database too.
       check (decided_by is null or decided_by <> proposed_by)
     )`,
    `create index manual_transactions_status on manual_transactions (status, proposed_at desc)`,
  ]);

export const down = (knex: Knex) => runStatements(knex, ['drop table if exists manual_transactions']);
