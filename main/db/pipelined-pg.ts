import type { Knex } from 'knex';
// knex ships no types for its dialect classes; the one method overridden here is typed below.
import ClientPg from 'knex/lib/dialects/postgres/index.js';
import { StatementBatch, type BatchStatement } from './pg-batch';

/**
 * Statement options for a statement inside a transaction whose answer nobody reads: it is held
 * back and written together with the transaction's next statement (at the latest its COMMIT), and
 * not waited for. A refusal surfaces on that next statement (whatever it was) and on every later
 * one, and makes the COMMIT fail: the transaction never commits past it. On the embedded database
 * the option is ignored and the statement is simply waited for.
 */
export function notAwaited(name: string): { name: string; notAwaited: true } {
  return { name, notAwaited: true };
}

interface QueryObject {
  sql: string;
  bindings?: unknown[];
  options?: Record<string, unknown>;
  response?: unknown;
}

interface PgConnection {
  query(config: Record<string, unknown>, callback: (err: Error | null, res: unknown) => void): void;
  connection?: { stream?: { cork?(): void; uncork?(): void } };
}

/**
 * Per connection: inside a transaction, the statements held back to travel with the next one, and
 * the first refusal of a statement nobody waited for.
 */
interface PipelineState {
  inTransaction: boolean;
  held: QueryObject[];
  failure: Error | null;
}

const states = new WeakMap<object, PipelineState>();

function stateOf(connection: object): PipelineState {
  let s = states.get(connection);
  if (!s) {
    s = { inTransaction: false, held: [], failure: null };
    states.set(connection, s);
  }
  return s;
}

const isBegin = (sql: string) => /^BEGIN\b/i.test(sql);

/** BEGIN still held: nothing of the transaction was sent, so there is nothing to end. */
const nothingSent = (state: PipelineState) => state.held.length > 0 && isBegin(state.held[0]!.sql);

function toStatement(obj: QueryObject): BatchStatement {
  const name = obj.options?.name;
  return { text: obj.sql, values: obj.bindings ?? [], ...(typeof name === 'string' ? { name } : {}) };
}

/** What a held statement answers at once; its callers ignore it by contract. */
const HELD = Object.freeze({ command: 'HELD', rows: [], rowCount: 0, fields: [] });

/**
 * The bank server's knex client: node-postgres in pipeline mode (a statement is written without
 * waiting for the answer to the one before it), with a transaction's BEGIN and its `notAwaited`
 * writes held back and written together with the next statement, in one write to the socket (and,
 * once their statements are prepared on the connection, under one Sync: main/db/pg-batch.ts). So a
 * command's BEGIN travels with its first statement and its last writes (the audit record with the
 * result, the journal line, the posting) with its COMMIT: the server wakes, and the workstation
 * waits, fewer times per command — on a virtual machine each wake costs more than most statements.
 *
 * Why this is safe: the server answers in order, so by the time a statement's answer arrives every
 * earlier refusal has been heard; a refusal aborts the transaction, so later statements fail (and
 * are reported as that first refusal, not as "transaction aborted"), and a COMMIT of an aborted
 * transaction rolls back, which is then reported as that refusal too. Nothing outside a transaction
 * is held.
 */
export class PipelinedPgClient extends (ClientPg as unknown as typeof Knex.Client) {
  constructor(config: Knex.Config) {
    const connection = config.connection as Record<string, unknown>;
    super({ ...config, connection: { ...connection, pipeline: true } as Knex.StaticConnectionConfig });
  }

  _query(connection: PgConnection, obj: QueryObject): Promise<QueryObject> {
    const state = stateOf(connection);
    const sql = obj.sql;
    if (isBegin(sql)) {
      state.inTransaction = true;
      state.failure = null;
      state.held = [obj];
      return Promise.resolve({ ...obj, response: HELD });
    }
    if (/^COMMIT\b/i.test(sql)) return this.pipelineEnd(connection, obj, state, 'COMMIT');
    if (/^ROLLBACK;?$/i.test(sql)) return this.pipelineEnd(connection, obj, state, 'ROLLBACK');
    if (obj.options?.notAwaited && state.inTransaction) {
      state.held.push(obj);
      return Promise.resolve({ ...obj, response: HELD });
    }
    return this.pipelineAwaited(connection, obj, state);
  }

