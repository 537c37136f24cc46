// Customer documents: upload and download throughput of a 25 MiB PDF through the IPC router (each
// message serialized to JSON and parsed back, as the WebSocket bridge and Electron's IPC do), and
// how far the process's resident memory rises meanwhile. On PGlite and on the PostgreSQL server.
//   BENCH_DOCUMENTS_MB    file size in MiB (default 25, the default per-file limit)
//   BENCH_DOCUMENTS_RUNS  measured round trips per database (default 3)
//   BENCH_DOCUMENTS_IN_FLIGHT  chunks a client keeps in flight (default 3, as the renderer)
import { createHash, randomUUID } from 'node:crypto';
import { register } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { Bench, BenchContext } from './lib/bench';
import { mib, ms } from './lib/format';
import { median } from './lib/stats';
import { pdf } from '../fixtures/document-files';
import { insertProspect } from '../fixtures/customers';

const SIZE_MB = Number(process.env.BENCH_DOCUMENTS_MB ?? '25');
const RUNS = Number(process.env.BENCH_DOCUMENTS_RUNS ?? '3');
/** Chunks a client keeps in flight (the renderer's DocumentsPanel uses 3). */
const CHUNKS_IN_FLIGHT = Number(process.env.BENCH_DOCUMENTS_IN_FLIGHT ?? '3');

// The accounting module imports its default chart with Vite's `?raw` (see ledger.bench.ts).
const RAW_LOADER = `
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('?raw')) return next(url, context);
  const text = await readFile(fileURLToPath(url.slice(0, -4)), 'utf8');
  return { format: 'module', source: 'export default ' + JSON.stringify(text), shortCircuit: true };
}`;

let loaderRegistered = false;
async function importServices() {
  if (!loaderRegistered) register(`data:text/javascript,${encodeURIComponent(RAW_LOADER)}`);
  loaderRegistered = true;
  const [{ startServices }, { internalConnection, Router }] = await Promise.all([
    import('../../main/services'),
    import('../../main/ipc/router'),
  ]);
  return { startServices, internalConnection, Router };
}

