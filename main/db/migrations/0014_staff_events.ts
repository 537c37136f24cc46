import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Every change to a staff user or their roles is announced on the bank's event channel at commit,
// whoever makes it (the app, a script, an operator in psql). Workstations keep a short-lived copy
// of each signed-in user's identity and drop it when the announcement arrives (ARCHITECTURE 5).
// The channel's name is the governance module's BANK_EVENTS_CHANNEL.

export const up = (knex: Knex) =>
  runStatements(knex, [
    `create function staff_changed() returns trigger language plpgsql as $$
     declare
       changed uuid;
     begin
       if tg_table_name = 'staff_user_roles' then
         changed := case when tg_op = 'DELETE' then old.user_id else new.user_id end;
       else
         changed := case when tg_op = 'DELETE' then old.id else new.id end;
       end if;
       perform pg_notify('bank_events', json_build_object('event', 'staff.changed', 'userId', changed)::text);
       return null;
     end $$`,
    `create trigger staff_users_changed after insert or update or delete on staff_users
       for each row execute function staff_changed()`,
    `create trigger staff_user_roles_changed after insert or update or delete on staff_user_roles
       for each row execute function staff_changed()`,
  ]);

export const down = (knex: Knex) =>
  runStatements(knex, [
    'drop trigger if exists staff_user_roles_changed on staff_user_roles',
    'drop trigger if exists staff_users_changed on staff_users',
    'drop function if exists staff_changed()',
  ]);
