import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../main/clock';
import { LATEST_SCHEMA, migrate } from '../../main/db/migrate';
import { MIGRATIONS } from '../../main/db/migrations';
import { startServices, type ServicesOptions } from '../../main/services';
import { AppError } from '../../shared/errors';
import { ADMIN, dbLabel, freshServerDatabase, onServer, signIn, startTestBank } from './harness';

const FUTURE = '9999_from_a_newer_app';

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the schema to be refused');
}

describe(`migrations and the driver's types (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const knex = bank.services.database.knex;
  const tables = async () =>
    (
      await knex.raw(
        `select table_name as name from information_schema.tables
          where table_schema = current_schema() order by table_name`,
      )
    ).rows.map((r: { name: string }) => r.name);
  const migrationRows = async () =>
    (await knex('knex_migrations').orderBy('id').select('name', 'batch')) as object[];

  describe('migrating', () => {
    it('the app migrates to the newest schema it knows on start', async () => {
      expect(bank.services.schemaVersion).toBe(LATEST_SCHEMA);
      expect(LATEST_SCHEMA).toBe(MIGRATIONS.at(-1)![0]);
      expect((await migrationRows()).map((r) => (r as { name: string }).name)).toEqual(
        MIGRATIONS.map(([n]) => n),
      );
      const admin = await signIn(bank, ADMIN.username, ADMIN.password);
      expect((await admin.call('system.info', {})).schemaVersion).toBe(LATEST_SCHEMA);
    });

    it('migrating again is a no-op', async () => {
      const tablesBefore = await tables();
      const rowsBefore = await migrationRows();
      expect(await migrate(knex)).toEqual({ applied: [], schemaVersion: LATEST_SCHEMA });
      expect(await migrate(knex)).toEqual({ applied: [], schemaVersion: LATEST_SCHEMA });
      expect(await tables()).toEqual(tablesBefore);
      expect(await migrationRows()).toEqual(rowsBefore);
      // The bank's data is untouched.
      const admin = await signIn(bank, ADMIN.username, ADMIN.password);
      expect((await admin.call('audit.verify', {})).intact).toBe(true);
    });

    it('a database migrated by a newer app is refused, and left as it was', async () => {
      await knex('knex_migrations').insert({ name: FUTURE, batch: 99, migration_time: new Date() });
      try {
        const tablesBefore = await tables();
        const error = await refusal(migrate(knex));
        expect(error.code).toBe('SCHEMA_TOO_NEW');
        expect(error.params).toEqual({ found: FUTURE, supported: LATEST_SCHEMA });
        expect(await tables()).toEqual(tablesBefore);
      } finally {
        await knex('knex_migrations').where({ name: FUTURE }).del();
      }
      expect((await migrate(knex)).applied).toEqual([]);
    });
  });

  describe('starting the app on a newer database', () => {
    const cleanups: (() => Promise<void> | void)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    it('is refused with SCHEMA_TOO_NEW, leaving no connection open on a server', async () => {
      let target: ServicesOptions['database'];
      let connections: (() => Promise<number>) | undefined;
      if (onServer) {
        const server = await freshServerDatabase();
        cleanups.push(server.drop);
        target = { url: server.url };
        const name = new URL(server.url).pathname.slice(1);
        connections = async () =>
          Number(
            (await knex.raw(`select count(*) as n from pg_stat_activity where datname = ?`, [name])).rows[0]
              .n,
          );
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'bank-schema-'));
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
        target = { dataDir: dir };
      }
      const options = (): ServicesOptions => ({
        database: target,
        clock: new ManualClock(),
        scryptCost: { N: 2 ** 12, r: 8, p: 1 },
        monitorIntervalMs: 0,
      });

      const first = await startServices(options());
      await first.database
        .knex('knex_migrations')
        .insert({ name: FUTURE, batch: 99, migration_time: new Date() });
      await first.close();

      const error = await refusal(startServices(options()));
      expect(error.code).toBe('SCHEMA_TOO_NEW');
      expect(error.params.found).toBe(FUTURE);
      if (connections) expect(await connections()).toBe(0);
    });
  });

  describe("the driver's types are the same on both databases", () => {
    it('int8 and numeric come back as strings, exactly', async () => {
      const { rows } = await knex.raw(
        `select 9007199254740993::int8 as big, -42::int8 as negative, 12345678901234567890.01::numeric as amount,
                1.10::numeric as scale, count(*) as counted, sum(seq) as summed
           from audit_log`,
      );
      expect(rows[0]).toMatchObject({
        big: '9007199254740993',
        negative: '-42',
        amount: '12345678901234567890.01',
        scale: '1.10',
      });
      expect(typeof rows[0].counted).toBe('string');
      expect(typeof rows[0].summed).toBe('string');
    });

    it('bigint columns come back as strings through the query builder and in a transaction', async () => {
      const row = await knex('audit_log').orderBy('id').first('id', 'seq');
      expect(row).toEqual({ id: '1', seq: '1' });
      await knex.transaction(async (trx) => {
        expect(await trx('audit_log').where('id', '1').first('id', 'seq')).toEqual({ id: '1', seq: '1' });
        expect((await trx.raw(`select 9007199254740993::int8 as v`)).rows[0].v).toBe('9007199254740993');
      });
    });

    it("date columns come back as 'YYYY-MM-DD' strings, never as a Date", async () => {
      expect(await knex('bank').first('business_date')).toEqual({ business_date: '2026-03-02' });
      const { rows } = await knex.raw(`select date '2026-12-31' as d, date '0001-01-01' as first_day`);
      expect(rows[0]).toEqual({ d: '2026-12-31', first_day: '0001-01-01' });
    });

    it('timestamps come back as Date', async () => {
      const { rows } = await knex.raw(`select timestamptz '2026-03-02 10:00:00+00' as t`);
      expect(rows[0].t).toBeInstanceOf(Date);
      expect(rows[0].t.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    });

    it('arrays of int8, numeric and date come back as arrays of strings too', async () => {
      const { rows } = await knex.raw(
        `select array[9007199254740993::int8, null] as bigs, array[1.10::numeric, 2.5] as amounts,
                array[date '2026-03-02', null] as dates`,
      );
      expect(rows[0]).toEqual({
        bigs: ['9007199254740993', null],
        amounts: ['1.10', '2.5'],
        dates: ['2026-03-02', null],
      });
    });

    it('null stays null', async () => {
      const { rows } = await knex.raw(`select null::int8 as a, null::numeric as b, null::date as c`);
      expect(rows[0]).toEqual({ a: null, b: null, c: null });
    });
  });
});
