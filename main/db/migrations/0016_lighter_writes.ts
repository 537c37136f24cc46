import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Three changes that make every command's writes cheaper on the server (docs/architecture.md,
// "Round trips on the busiest path"):
//
// 1. bank_require: a statement built on a guess (a teller journal's head as this workstation last
//    wrote it) checks the guess in the same statement and refuses with BKR01 when it was stale. The
//    statement is sent without waiting for its answer (main/db/pipelined-pg.ts), so it cannot fall
//    back on its own: the refusal rolls the transaction back and the command runs again without the
//    guess (main/db/index.ts, inTransaction).
// 2. The audit digests in PL/pgSQL. As SQL functions called from a trigger they were parsed and
//    planned again on every record (0.4 ms of each command's 0.5 ms audit insert); PL/pgSQL keeps
//    the plan for the session. Same expression, so every stored digest still verifies.
// 3. ledger_free_shard tries the hashed shard alone first: while it is free (nearly always) that is
//    one index probe instead of ordering every shard of the account.

const RECORD_DIGEST = `encode(sha256(convert_to(concat_ws(chr(31),
         a.prev_hash, a.id::text, a.workstation, a.seq::text,
         to_char(a.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
         coalesce(a.business_date::text, ''), a.subject_type, coalesce(a.actor_id::text, ''),
         coalesce(a.actor_username, ''), a.actor_roles::text, a.action, coalesce(a.object_type, ''),
         a.object_ids::text, a.outcome, coalesce(a.command_id::text, ''), a.metadata::text
       ), 'UTF8')), 'hex')`;

const SEAL_DIGEST = `encode(sha256(convert_to(concat_ws(chr(31),
         s.prev_hash, s.id::text,
         to_char(s.sealed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
         s.record_count::text, s.heads::text
       ), 'UTF8')), 'hex')`;

const FREE_SHARD_SEARCH = `select b.shard into picked from ledger_balances b
        where b.account_id = p_account and b.currency = p_currency and b.layer = p_layer
        order by (b.shard - start + p_shards) % p_shards
        limit 1
        for update skip locked;
       return coalesce(picked, start);`;

const freeShard = (firstTry: string) => `create or replace function ledger_free_shard(
       p_account uuid, p_currency char(3), p_layer text, p_transaction uuid, p_shards int)
     returns smallint language plpgsql as $$
     declare
       start int := abs(hashtext(p_transaction::text)) % p_shards;
       picked smallint;
     begin
       ${firstTry}
       ${FREE_SHARD_SEARCH}
     end $$`;

const HASHED_FIRST = `select b.shard into picked from ledger_balances b
        where b.account_id = p_account and b.currency = p_currency and b.layer = p_layer and b.shard = start
        for update skip locked;
       if found then
         return picked;
       end if;`;

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create function bank_require(ok boolean, code text, message text) returns void language plpgsql as $$
     begin
       if ok is not true then
         raise exception using errcode = code, message = message;
       end if;
     end $$`,
    `create or replace function audit_record_hash(a audit_log) returns text language plpgsql immutable as $$
     begin
       return ${RECORD_DIGEST};
     end $$`,
    `create or replace function audit_seal_hash(s audit_seals) returns text language plpgsql immutable as $$
     begin
       return ${SEAL_DIGEST};
     end $$`,
    freeShard(HASHED_FIRST),
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    freeShard(''),
    `create or replace function audit_seal_hash(s audit_seals) returns text language sql immutable as $$
       select ${SEAL_DIGEST}
     $$`,
    `create or replace function audit_record_hash(a audit_log) returns text language sql immutable as $$
       select ${RECORD_DIGEST}
     $$`,
    'drop function if exists bank_require(boolean, text, text)',
  ]);
