import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The built host (npm run test:e2e builds it first). */
// BANK_OUT_DIR: a build elsewhere than out/ (`BANK_OUT_DIR=DIR electron-vite build`), so two builds
// side by side do not collide.
export const HOST_SCRIPT = resolve(
  import.meta.dirname,
  '../..',
  process.env.BANK_OUT_DIR || process.env.E2E_OUT_DIR || 'out',
  'main/host.js',
);

const READY = /^Bank host ready on (.+): (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)\s*$/m;

export interface HostProcessOptions {
  /** Folder of the embedded database; with `database`, of the workstation's local store. */
  dataDir?: string;
  /** A postgres:// URL of a bank server database. */
  database?: string;
  demo?: boolean;
  workstation?: string;
  readyTimeoutMs?: number;
}

export interface HostProcess {
  /** The URL the host printed, with its token. */
  url: string;
  /** What the host said it runs on ('embedded (...)' or the redacted server URL). */
  describe: string;
  /** Everything the host wrote so far (stdout and stderr). */
  output(): string;
  /** SIGTERM (the host closes its database cleanly), then SIGKILL if it does not exit in time. */
  stop(): Promise<void>;
}

export function assertBuilt(): void {
  if (!existsSync(HOST_SCRIPT)) {
    throw new Error(`${HOST_SCRIPT} is missing: run "npx electron-vite build" (npm run test:e2e does it).`);
  }
}

// Hosts still running when this process ends (an interrupted run) are not left behind.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts `node out/main/host.js` and resolves once it prints its ready line. */
export async function startHostProcess(opts: HostProcessOptions): Promise<HostProcess> {
  assertBuilt();
  const args = [HOST_SCRIPT, '--port', '0', '--workstation', opts.workstation ?? 'e2e-host'];
  if (!opts.database && !opts.dataDir) throw new Error('startHostProcess needs a dataDir or a database');
  if (opts.database) args.push('--database', opts.database);
  // Against a server the data folder holds the workstation's local store (offline work): never
  // the developer's own, and never one shared by two hosts.
  args.push('--data-dir', opts.dataDir ?? mkdtempSync(join(process.env.E2E_TMP_ROOT ?? tmpdir(), 'ws-')));
  if (opts.demo) args.push('--demo');

  const env = { ...process.env };
  // The host must use exactly what we pass, never a developer's own bank.
  delete env.BANK_DATABASE_URL;
  delete env.BANK_DATA_DIR;
  delete env.BANK_WORKSTATION;
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (log += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      log += `[host exited: code ${code}, signal ${signal}]\n`;
      r(code);
    }),
  );
  let running = true;
  void exited.then(() => (running = false));

  const ready = await new Promise<RegExpMatchArray>((resolvePromise, reject) => {
    const timeout = opts.readyTimeoutMs ?? 90_000;
    const timer = setTimeout(() => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`the host did not get ready within ${timeout} ms:\n${log}`));
    }, timeout);
    const onData = () => {
      const m = log.match(READY);
      if (m) {
        cleanup();
        resolvePromise(m);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the host exited with ${code} before it was ready:\n${log}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout.on('data', onData);
    child.once('exit', onExit);
    onData();
  });

  return {
    url: ready[2]!,
    describe: ready[1]!,
    output: () => log,
    async stop() {
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---- Bank server databases (only when E2E_DATABASE_URL is set) ----

function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(base: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function databaseName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Creates a database on the server named by `base` (optionally a copy of a template) and returns its URL. */
export async function createServerDatabase(base: string, name: string, template?: string): Promise<string> {
  await onServer(base, (c) => c.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  return withDatabase(base, name);
}

export async function dropServerDatabase(base: string, name: string): Promise<void> {
  await onServer(base, (c) => c.query(`drop database if exists ${name} with (force)`));
}

/** Runs statements on one database of the server, in one transaction. */
export async function runOnServer(url: string, statements: string[]): Promise<void> {
  await onServer(url, async (c) => {
    await c.query('begin');
    for (const s of statements) await c.query(s);
    await c.query('commit');
  });
}
