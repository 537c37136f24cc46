import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, notAwaited, openDatabase, STALE_GUESS, type Database } from '../../main/db';
import { migrate } from '../../main/db/migrate';
import { freshServerDatabase, onServer } from './harness';

// The bank server's client holds a transaction's BEGIN and its not-awaited statements back and
// writes them with the next statement (main/db/pipelined-pg.ts). What must hold: a held statement's
// refusal is never lost (it fails the next statement and the COMMIT, and nothing commits), the
// connection is clean for the next transaction, and held statements really share a write.
describe.skipIf(!onServer)('pipelined statements on the bank server (postgres)', () => {
  let database: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshServerDatabase();
    drop = fresh.drop;
    // One connection: every transaction below reuses the one before it's connection.
    database = await openDatabase({ url: fresh.url, poolMax: 1 });
    await migrate(database.knex); // bank_require (0016)
    await database.knex.raw('create table pipe_rows (id int primary key, note text)');
    await database.knex.raw(`create function pipe_refuse(code text) returns void language plpgsql as $$
      begin raise exception using errcode = code, message = 'refused on purpose'; end $$`);
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  const db = () => database.knex;
  const rows = async () => (await db()('pipe_rows').orderBy('id').pluck('id')).map(Number);
  const insert = (trx: typeof database.knex, id: number) =>
    trx.raw('insert into pipe_rows (id) values (?)', [id]).options(notAwaited('pipe.insert'));

  it('commits held writes with the COMMIT', async () => {
    await db()('pipe_rows').del();
    await db().transaction(async (trx) => {
      await insert(trx, 1);
      await insert(trx, 2);
    });
    expect(await rows()).toEqual([1, 2]);
  });

  it('a held write that is refused fails the COMMIT with its own error, and nothing commits', async () => {
    await db()('pipe_rows').del();
    await db()('pipe_rows').insert({ id: 1 });
    const err = await db()
      .transaction(async (trx) => {
        await insert(trx, 2);
        await insert(trx, 1); // the primary key refuses it
      })
      .catch((e: unknown) => e as { code?: string; constraint?: string });
    expect(err).toMatchObject({ code: '23505', constraint: 'pipe_rows_pkey' });
    expect(await rows()).toEqual([1]);
    // The connection went back to the pool outside any transaction.
    await db().transaction(async (trx) => {
      await insert(trx, 3);
    });
    expect(await rows()).toEqual([1, 3]);
  });

  // Twice: the first time the named statement is prepared (each statement with its own Sync), the
  // second time it is only bound, in one batch under one Sync (main/db/pg-batch.ts).
  it.each(['first', 'second'])(
    'the next awaited statement reports the held refusal, not "transaction aborted" (%s time)',
    async () => {
      const err = await db()
        .transaction(async (trx) => {
          await trx.raw('select pipe_refuse(?)', ['BK999']).options(notAwaited('pipe.refuse'));
          await trx.raw('select 1');
        })
        .catch((e: unknown) => e as { code?: string });
      expect(err).toMatchObject({ code: 'BK999' });
      // And nothing is left open on the connection.
      expect((await db().raw('select 2 as two')).rows).toEqual([{ two: 2 }]);
    },
  );

  it.each(['first', 'second'])(
    'a held refusal under one Sync with the COMMIT rolls back (%s time)',
    async () => {
      await db()('pipe_rows').del();
      const err = await db()
        .transaction(async (trx) => {
          await trx('pipe_rows').insert({ id: 20 });
          await insert(trx, 21);
          await trx.raw('select pipe_refuse(?)', ['BK998']).options(notAwaited('pipe.refuse.late'));
        })
        .catch((e: unknown) => e as { code?: string });
      expect(err).toMatchObject({ code: 'BK998' });
      expect(await rows()).toEqual([]);
      const status = await db().raw('select 1 as one');
      expect(status.rows).toEqual([{ one: 1 }]);
    },
  );

  it('a rollback drops what was held, and a savepoint rolled back to forgets its refusal', async () => {
    await db()('pipe_rows').del();
    await expect(
      db().transaction(async (trx) => {
        await insert(trx, 5);
        throw new Error('the command changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(await rows()).toEqual([]);

    await db().transaction(async (trx) => {
      await trx('pipe_rows').insert({ id: 6 });
      await trx
        .transaction(async (sp) => {
          await insert(sp, 6);
          await sp.raw('select 1');
        })
        .catch(() => undefined);
      await insert(trx, 7);
    });
    expect(await rows()).toEqual([6, 7]);
  });

  it.each(['first', 'second'])('a stale guess runs the transaction again (%s time)', async () => {
    await db()('pipe_rows').del();
    let runs = 0;
    await inTransaction(db(), async (trx) => {
      runs++;
      await insert(trx, runs);
      await trx
        .raw('select bank_require(?, ?, ?)', [runs > 1, STALE_GUESS, 'stale'])
        .options(notAwaited('pipe.guess'));
    });
    expect(runs).toBe(2);
    expect(await rows()).toEqual([2]);
  });

  it('held statements travel in the same write as the statement after them', async () => {
    const writes = await countingWrites(async () => {
      await db().transaction(async (trx) => {
        await insert(trx, 10); // held with BEGIN
        await insert(trx, 11);
        await trx.raw('select 1'); // one write: BEGIN, two inserts, select
        await insert(trx, 12); // held
      }); // one write: the insert and COMMIT
    });
    expect(writes).toBe(2);
  });

  it('once prepared, held statements and the next are answered in one go (one Sync)', async () => {
    const work = () =>
      db().transaction(async (trx) => {
        await insert(trx, 30); // held with BEGIN
        await trx.raw('select 1 as one').options({ name: 'pipe.select' }); // answered with them
        await insert(trx, 31); // held, answered with the COMMIT
      });
    await db()('pipe_rows').del();
    await work(); // prepares the named statements
    await db()('pipe_rows').del();
    expect(await countingAnswers(work)).toBe(2);
    expect(await rows()).toEqual([30, 31]);
  });

  /** Ready-for-query answers (one per Sync) the pool's connection receives while `work` runs. */
  async function countingAnswers(work: () => Promise<unknown>): Promise<number> {
    const conn = (await db().client.acquireConnection()) as {
      connection: { on(e: string, f: () => void): void; off(e: string, f: () => void): void };
    };
    await db().client.releaseConnection(conn);
    let count = 0;
    const heard = () => count++;
    conn.connection.on('readyForQuery', heard);
    try {
      await work();
    } finally {
      conn.connection.off('readyForQuery', heard);
    }
    return count;
  }

  /** Socket writes (a corked batch is one) made by the pool's connection while `work` runs. */
  async function countingWrites(work: () => Promise<void>): Promise<number> {
    const conn = (await db().client.acquireConnection()) as {
      connection: { stream: { _writev?: unknown; _write: unknown } };
    };
    await db().client.releaseConnection(conn);
    const stream = conn.connection.stream as unknown as Record<string, (...a: unknown[]) => unknown>;
    let count = 0;
    const originals = { write: stream._write, writev: stream._writev };
    stream._write = function (...a: unknown[]) {
      count++;
      return originals.write!.apply(this, a);
    };
    if (originals.writev)
      stream._writev = function (...a: unknown[]) {
        count++;
        return originals.writev!.apply(this, a);
      };
    try {
      await work();
    } finally {
      stream._write = originals.write!;
      if (originals.writev) stream._writev = originals.writev;
    }
    return count;
  }
});
