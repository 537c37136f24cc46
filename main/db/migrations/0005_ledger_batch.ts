import type { Knex } from 'knex';
import { runStatements } from '../sql';

// The batch path: many postings in one statement and one commit, for end-of-day work and imports.
// Each posting goes through ledger_post, so every invariant holds exactly as for a single one.

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create function ledger_post_batch(p_postings jsonb, p_recorded_at timestamptz)
     returns table (idempotency_key text, transaction_id uuid, replayed boolean) language plpgsql as $$
     declare
       item jsonb;
       posted record;
     begin
       for item in select value from jsonb_array_elements(p_postings) loop
         select * into posted from ledger_post(
           (item->>'id')::uuid, item->>'key', item->>'hash', item->>'template', (item->>'date')::date,
           coalesce(item->>'description', ''), coalesce(item->'metadata', '{}'::jsonb), p_recorded_at,
           item->'entries');
         idempotency_key := item->>'key';
         transaction_id := posted.transaction_id;
         replayed := posted.replayed;
         return next;
       end loop;
     end $$`,
  ]);

export const down = (knex: Knex) => runStatements(knex, ['drop function if exists ledger_post_batch']);
