import type { Knex } from 'knex';
import { runStatements } from '../sql';
import { LEDGER_APPLY_ENTRY } from './0002_ledger';

// A hot account's entry goes to a shard no other open transaction holds. Until now the shard came
// from the transaction id's hash alone, so two of sixteen concurrent deposits met on one of the
// omnibus's 64 shards about one time in five, and the second waited for the first's whole
// transaction (its journal line, audit record and commit). Now the hashed shard is only where the
// search starts: the first shard not locked by another transaction wins, and a writer waits only
// when every shard is held. A transaction never skips its own locks, so its entries can share a
// shard. Accounts with one shard (every overdraft-prevented account) are untouched.

const HASHED =
  'new.shard := case when acct.shards > 1 then abs(hashtext(new.transaction_id::text)) % acct.shards else 0 end;';
const FREE =
  'new.shard := case when acct.shards > 1 then ledger_free_shard(new.account_id, new.currency, new.layer, new.transaction_id, acct.shards) else 0 end;';

function replaced(sql: string, from: string, to: string): string {
  if (!sql.includes(from)) throw new Error('0015: the shard choice of ledger_apply_entry was not found');
  return sql.replace(from, to).replace('create function', 'create or replace function');
}

/** The shard search as 0015 created it; 0016 puts a probe of the hashed shard in front (at `begin`). */
export const LEDGER_FREE_SHARD = `create function ledger_free_shard(p_account uuid, p_currency char(3), p_layer text, p_transaction uuid, p_shards int)
     returns smallint language plpgsql as $$
     declare
       start int := abs(hashtext(p_transaction::text)) % p_shards;
       picked smallint;
     begin
       select b.shard into picked from ledger_balances b
        where b.account_id = p_account and b.currency = p_currency and b.layer = p_layer
        order by (b.shard - start + p_shards) % p_shards
        limit 1
        for update skip locked;
       return coalesce(picked, start);
     end $$`;

export const up = (knex: Knex) =>
  runStatements(knex, [LEDGER_FREE_SHARD, replaced(LEDGER_APPLY_ENTRY, HASHED, FREE)]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    replaced(LEDGER_APPLY_ENTRY, HASHED, HASHED),
    'drop function if exists ledger_free_shard(uuid, char(3), text, uuid, int)',
  ]);
