import type { Knex } from 'knex';
import { runStatements } from '../sql';

// The double-entry ledger. Its guarantees live here, in the database, so that no service bug and
// no second workstation can break them: append-only history, balanced transactions (checked at
// commit), overdraft prevention under the balance row's lock, locked accounts, period and fiscal-
// year gates, and idempotent posting. Error codes BK0xx are mapped to typed errors by main/ledger.

// The heart: every entry, however it is inserted, passes here. Exported for 0015, which changes how
// a hot account's shard is chosen and, going down, puts this one back.
export const LEDGER_APPLY_ENTRY = `create function ledger_apply_entry() returns trigger language plpgsql as $$
     declare
       acct record;
       dr bigint := case when new.direction = 'debit' then new.amount else 0 end;
       cr bigint := case when new.direction = 'credit' then new.amount else 0 end;
       available bigint;
     begin
       select locked, currency, shards into acct from ledger_accounts where id = new.account_id;
       if acct.locked then
         raise exception using errcode = 'BK001', message = 'ACCOUNT_LOCKED', detail = new.account_id::text;
       end if;
       if acct.currency <> new.currency then
         raise exception using errcode = 'BK002', message = 'CURRENCY_MISMATCH', detail = new.account_id::text;
       end if;
       perform ledger_assert_open(new.effective_date);
       -- One shard per account and transaction: entries of one posting lock in a stable order.
       new.shard := case when acct.shards > 1 then abs(hashtext(new.transaction_id::text)) % acct.shards else 0 end;
       update ledger_balances b
          set debit = b.debit + dr, credit = b.credit + cr, version = b.version + 1
        where b.account_id = new.account_id and b.currency = new.currency and b.layer = new.layer
          and b.shard = new.shard
          and (not b.prevent_overdraft or b.layer <> 'settled'
               or (case when b.normal_balance = 'credit' then (b.credit + cr) - (b.debit + dr)
                        else (b.debit + dr) - (b.credit + cr) end) >= 0)
       returning case when b.normal_balance = 'credit' then b.credit - b.debit else b.debit - b.credit end,
                 b.version
         into new.balance_after, new.version;
       if not found then
         select case when normal_balance = 'credit' then credit - debit else debit - credit end
           into available from ledger_balances
          where account_id = new.account_id and currency = new.currency and layer = new.layer and shard = new.shard;
         raise exception using errcode = 'BK010', message = 'INSUFFICIENT_FUNDS',
           detail = new.account_id::text || ' ' || coalesce(available, 0)::text;
       end if;
       insert into ledger_daily as d (account_id, currency, layer, effective_date, shard, debit, credit)
         values (new.account_id, new.currency, new.layer, new.effective_date, new.shard, dr, cr)
         on conflict (account_id, currency, layer, effective_date, shard)
         do update set debit = d.debit + excluded.debit, credit = d.credit + excluded.credit;
       return new;
     end $$`;

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create table ledger_accounts (
       id uuid primary key,
       code text not null unique check (length(code) between 1 and 120),
       name text not null check (length(name) between 1 and 200),
       normal_balance text not null check (normal_balance in ('debit', 'credit')),
       currency char(3) not null check (currency in ('USD', 'BTC')),
       locked boolean not null default false,
       prevent_overdraft boolean not null default false,
       -- A hot account (omnibus, till, income) spreads its balance over several rows summed at read
       -- time, so concurrent postings do not queue on one row. An overdraft check needs one row.
       shards smallint not null default 1 check (shards between 1 and 64),
       metadata jsonb not null default '{}',
       created_at timestamptz not null,
       check (not prevent_overdraft or shards = 1)
     )`,
    `create table ledger_account_sets (
       id uuid primary key,
       code text not null unique check (length(code) between 1 and 120),
       name text not null check (length(name) between 1 and 200),
       normal_balance text not null check (normal_balance in ('debit', 'credit')),
       created_at timestamptz not null
     )`,
    `create table ledger_set_members (
       set_id uuid not null references ledger_account_sets (id),
       account_id uuid references ledger_accounts (id),
       child_set_id uuid references ledger_account_sets (id),
       check (num_nonnulls(account_id, child_set_id) = 1),
       check (child_set_id is distinct from set_id)
     )`,
    `create unique index ledger_set_members_account on ledger_set_members (set_id, account_id) where account_id is not null`,
    `create unique index ledger_set_members_child on ledger_set_members (set_id, child_set_id) where child_set_id is not null`,
    `create index ledger_set_members_by_account on ledger_set_members (account_id)`,
    `create index ledger_set_members_by_child on ledger_set_members (child_set_id)`,
    // Sets form a tree-like graph; a cycle would make every aggregate infinite.
    `create function ledger_refuse_set_cycle() returns trigger language plpgsql as $$
     begin
       if new.child_set_id is not null and exists (
         with recursive below(id) as (
           select new.child_set_id
           union
           select m.child_set_id from ledger_set_members m join below b on m.set_id = b.id
            where m.child_set_id is not null)
         select 1 from below where id = new.set_id) then
         raise exception using errcode = 'BK020', message = 'SET_CYCLE', detail = new.set_id::text;
       end if;
       return new;
     end $$`,
    `create trigger ledger_set_members_no_cycle before insert or update on ledger_set_members
       for each row execute function ledger_refuse_set_cycle()`,

    // The calendar: fiscal years and the last closed month. Postings take a shared advisory lock
    // before reading it and closing takes the exclusive one, so no posting slips into a month
    // while it is being closed.
    `create table ledger_fiscal_years (
       id uuid primary key,
       starts_on date not null unique,
       ends_on date not null check (ends_on > starts_on),
       closed_at timestamptz,
       closing_transaction_id uuid,
       created_at timestamptz not null
     )`,
    `create table ledger_calendar (
       id smallint primary key default 1 check (id = 1),
       month_closed_as_of date
     )`,
    `insert into ledger_calendar (id) values (1)`,
    `create function ledger_assert_open(d date) returns void language plpgsql as $$
     declare
       closed date;
     begin
       perform pg_advisory_xact_lock_shared(hashtext('ledger_period'));
       select month_closed_as_of into closed from ledger_calendar where id = 1;
       if closed is not null and d <= closed then
         raise exception using errcode = 'BK003', message = 'PERIOD_CLOSED', detail = closed::text;
       end if;
       if not exists (select 1 from ledger_fiscal_years where d between starts_on and ends_on) then
         raise exception using errcode = 'BK004', message = 'NO_OPEN_FISCAL_YEAR', detail = d::text;
       end if;
     end $$`,

    `create table ledger_transactions (
       id uuid primary key,
       idempotency_key text not null unique check (length(idempotency_key) between 1 and 200),
       payload_hash text not null,
       template_code text not null,
       effective_date date not null,
       description text not null default '' check (length(description) <= 500),
       metadata jsonb not null default '{}',
       entry_count smallint not null check (entry_count between 2 and 500),
       recorded_at timestamptz not null
     )`,
    `create index ledger_transactions_effective on ledger_transactions (effective_date, recorded_at)`,
    `create table ledger_entries (
       id bigint generated always as identity primary key,
       transaction_id uuid not null references ledger_transactions (id),
       seq smallint not null,
       account_id uuid not null references ledger_accounts (id),
       currency char(3) not null,
       layer text not null check (layer in ('settled', 'pending')),
       direction text not null check (direction in ('debit', 'credit')),
       amount bigint not null check (amount > 0 and amount <= 1000000000000000),
       effective_date date not null,
       shard smallint not null default 0,
       -- Filled in by the ledger itself: the balance of the account (its shard) after this entry,
       -- signed by its normal side, and the balance row's version.
       balance_after bigint,
       version bigint,
       unique (transaction_id, seq)
     )`,
    `create index ledger_entries_by_account on ledger_entries (account_id, id desc)`,
    `create index ledger_entries_by_account_date on ledger_entries (account_id, effective_date)`,

    `create table ledger_balances (
       account_id uuid not null references ledger_accounts (id),
       currency char(3) not null,
       layer text not null check (layer in ('settled', 'pending')),
       shard smallint not null,
       normal_balance text not null,
       prevent_overdraft boolean not null,
       debit bigint not null default 0,
       credit bigint not null default 0,
       version bigint not null default 0,
       primary key (account_id, currency, layer, shard),
       constraint ledger_no_overdraft check (
         not prevent_overdraft or layer <> 'settled'
         or (case when normal_balance = 'credit' then credit - debit else debit - credit end) >= 0)
     )`,
    // Movements per account and effective date: a balance as of any date is an indexed sum.
    `create table ledger_daily (
       account_id uuid not null,
       currency char(3) not null,
       layer text not null,
       effective_date date not null,
       shard smallint not null,
       debit bigint not null default 0,
       credit bigint not null default 0,
       primary key (account_id, currency, layer, effective_date, shard)
     )`,
    `create index ledger_daily_by_date on ledger_daily (effective_date)`,

    // Every account has its balance rows from birth, so posting only ever updates.
    `create function ledger_account_rows() returns trigger language plpgsql as $$
     begin
       insert into ledger_balances (account_id, currency, layer, shard, normal_balance, prevent_overdraft)
       select new.id, new.currency, l.layer, s.shard, new.normal_balance, new.prevent_overdraft
         from (values ('settled'), ('pending')) l(layer), generate_series(0, new.shards - 1) s(shard);
       return new;
     end $$`,
    `create trigger ledger_accounts_rows after insert on ledger_accounts
       for each row execute function ledger_account_rows()`,
    // The identity of an account is fixed; only its flags move.
    `create function ledger_account_update() returns trigger language plpgsql as $$
     begin
       if new.id <> old.id or new.currency <> old.currency or new.normal_balance <> old.normal_balance
          or new.shards <> old.shards then
         raise exception using errcode = 'BK021', message = 'ACCOUNT_IMMUTABLE', detail = old.id::text;
       end if;
       if new.prevent_overdraft <> old.prevent_overdraft then
         update ledger_balances set prevent_overdraft = new.prevent_overdraft where account_id = new.id;
       end if;
       return new;
     end $$`,
    `create trigger ledger_accounts_update before update on ledger_accounts
       for each row execute function ledger_account_update()`,
    `create trigger ledger_accounts_no_delete before delete on ledger_accounts
       for each row execute function refuse_change()`,

    LEDGER_APPLY_ENTRY,
    `create trigger ledger_entries_apply before insert on ledger_entries
       for each row execute function ledger_apply_entry()`,

    // Checked at commit, for every transaction that got entries: debits equal credits per currency
    // and layer, the entry count is what the transaction declared, and dates agree.
    `create function ledger_check_transaction() returns trigger language plpgsql as $$
     declare
       tx_id uuid;
       tx record;
       n integer;
     begin
       if tg_table_name = 'ledger_entries' then
         tx_id := new.transaction_id;
         -- Entries of a transaction created in this database transaction are checked once, by the
         -- transaction's own trigger; this one catches entries appended to an older transaction.
         if exists (select 1 from ledger_transactions t where t.id = tx_id
                     and t.xmin::text::bigint = txid_current() % 4294967296) then
           return null;
         end if;
       else
         tx_id := new.id;
       end if;
       select entry_count, effective_date into tx from ledger_transactions where id = tx_id;
       select count(*) into n from ledger_entries where transaction_id = tx_id;
       if n <> tx.entry_count then
         raise exception using errcode = 'BK011', message = 'UNBALANCED_TRANSACTION', detail = tx_id::text;
       end if;
       if exists (select 1 from ledger_entries where transaction_id = tx_id and effective_date <> tx.effective_date) then
         raise exception using errcode = 'BK011', message = 'UNBALANCED_TRANSACTION', detail = tx_id::text;
       end if;
       if exists (
         select 1 from ledger_entries where transaction_id = tx_id
          group by currency, layer
         having sum(case when direction = 'debit' then amount else -amount end) <> 0) then
         raise exception using errcode = 'BK011', message = 'UNBALANCED_TRANSACTION', detail = tx_id::text;
       end if;
       return null;
     end $$`,
    `create constraint trigger ledger_transactions_balanced after insert on ledger_transactions
       deferrable initially deferred for each row execute function ledger_check_transaction()`,
    `create constraint trigger ledger_entries_balanced after insert on ledger_entries
       deferrable initially deferred for each row execute function ledger_check_transaction()`,

    // History is never rewritten: corrections are new postings.
    `create trigger ledger_transactions_append_only before update or delete on ledger_transactions
       for each row execute function refuse_change()`,
    `create trigger ledger_entries_append_only before update or delete on ledger_entries
       for each row execute function refuse_change()`,
    `create trigger ledger_transactions_no_truncate before truncate on ledger_transactions
       for each statement execute function refuse_change()`,
    `create trigger ledger_entries_no_truncate before truncate on ledger_entries
       for each statement execute function refuse_change()`,
    // Balances and daily movements are written only by the ledger's own triggers, never directly.
    `create function ledger_balance_guard() returns trigger language plpgsql as $$
     begin
       if pg_trigger_depth() < 2 then
         raise exception using errcode = 'BK022', message = 'BALANCE_WRITE_REFUSED', detail = tg_table_name;
       end if;
       return case when tg_op = 'DELETE' then old else new end;
     end $$`,
    `create trigger ledger_balances_guard before insert or update or delete on ledger_balances
       for each row execute function ledger_balance_guard()`,
    `create trigger ledger_daily_guard before insert or update or delete on ledger_daily
       for each row execute function ledger_balance_guard()`,
    `create trigger ledger_balances_no_truncate before truncate on ledger_balances
       for each statement execute function refuse_change()`,
    `create trigger ledger_daily_no_truncate before truncate on ledger_daily
       for each statement execute function refuse_change()`,

    // One round trip per posting: the transaction, then its entries in canonical lock order.
    // Returns the transaction id and whether it was already posted (same key, same payload).
    `create function ledger_post(
       p_id uuid, p_key text, p_hash text, p_template text, p_date date, p_description text,
       p_metadata jsonb, p_recorded_at timestamptz, p_entries jsonb)
     returns table (transaction_id uuid, replayed boolean) language plpgsql as $$
     declare
       existing record;
     begin
       insert into ledger_transactions (id, idempotency_key, payload_hash, template_code, effective_date,
                                        description, metadata, entry_count, recorded_at)
       values (p_id, p_key, p_hash, p_template, p_date, p_description, p_metadata,
               jsonb_array_length(p_entries), p_recorded_at)
       on conflict (idempotency_key) do nothing;
       if not found then
         select t.id, t.payload_hash into existing from ledger_transactions t where t.idempotency_key = p_key;
         if existing.payload_hash <> p_hash then
           raise exception using errcode = 'BK005', message = 'IDEMPOTENCY_KEY_REUSED', detail = p_key;
         end if;
         return query select existing.id, true;
         return;
       end if;
       insert into ledger_entries (transaction_id, seq, account_id, currency, layer, direction, amount, effective_date)
       select p_id, e.seq, e.account_id, e.currency, e.layer, e.direction, e.amount, p_date
         from jsonb_to_recordset(p_entries)
              as e(seq smallint, account_id uuid, currency char(3), layer text, direction text, amount bigint)
        order by e.account_id, e.currency, e.layer, e.seq;
       return query select p_id, false;
     end $$`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    'drop function if exists ledger_post',
    'drop table if exists ledger_entries',
    'drop table if exists ledger_transactions',
    'drop table if exists ledger_daily',
    'drop table if exists ledger_balances',
    'drop table if exists ledger_set_members',
    'drop table if exists ledger_account_sets',
    'drop table if exists ledger_accounts',
    'drop table if exists ledger_calendar',
    'drop table if exists ledger_fiscal_years',
    'drop function if exists ledger_apply_entry',
    'drop function if exists ledger_check_transaction',
    'drop function if exists ledger_assert_open',
    'drop function if exists ledger_account_rows',
    'drop function if exists ledger_account_update',
    'drop function if exists ledger_refuse_set_cycle',
    'drop function if exists ledger_balance_guard',
  ]);
