import pg from 'pg';
// node-postgres's own value conversion for bind parameters (what its Query uses).
import pgUtils from 'pg/lib/utils.js';

/** One statement of a batch: as node-postgres takes a query. */
export interface BatchStatement {
  text: string;
  values?: unknown[];
  /** A prepared statement's name; a batch only binds names already prepared on its connection. */
  name?: string;
}

interface PgProtocol {
  parsedStatements: Record<string, string>;
  parse(q: { text: string; name?: string; types?: unknown[] }): void;
  bind(c: { portal: string; statement?: string; values: unknown[]; valueMapper: unknown }): void;
  describe(m: { type: 'P'; name: string }): void;
  execute(c: { portal: string }): void;
  sync(): void;
  stream: { cork?(): void; uncork?(): void };
}

interface PgResult {
  command: string | null;
}

/** node-postgres's Query, as far as a batch uses it (its types do not describe the protocol side). */
interface QueryInternals {
  callback: unknown;
  _results: PgResult | PgResult[];
  handleError(err: Error, connection: unknown): void;
}
const Query = pg.Query as unknown as new (config: { text: string }) => object;
const queryInternals = pg.Query.prototype as unknown as QueryInternals;

/**
 * Several statements under one Sync: PostgreSQL answers each statement, but flushes its answers
 * (and the client wakes) once, at the Sync, instead of once per statement. After a refusal the
 * server skips the rest up to the Sync; so `failedAt` says which statement refused.
 *
 * A named statement is only bound, never parsed, here: `preparedOn` says whether a batch can carry
 * it. (A refusal in the middle would otherwise leave unknown which names got prepared.)
 */
export class StatementBatch extends Query {
  private readonly statements: BatchStatement[];
  /** How many statements had completed when a refusal came: the index of the one refused. */
  failedAt: number | null = null;

  constructor(statements: BatchStatement[], callback: (err: Error | null, results: PgResult[]) => void) {
    // The text node-postgres shows for the query: the statement the caller waits for.
    super({ text: statements[statements.length - 1]!.text });
    this.statements = statements;
    // Answered as an array, one result per statement (node-postgres's multi-result mode).
    (this as unknown as QueryInternals).callback = (err: Error | null, res: PgResult | PgResult[]) =>
      callback(err, Array.isArray(res) ? res : [res]);
  }

  static preparedOn(client: unknown, s: BatchStatement): boolean {
    if (!s.name) return true;
    const connection = (client as { connection: PgProtocol }).connection;
    return connection.parsedStatements[s.name] === s.text;
  }

  submit(connection: PgProtocol): Error | null {
    connection.stream.cork?.();
    try {
      for (const s of this.statements) {
        if (!s.name) connection.parse({ text: s.text });
        connection.bind({
          portal: '',
          statement: s.name ?? '',
          values: s.values ?? [],
          valueMapper: pgUtils.prepareValue,
        });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '' });
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  handleError(err: Error, connection: unknown): void {
    const { _results } = this as unknown as QueryInternals;
    const results = Array.isArray(_results) ? _results : [_results];
    this.failedAt = results.filter((r) => r.command).length;
    queryInternals.handleError.call(this, err, connection);
  }
}
