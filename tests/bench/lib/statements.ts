import type { Knex } from 'knex';
import { ms } from './format';

/**
 * Where a load's server time goes, statement by statement, from `pg_stat_statements`: only when the
 * server has it loaded (`shared_preload_libraries`, an operator's choice that needs a restart): the
 * bench never changes the server's settings. With `pg_stat_statements.track = 'all'` the
 * statements inside the ledger's functions and triggers are listed too, marked as nested.
 */
export async function statementProfile(knex: Knex) {
  const loaded = (await knex.raw(`select current_setting('shared_preload_libraries') as libs`)).rows[0]
    .libs as string;
  if (!/\bpg_stat_statements\b/.test(loaded)) return null;
  await knex.raw('create extension if not exists pg_stat_statements');
  return {
    // This database's entries only: the server's other statistics are its operator's.
    reset: () =>
      knex.raw(
        `select pg_stat_statements_reset(0, (select oid from pg_database where datname = current_database()), 0)`,
      ),
    /** The `limit` statements with the most executor time, per operation of a load of `operations`. */
    async top(operations: number, limit = 15): Promise<string[][]> {
      const rows = (
        await knex.raw(
          `select toplevel, calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as query
             from pg_stat_statements
            where dbid = (select oid from pg_database where datname = current_database())
            order by total_exec_time desc
            limit ?`,
          [limit],
        )
      ).rows as { toplevel: boolean; calls: string; total_exec_time: number; query: string }[];
      return rows.map((r) => [
        r.toplevel ? 'top' : 'nested',
        (Number(r.calls) / operations).toFixed(2),
        ms(r.total_exec_time / operations),
        r.query,
      ]);
    },
  };
}
