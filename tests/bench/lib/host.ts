import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const HOST_JS = join(ROOT, 'out/main/host.js');
const MEM_PROBE = join(ROOT, 'tests/bench/lib/mem-probe.mjs');

// The line the host prints once it serves (main/host/cli.ts keeps its shape for tests and scripts).
const READY = /Bank host ready on (.*): (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+))/;

export interface HostOptions {
  /** Folder of the embedded database; ignored when `database` is given. */
  dataDir?: string;
  /** A postgres:// URL: the host runs on that server instead of the embedded database. */
  database?: string;
  demo?: boolean;
  /** Loads tests/bench/lib/mem-probe.mjs so heap figures can be read (see memoryUsage()). */
  memoryProbe?: boolean;
  readyTimeoutMs?: number;
}

export interface HostMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface HostProcess {
  pid: number;
  url: string;
  port: number;
  token: string;
  database: string;
  /** Spawn to the ready line, in ms. */
  readyMs: number;
  /** performance.now() just before spawn. */
  spawnedAt: number;
  output(): string;
  /** Resident set size (VmRSS) and its peak (VmHWM), in bytes, from /proc. */
  rss(): { rss: number; peak: number };
  /** User + system CPU time of the process so far, in ms. */
  cpuMs(): number;
  /** process.memoryUsage() inside the host, after a full GC when asked; needs memoryProbe. */
  memoryUsage(opts?: { gc?: boolean }): Promise<HostMemory>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

export function hostBuilt(): boolean {
  return existsSync(HOST_JS) && existsSync(join(ROOT, 'out/renderer/index.html'));
}

/** Spawns `node out/main/host.js` and resolves once it prints its ready line. */
export async function startHost(opts: HostOptions): Promise<HostProcess> {
  if (!hostBuilt()) throw new Error('the host is not built: run "npx electron-vite build" first');
  const nodeArgs = opts.memoryProbe ? ['--expose-gc', '--import', pathToFileURL(MEM_PROBE).href] : [];
  const args = [HOST_JS, '--port', '0', '--workstation', 'BENCH-1'];
  if (opts.database) args.push('--database', opts.database);
  else if (opts.dataDir) args.push('--data-dir', opts.dataDir);
  if (opts.demo) args.push('--demo');
  const env = { ...process.env };
  delete env.BANK_DATABASE_URL;
  delete env.BANK_DATA_DIR;
  delete env.BANK_WORKSTATION;

  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: ROOT,
    env,
    stdio: [opts.memoryProbe ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let err = '';
  const memWaiters: ((m: HostMemory) => void)[] = [];
  let errLine = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    errLine += chunk;
    let nl: number;
    while ((nl = errLine.indexOf('\n')) >= 0) {
      const line = errLine.slice(0, nl);
      errLine = errLine.slice(nl + 1);
      if (line.startsWith('BENCH_MEM ')) memWaiters.shift()?.(JSON.parse(line.slice(10)) as HostMemory);
      else err += `${line}\n`;
    }
  });
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      live.delete(child);
      r(code);
    }),
  );

  const ready = await new Promise<{ at: number; m: RegExpExecArray }>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`host not ready after ${opts.readyTimeoutMs ?? 60_000} ms:\n${out}${err}`));
    }, opts.readyTimeoutMs ?? 60_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const at = performance.now();
      out += chunk;
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ at, m });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code} before it was ready:\n${out}${err}`));
    });
  });

  const pid = child.pid!;
  return {
    pid,
    url: ready.m[2]!,
    port: Number(ready.m[3]),
    token: ready.m[4]!,
    database: ready.m[1]!,
    readyMs: ready.at - spawnedAt,
    spawnedAt,
    output: () => out + err,
    rss() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kib = (key: string) =>
        Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
      return { rss: kib('VmRSS'), peak: kib('VmHWM') };
    },
    cpuMs() {
      // Fields after the command name: state is 3rd, utime 14th, stime 15th (1-based, man proc).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
    },
    memoryUsage({ gc = false } = {}) {
      if (!opts.memoryProbe) return Promise.reject(new Error('start the host with memoryProbe'));
      return new Promise((r) => {
        memWaiters.push(r);
        child.stdin!.write(gc ? 'gc\n' : 'mem\n');
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