  /** Writes the held statements and then this one in one go; answers this one. */
  private pipelineWrite(connection: PgConnection, obj: QueryObject, state: PipelineState) {
    const held = state.held;
    state.held = [];
    if (held.length === 0) return this.pipelineSend(connection, obj);
    const statements = [...held, obj].map(toStatement);
    if (statements.every((s) => StatementBatch.preparedOn(connection, s))) {
      return this.pipelineBatch(connection, obj, statements, held.length, state);
    }
    // A statement not yet prepared on this connection: each with its own Sync (node-postgres keeps
    // track of what it prepared), still in one write.
    const stream = connection.connection?.stream;
    stream?.cork?.();
    try {
      for (const h of held) {
        this.pipelineSend(connection, h, (err) => {
          state.failure ??= err;
        }).catch(() => undefined);
      }
      return this.pipelineSend(connection, obj);
    } finally {
      stream?.uncork?.();
    }
  }

  /** The held statements and this one under one Sync: the server answers them all in one go. */
  private pipelineBatch(
    connection: PgConnection,
    obj: QueryObject,
    statements: BatchStatement[],
    heldCount: number,
    state: PipelineState,
  ) {
    return new Promise<QueryObject>((resolve, reject) => {
      const batch = new StatementBatch(statements, (err, results) => {
        if (err) {
          if ((batch.failedAt ?? 0) < heldCount) state.failure ??= err;
          return reject(err);
        }
        resolve({ ...obj, response: results[results.length - 1] });
      });
      connection.query(batch as unknown as Record<string, unknown>, () => undefined);
    });
  }

  /** What knex's own client does, with a hook that hears a refusal before any later answer. */
  private pipelineSend(connection: PgConnection, obj: QueryObject, onRefusal?: (err: Error) => void) {
    const { notAwaited: _omit, ...options } = obj.options ?? {};
    return new Promise<QueryObject>((resolve, reject) => {
      connection.query({ text: obj.sql, values: obj.bindings ?? [], ...options }, (err, response) => {
        if (err) {
          onRefusal?.(err);
          return reject(err);
        }
        resolve({ ...obj, response });
      });
    });
  }

  private async pipelineAwaited(connection: PgConnection, obj: QueryObject, state: PipelineState) {
    try {
      const done = await this.pipelineWrite(connection, obj, state);
      // Back before the refusal: the transaction lives on without it.
      if (/^ROLLBACK TO SAVEPOINT\b/i.test(obj.sql)) state.failure = null;
      return done;
    } catch (err) {
      // "current transaction is aborted" says less than the refusal that aborted it.
      throw (state.inTransaction && state.failure) || err;
    }
  }

  private async pipelineEnd(connection: PgConnection, obj: QueryObject, state: PipelineState, verb: string) {
    try {
      if (verb === 'ROLLBACK') {
        // What was held was never sent: there is nothing of it to undo.
        const unsent = nothingSent(state);
        state.held = [];
        if (unsent) return { ...obj, response: { ...HELD, command: 'ROLLBACK' } };
      } else if (nothingSent(state) && state.held.length === 1) {
        // Only the BEGIN: the transaction read and wrote nothing.
        return { ...obj, response: { ...HELD, command: 'COMMIT' } };
      }
      const done = await this.pipelineWrite(connection, obj, state);
      if (verb === 'COMMIT') {
        if (state.failure) throw state.failure;
        const command = (done.response as { command?: string } | undefined)?.command;
        if (command !== 'COMMIT') {
          throw new Error(`COMMIT answered ${command ?? 'nothing'}: the transaction was rolled back`);
        }
      }
      return done;
    } catch (err) {
      if (verb === 'COMMIT') {
        // Under one Sync the server skipped the COMMIT after the refusal: the transaction is still
        // open, aborted. (Sent alone, the COMMIT rolled it back, and this only draws a warning.)
        await this.pipelineSend(connection, { sql: 'ROLLBACK' }).catch(() => undefined);
      }
      throw (verb === 'COMMIT' && state.failure) || err;
    } finally {
      state.inTransaction = false;
      state.held = [];
      state.failure = null;
    }
  }
}
