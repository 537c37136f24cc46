import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { ManualClock } from '../../main/clock';
import { startServices, type Services } from '../../main/services';
import { internalConnection, Router } from '../../main/ipc/router';
import type { Connection } from '../../main/ipc/connection';
import type { InputOf, OutputOf, ProcedureName, EventName } from '../../shared/contract';
import type { ErrorPayload } from '../../shared/errors';

/** Which database the integration suite runs on: PGlite by default, a server with TEST_DATABASE_URL. */
export const onServer = Boolean(process.env.TEST_DATABASE_URL);
export const dbLabel = onServer ? 'postgres' : 'pglite';

/** A fresh, empty database on the test server; dropped when the file's tests end. */
export async function freshServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `bank_it_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestBank {
  services: Services;
  router: Router;
  clock: ManualClock;
  /** The server database's URL (on PostgreSQL only): for a second process on the same bank. */
  databaseUrl?: string;
  /** A new renderer connection on the given workstation, with a typed call helper. */
  connect(workstation?: string): TestClient;
  close(): Promise<void>;
}

export interface TestClient {
  conn: Connection;
  events: { event: EventName; payload: unknown }[];
  call<P extends ProcedureName>(name: P, input: InputOf<P>): Promise<OutputOf<P>>;
  /** Calls and expects a typed error; returns it. */
  fail(name: string, input: unknown, size?: number): Promise<ErrorPayload>;
  raw(name: unknown, input: unknown, size?: number): ReturnType<Router['handle']>;
}

export const ADMIN = { username: 'admin', password: 'Correct-Horse-42!', fullName: 'Ada Admin' };
export const cmd = () => randomUUID();

/** Starts the real services on a fresh database. Registers its own cleanup with afterAll. */
export async function startTestBank(
  opts: { setup?: boolean; /** the workstation's local store (offline work) */ localStore?: string } = {},
): Promise<TestBank> {
  const server = onServer ? await freshServerDatabase() : undefined;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const services = await startServices({
    database: server ? { url: server.url, poolMax: 20 } : { dataDir: 'memory://' },
    clock,
    scryptCost: { N: 2 ** 12, r: 8, p: 1 },
    monitorIntervalMs: 0,
    localStore: opts.localStore,
  });
  const router = new Router(services, {
    log: process.env.TEST_LOG ? (e) => console.error(e) : () => undefined,
  });
  const connect = (workstation = 'WS-TEST-1'): TestClient => {
    const events: TestClient['events'] = [];
    const conn = internalConnection(workstation, (event, payload) => events.push({ event, payload }));
    return {
      conn,
      events,
      raw: (name, input, size) => router.handle(conn, name, input, size),
      async call(name, input) {
        const r = await router.handle(conn, name, input);
        if (!r.ok) throw Object.assign(new Error(`${name} failed: ${r.error.code}`), { payload: r.error });
        return r.result as never;
      },
      async fail(name, input, size) {
        const r = await router.handle(conn, name, input, size);
        if (r.ok) throw new Error(`${name} unexpectedly succeeded`);
        return r.error;
      },
    };
  };
  const bank: TestBank = {
    services,
    router,
    clock,
    databaseUrl: server?.url,
    connect,
    close: async () => {
      await services.close();
      await server?.drop();
    },
  };
  afterAll(() => bank.close());
  if (opts.setup !== false) {
    await connect().call('setup.createBank', {
      commandId: cmd(),
      bankName: 'First Test Bank',
      businessDate: '2026-03-02',
      admin: { ...ADMIN, passwordConfirmation: ADMIN.password },
    });
  }
  return bank;
}

/** Signs in a fresh connection. */
export async function signIn(bank: TestBank, username: string, password: string, workstation?: string) {
  const client = bank.connect(workstation);
  await client.call('session.login', { username, password });
  return client;
}

/** Creates a user with the given roles (as admin) and returns a signed-in client for them. */
export async function userWithRoles(bank: TestBank, admin: TestClient, username: string, roles: string[]) {
  // Never derived from the username: the password rule refuses a password that contains it.
  const temporaryPassword = 'Temporary-Pass-2026!';
  await admin.call('staff.create', {
    commandId: cmd(),
    username,
    fullName: `User ${username}`,
    roles: roles as never,
    temporaryPassword,
  });
  const client = await signIn(bank, username, temporaryPassword);
  const password = 'Personal-Pass-2026!';
  await client.call('session.changePassword', {
    commandId: cmd(),
    currentPassword: temporaryPassword,
    newPassword: password,
  });
  return { client, password };
}