/** Peak resident set size while fn runs, sampled every 5 ms, above what it was when fn started. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; rise: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, rise: peak - base };
  } finally {
    clearInterval(timer);
  }
}

type Db = 'pglite' | 'postgres';

async function measure(ctx: BenchContext, db: Db, bytes: Buffer) {
  const { startServices, internalConnection, Router } = await importServices();
  const url = db === 'postgres' ? await ctx.freshPostgresDatabase() : undefined;
  // PGlite in a folder, as the app keeps it (in memory://, the data itself would count as RSS).
  const services = await startServices({
    database: url ? { url, poolMax: 4 } : { dataDir: await ctx.tempDir('documents-pglite') },
    scryptCost: { N: 2 ** 12, r: 8, p: 1 },
    monitorIntervalMs: 0,
  });
  try {
    const router = new Router(services, { log: (e) => console.error(e) });
    const conn = internalConnection('WS-BENCH');
    // As a transport does: the message is text on the way in and on the way out.
    const call = async <T>(name: string, input: object): Promise<T> => {
      const wire = JSON.parse(JSON.stringify(input));
      const r = await router.handle(conn, name, wire, Buffer.byteLength(JSON.stringify(input)));
      if (!r.ok) throw new Error(`${name}: ${r.error.code} ${JSON.stringify(r.error.params)}`);
      return JSON.parse(JSON.stringify(r.result)) as T;
    };
    const admin = { username: 'admin', password: 'Correct-Horse-42!' };
    await call('setup.createBank', {
      commandId: randomUUID(),
      bankName: 'Bench Bank',
      businessDate: '2026-03-02',
      admin: { ...admin, passwordConfirmation: admin.password, fullName: 'A' },
    });
    await call('session.login', admin);
    await call('documents.settings.update', {
      commandId: randomUUID(),
      maxFileMb: Math.max(25, Math.ceil(SIZE_MB)),
      allowedTypes: ['application/pdf'],
    });

    const upload = async (holderId: string, file: Buffer) => {
      const begun = await call<{ uploadId: string; chunkBytes: number; chunkCount: number }>(
        'documents.upload.begin',
        {
          commandId: randomUUID(),
          holderId,
          fileName: 'annual-report.pdf',
          size: file.length,
          sha256: createHash('sha256').update(file).digest('hex'),
        },
      );
      // As the renderer does: a few chunks in flight, so the database stores one while the next is decoded.
      let next = 0;
      const sender = async () => {
        for (let index = next++; index < begun.chunkCount; index = next++) {
          const data = file
            .subarray(index * begun.chunkBytes, (index + 1) * begun.chunkBytes)
            .toString('base64');
          await call('documents.upload.chunk', { uploadId: begun.uploadId, index, data });
        }
      };
      await Promise.all(Array.from({ length: CHUNKS_IN_FLIGHT }, sender));
      return call<{ id: string; status: string }>('documents.upload.commit', {
        commandId: randomUUID(),
        uploadId: begun.uploadId,
      });
    };
    // The client hashes what it receives, chunk by chunk, and keeps nothing (a renderer keeps the
    // chunks for its Blob: that memory is the renderer's, not the main process's).
    const download = async (documentId: string) => {
      const link = await call<{ token: string; chunkCount: number }>('documents.download', {
        commandId: randomUUID(),
        documentId,
        purpose: 'download',
      });
      const hash = createHash('sha256');
      const arrived = new Map<number, Buffer>();
      let hashed = 0;
      let next = 0;
      const fetcher = async () => {
        for (let index = next++; index < link.chunkCount; index = next++) {
          const { data } = await call<{ data: string }>('documents.downloadChunk', {
            token: link.token,
            index,
          });
          arrived.set(index, Buffer.from(data, 'base64'));
          for (let b = arrived.get(hashed); b; b = arrived.get(hashed)) {
            hash.update(b);
            arrived.delete(hashed++);
          }
        }
      };
      await Promise.all(Array.from({ length: CHUNKS_IN_FLIGHT }, fetcher));
      return hash.digest('hex');
    };

    // Warm-up: code paths compiled, file-type loaded, caches filled.
    const small = pdf('warm-up', 2 * 1024 * 1024);
    const warm = await upload(await insertProspect(services.database.knex), small);
    await download(warm.id);

    const expected = createHash('sha256').update(bytes).digest('hex');
    const up: number[] = [];
    const down: number[] = [];
    let upRise = 0;
    let downRise = 0;
    for (let run = 0; run < RUNS; run++) {
      ctx.progress(`${db}: round trip ${run + 1} of ${RUNS}`);
      const holder = await insertProspect(services.database.knex);
      let t = performance.now();
      const u = await withPeakRss(() => upload(holder, bytes));
      up.push(performance.now() - t);
      if (u.result.status !== 'active') throw new Error(`upload ${u.result.status}`);
      upRise = Math.max(upRise, u.rise);
      t = performance.now();
      const d = await withPeakRss(() => download(u.result.id));
      down.push(performance.now() - t);
      if (d.result !== expected) throw new Error('downloaded content differs');
      downRise = Math.max(downRise, d.rise);
    }
    return { up: median(up), down: median(down), upRise, downRise };
  } finally {
    await services.close();
  }
}

export const documentsBench: Bench = {
  name: 'documents',
  title: 'Documents',
  async run(ctx) {
    const bytes = pdf('Bench annual report', Math.round(SIZE_MB * 1024 * 1024) - 700);
    const size = bytes.length;
    ctx.section(`upload and download of a ${mib(size)} PDF through the router`);
    ctx.note(
      `Each call's input and output go through JSON as on the wire; chunks of 1 MiB as base64. Upload: client SHA-256,\n` +
        `begin, ${Math.ceil(size / 2 ** 20)} chunks, commit (verify, detect, move into storage). Download: the audited\n` +
        `download command, then the chunks. Median of ${RUNS} runs; memory: the largest rise of this process's RSS\n` +
        `during one transfer (sampled every 5 ms), against ${mib(2 * size)} (twice the file).`,
    );
    const rows: string[][] = [];
    for (const db of ['pglite', 'postgres'] as const) {
      if (db === 'postgres' && !ctx.postgres.ok) {
        rows.push([db, '–', '–', '–', '–', '–', '–']);
        continue;
      }
      const r = await measure(ctx, db, bytes);
      const rate = (msTaken: number) => size / 2 ** 20 / (msTaken / 1000);
      rows.push([
        db,
        ms(r.up),
        `${rate(r.up).toFixed(0)} MiB/s`,
        mib(r.upRise),
        ms(r.down),
        `${rate(r.down).toFixed(0)} MiB/s`,
        mib(r.downRise),
      ]);
      ctx.summary(
        `${db} ${mib(size)} PDF`,
        `upload ${rate(r.up).toFixed(0)} MiB/s (RSS +${mib(r.upRise)}), download ${rate(r.down).toFixed(0)} MiB/s (RSS +${mib(r.downRise)})`,
      );
    }
    ctx.table(
      ['database', 'upload', 'upload rate', 'RSS rise', 'download', 'download rate', 'RSS rise'],
      rows,
    );
  },
};
