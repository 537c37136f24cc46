import type { Knex } from 'knex';
import { runStatements } from '../sql';
import { AUDIT_RECORD_DIGEST, AUDIT_SEAL_DIGEST } from './0001_foundation';
import { LEDGER_FREE_SHARD } from './0015_ledger_free_shard';

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

const HASHED_FIRST = `begin
       select b.shard into picked from ledger_balances b
        where b.account_id = p_account and b.currency = p_currency and b.layer = p_layer and b.shard = start
        for update skip locked;
       if found then
         return picked;
       end if;`;

/** ledger_free_shard as 0015 made it, with or without the probe of the hashed shard first. */
function freeShard(probeFirst: boolean): string {
  if (!LEDGER_FREE_SHARD.includes('begin\n'))
    throw new Error('0016: the body of ledger_free_shard was not found');
  const sql = LEDGER_FREE_SHARD.replace('create function', 'create or replace function');
  return probeFirst ? sql.replace('begin\n', `${HASHED_FIRST}\n`) : sql;
}

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
       return ${AUDIT_RECORD_DIGEST};
     end $$`,
    `create or replace function audit_seal_hash(s audit_seals) returns text language plpgsql immutable as $$
     begin
       return ${AUDIT_SEAL_DIGEST};
     end $$`,
    freeShard(true),
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    freeShard(false),
    `create or replace function audit_seal_hash(s audit_seals) returns text language sql immutable as $$
       select ${AUDIT_SEAL_DIGEST}
     $$`,
    `create or replace function audit_record_hash(a audit_log) returns text language sql immutable as $$
       select ${AUDIT_RECORD_DIGEST}
     $$`,
    'drop function if exists bank_require(boolean, text, text)',
  ]);
