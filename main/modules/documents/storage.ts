import type { Db, Trx } from '../../db';

type Q = Db | Trx;

/** bytea arrives as a Buffer from pg and as a Uint8Array from PGlite. */
export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Where a document's bytes live, by object key (documents/customer_document/{id}{extension}).
 *
 * Uploads arrive as parts, the way S3 multipart uploads work: parts are staged under an upload key
 * and the commit completes them into the object (or aborts them). Downloads leave as base64, the
 * form the transport carries, so the store may produce it directly.
 *
 * Every method takes the caller's query runner: the default store is the bank's PostgreSQL, so a
 * document's record and its bytes commit together. An S3-compatible store would ignore it and keep
 * the same keys (docs/architecture.md says how atomicity is kept then). A malware scanner is not a
 * store's business: it is the document service's `scanner` option, called before completion.
 */
export interface DocumentStorage {
  /** Bytes per part and per chunk of get/readChunk (the last may be shorter). */
  readonly chunkBytes: number;
  /** Stages part `index` of an upload; a part sent again replaces itself. */
  putPart(q: Q, uploadKey: string, index: number, bytes: Buffer): Promise<void>;
  /** How many parts are staged and their total size in bytes. */
  partStats(q: Q, uploadKey: string): Promise<{ parts: number; bytes: number }>;
  /** One staged part, or null. */
  readPart(q: Q, uploadKey: string, index: number): Promise<Buffer | null>;
  /** Makes the staged parts the object `key` (S3: CompleteMultipartUpload). */
  completeParts(q: Q, uploadKey: string, key: string): Promise<void>;
  /** Drops the staged parts (S3: AbortMultipartUpload). */
  abortParts(q: Q, uploadKey: string): Promise<void>;
  /** Stores an object from a stream of bytes of any piece sizes (server-side writes). */
  put(q: Q, key: string, source: AsyncIterable<Uint8Array>): Promise<{ size: number }>;
  /** The object as a stream of chunks, in order, read one at a time (memory stays one chunk). */
  get(q: Q, key: string): AsyncIterable<Buffer>;
  /** Chunk `index` of an object as base64, or null past its end. */
  readChunkBase64(q: Q, key: string, index: number): Promise<string | null>;
  delete(q: Q, key: string): Promise<void>;
}

/** Where the parts of an upload wait for their commit. */
export const stagingKey = (uploadId: string) => `staging/customer_document/${uploadId}`;

/**
 * The default store: customer_document_chunks, one row of at most chunkBytes per piece, so a 50 MB
 * file is never one value in memory or one row. Staged parts are rows under the upload's staging
 * key; completing an upload renames them (no byte is copied).
 */
export function postgresStorage(
  opts: {
    chunkBytes?: number;
    /**
     * How bytes go in: as a bytea parameter (node-postgres: fastest), or as base64 text decoded by
     * the database (PGlite: its bytea parameters cost several times more than decode(text)).
     */
    binaryParams?: boolean;
  } = {},
): DocumentStorage {
  const chunkBytes = opts.chunkBytes ?? 1024 * 1024;
  const binary = opts.binaryParams ?? true;
  const table = 'customer_document_chunks';
  const insert = (q: Q, key: string, idx: number, bytes: Buffer) =>
    q.raw(
      `insert into ${table} (object_key, idx, data) values (?, ?, ${binary ? '?' : "decode(?, 'base64')"})
       on conflict (object_key, idx) do update set data = excluded.data`,
      [key, idx, binary ? bytes : bytes.toString('base64')],
    );
  // Base64 made by the database is cheaper than bytea parsed by either driver and encoded again.
  const read = async (q: Q, key: string, idx: number): Promise<string | null> => {
    const { rows } = await q.raw(
      `select encode(data, 'base64') as b64 from ${table} where object_key = ? and idx = ?`,
      [key, idx],
    );
    // PostgreSQL wraps base64 at 76 characters; the wire does not need the line breaks.
    return rows[0] ? (rows[0].b64 as string).replaceAll('\n', '') : null;
  };
  return {
    chunkBytes,
    putPart: (q, uploadKey, index, bytes) => insert(q, uploadKey, index, bytes).then(() => undefined),
    async partStats(q, uploadKey) {
      const { rows } = await q.raw(
        `select count(*)::int as parts, coalesce(sum(octet_length(data)), 0)::bigint as bytes
           from ${table} where object_key = ?`,
        [uploadKey],
      );
      return { parts: Number(rows[0].parts), bytes: Number(rows[0].bytes) };
    },
    async readPart(q, uploadKey, index) {
      const b64 = await read(q, uploadKey, index);
      return b64 === null ? null : Buffer.from(b64, 'base64');
    },
    async completeParts(q, uploadKey, key) {
      await q(table).where({ object_key: uploadKey }).update({ object_key: key });
    },
    async abortParts(q, uploadKey) {
      await q(table).where({ object_key: uploadKey }).delete();
    },
    async put(q, key, source) {
      let idx = 0;
      let size = 0;
      let pending: Buffer = Buffer.alloc(0);
      for await (const bytes of source) {
        pending = pending.length ? Buffer.concat([pending, asBuffer(bytes)]) : asBuffer(bytes);
        size += bytes.length;
        while (pending.length >= chunkBytes) {
          await insert(q, key, idx++, pending.subarray(0, chunkBytes));
          pending = pending.subarray(chunkBytes);
        }
      }
      if (pending.length > 0) await insert(q, key, idx, pending);
      return { size };
    },
    async *get(q, key) {
      for (let idx = 0; ; idx++) {
        const b64 = await read(q, key, idx);
        if (b64 === null) return;
        yield Buffer.from(b64, 'base64');
      }
    },
    readChunkBase64: read,
    async delete(q, key) {
      await q(table).where({ object_key: key }).delete();
    },
  };
}
