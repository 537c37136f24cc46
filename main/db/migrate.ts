import type { Knex } from 'knex';
import { AppError } from '../../shared/errors';
import { MIGRATIONS } from './migrations';

const TABLE = 'knex_migrations';

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => MIGRATIONS.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = MIGRATIONS.find(([n]) => n === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};

export const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]![0];

/**
 * Brings the schema up to date. A database that has migrations this build does not know was
 * written by a newer version of the app: running against it could corrupt it, so we refuse.
 */
export async function migrate(knex: Knex): Promise<{ applied: string[]; schemaVersion: string }> {
  if (await knex.schema.hasTable(TABLE)) {
    const rows: { name: string }[] = await knex(TABLE).select('name');
    const known = new Set(MIGRATIONS.map(([n]) => n));
    const unknown = rows.map((r) => r.name).filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new AppError('SCHEMA_TOO_NEW', { found: unknown.sort().at(-1)!, supported: LATEST_SCHEMA });
    }
  }
  const [, applied] = (await knex.migrate.latest({ migrationSource: source, tableName: TABLE })) as [
    number,
    string[],
  ];
  return { applied, schemaVersion: LATEST_SCHEMA };
}
