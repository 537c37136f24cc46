import type { Knex } from 'knex';

/** PGlite runs one statement per query, so migrations hand their SQL over as a list. */
export async function runStatements(knex: Knex, statements: string[]): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}
