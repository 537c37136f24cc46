// Text files bundled into the main process (Vite's ?raw suffix): the default chart of accounts.
declare module '*?raw' {
  const text: string;
  export default text;
}

// knex's PostgreSQL client class, which the bank server's pipelined client extends (main/db/pipelined-pg.ts).
declare module 'knex/lib/dialects/postgres/index.js' {
  const ClientPg: unknown;
  export default ClientPg;
}

// node-postgres's value conversion for bind parameters, used by main/db/pg-batch.ts.
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): unknown };
  export default utils;
}
