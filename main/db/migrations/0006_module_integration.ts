import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Module integration (DOMAIN 7.1): which chart node each module account set hangs under. A mapping
// is free to change until the module attaches its set; after that the chart's history depends on it.

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create table module_integration (
       set_code text primary key check (length(set_code) <= 120),
       parent_code text not null references chart_nodes (code),
       attached_set_id uuid unique references ledger_account_sets (id),
       updated_at timestamptz not null
     )`,
    `create function module_integration_guard() returns trigger language plpgsql as $$
     begin
       if tg_op = 'DELETE' then
         if old.attached_set_id is not null then
           raise exception 'module set % is attached and cannot be unmapped', old.set_code
             using errcode = 'BK050';
         end if;
         return old;
       end if;
       if old.attached_set_id is not null
          and (new.parent_code <> old.parent_code or new.attached_set_id is distinct from old.attached_set_id) then
         raise exception 'module set % is attached under % for good', old.set_code, old.parent_code
           using errcode = 'BK050';
       end if;
       return new;
     end $$`,
    `create trigger module_integration_guard before update or delete on module_integration
       for each row execute function module_integration_guard()`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    'drop table if exists module_integration',
    'drop function if exists module_integration_guard()',
  ]);
