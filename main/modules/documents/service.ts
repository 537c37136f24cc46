import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual, type Hash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { isUniqueViolation, type Db, type Trx } from '../../db';
import { AppError, type ErrorParams } from '../../../shared/errors';
import type { DocumentDto, DocumentSettingsDto, DocumentType } from '../../../shared/contract';
import { describeTarget, type CommandScope, type RequestContext } from '../../ipc/context';
import * as repo from './repo';
import { postgresStorage, stagingKey, type DocumentStorage } from './storage';
import {
  assertAllowedType,
  assertFileName,
  assertSize,
  assertTransition,
  CHUNK_SIZE,
  chunkCount,
  classifyContent,
  DEFAULT_ALLOWED_TYPES,
  DEFAULT_MAX_FILE_BYTES,
  DOCUMENT_TYPES,
  DOWNLOAD_TOKEN_TTL_MS,
  downloadName,
  objectKey,
  sanitizeFileName,
  STAGED_UPLOAD_TTL_MS,
  utf8TextChecker,
} from './rules';

/**
 * The seam for a malware scanner: it sees the bytes of a committed upload before they are kept and
 * may refuse them (the document is then recorded failed with DOCUMENT_REJECTED). None by default.
 */
export interface ContentScanner {
  scan(
    bytes: AsyncIterable<Buffer>,
    meta: { documentId: string; contentType: string; size: number },
  ): Promise<{ clean: true } | { clean: false; reason: string }>;
}

export interface DocumentServiceOptions {
  /** The object store (default: the bank's PostgreSQL, postgresStorage). */
  storage?: DocumentStorage;
  /** The database is the embedded PGlite (the default store then writes bytes as base64 text). */
  embedded?: boolean;
  scanner?: ContentScanner;
  /** Signs download tokens; a random secret per process by default (tokens are redeemed where issued). */
  tokenSecret?: Buffer;
}

type Failure = { code: string; params: ErrorParams };

function failureOf(err: unknown): Failure {
  if (err instanceof AppError) return { code: err.code, params: err.params };
  throw err;
}

function toDto(r: repo.DocumentRow): DocumentDto {
  return {
    id: r.id,
    holderId: r.holder_id,
    status: r.status,
    originalName: r.original_name,
    sanitizedName: r.sanitized_name,
    contentType: r.content_type,
    size: Number(r.size_bytes),
    sha256: r.sha256,
    failure: r.failure_code ? { code: r.failure_code, params: r.failure_params ?? {} } : null,
    uploadedBy: r.uploader,
    createdAt: r.created_at.toISOString(),
    archivedAt: r.archived_at ? r.archived_at.toISOString() : null,
    deletedAt: r.deleted_at ? r.deleted_at.toISOString() : null,
    deleteReason: r.delete_reason,
  };
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Bytes of an upload's first part that the type detector looks at. */
const HEAD_BYTES = 4100;
/** Uploads whose parts are hashed as they arrive; beyond this, the oldest is forgotten. */
const MAX_INFLIGHT = 64;

/**
 * An upload whose parts have arrived in order at this process so far: their SHA-256 and UTF-8
 * check run as they pass, so the commit need not read the bytes back. Anything unusual (a part
 * out of order or sent twice, a restart) drops it, and the commit reads the staged parts instead.
 */
interface Inflight {
  owner: string;
  size: number;
  count: number;
  chunkSize: number;
  /** The next part the hash expects; -1 once the order was lost. */
  next: number;
  /** Parts that arrived ahead of their turn (a client sends a few at once), at most REORDER_WINDOW. */
  ahead: Map<number, Buffer>;
  hash: Hash;
  text: ReturnType<typeof utf8TextChecker>;
}

/** How many parts may wait for an earlier one (memory: this many parts per upload). */
const REORDER_WINDOW = 4;

function consume(state: Inflight, index: number, bytes: Buffer): void {
  if (state.next < 0) return;
  if (index !== state.next) {
    if (index > state.next && !state.ahead.has(index) && state.ahead.size < REORDER_WINDOW) {
      state.ahead.set(index, bytes);
    } else {
      state.next = -1; // sent twice, or too far ahead: the commit reads the staged parts instead
      state.ahead.clear();
    }
    return;
  }
  for (let part: Buffer | undefined = bytes; part; part = state.ahead.get(state.next)) {
    state.ahead.delete(state.next);
    state.hash.update(part);
    state.text.push(part, state.next === state.count - 1);
    state.next++;
  }
}

export function createDocumentService(db: Db, opts: DocumentServiceOptions = {}) {
  const storage = opts.storage ?? postgresStorage({ chunkBytes: CHUNK_SIZE, binaryParams: !opts.embedded });
  const secret = opts.tokenSecret ?? randomBytes(32);
  const inflight = new Map<string, Inflight>();

  async function settings(q: Db | Trx = db): Promise<DocumentSettingsDto> {
    const row = await repo.getSettings(q);
    const known = DOCUMENT_TYPES.map((t) => t.mime as string);
    const stored = row
      ? typeof row.allowed_types === 'string'
        ? parseArray(row.allowed_types)
        : row.allowed_types
      : null;
    return {
      maxFileBytes: row ? Number(row.max_file_bytes) : DEFAULT_MAX_FILE_BYTES,
      allowedTypes: (stored
        ? stored.filter((t) => known.includes(t))
        : [...DEFAULT_ALLOWED_TYPES]) as DocumentType[],
      chunkBytes: CHUNK_SIZE,
    };
  }

  async function mustFind(q: Db | Trx, id: string, lock = false): Promise<repo.DocumentRow> {
    const doc = await repo.findDocument(q, id, lock);
    if (!doc) throw new AppError('NOT_FOUND', { entity: 'document' });
    return doc;
  }

  async function refuseSameContent(q: Trx, holderId: string, sha256: string): Promise<void> {
    const same = await repo.findSameContent(q, holderId, sha256);
    if (same) {
      throw new AppError('DOCUMENT_ALREADY_ATTACHED', {
        documentId: same.id,
        fileName: same.original_name,
        uploadedAt: same.created_at.toISOString().slice(0, 10),
      });
    }
  }

  function sign(payload: string): string {
    return createHmac('sha256', secret).update(payload).digest('base64url');
  }

  function readToken(token: string, ctx: RequestContext): string {
    const [body, mac] = token.split('.');
    if (!body || !mac) throw new AppError('DOCUMENT_LINK_INVALID');
    const expected = Buffer.from(sign(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new AppError('DOCUMENT_LINK_INVALID');
    }
    const [documentId, userId, expires] = Buffer.from(body, 'base64url').toString().split('|');
    if (userId !== ctx.actor.userId || Number(expires) < ctx.clock.now().getTime() || !documentId) {
      throw new AppError('DOCUMENT_LINK_INVALID');
    }
    return documentId;
  }

  return {
    settings: (q?: Db | Trx) => settings(q),

    async updateSettings(
      scope: CommandScope,
      input: { maxFileMb: number; allowedTypes: DocumentType[] },
    ): Promise<DocumentSettingsDto> {
      const before = await settings(scope.trx);
      const allowedTypes = DOCUMENT_TYPES.map((t) => t.mime).filter((m) => input.allowedTypes.includes(m));
      await repo.putSettings(scope.trx, {
        maxFileBytes: input.maxFileMb * 1024 * 1024,
        allowedTypes,
        by: scope.actor.userId,
        at: scope.clock.now(),
      });
      describeTarget(scope, 'document_settings', '1', {
        from: { maxFileBytes: before.maxFileBytes, allowedTypes: before.allowedTypes },
        to: { maxFileBytes: input.maxFileMb * 1024 * 1024, allowedTypes },
      });
      return settings(scope.trx);
    },

    async list(holderId: string): Promise<DocumentDto[]> {
      return (await repo.listDocuments(db, holderId)).map(toDto);
    },

    async get(id: string): Promise<DocumentDto> {
      return toDto(await mustFind(db, id));
    },

    /** Opens a staged upload after the checks that need no bytes: name, size, holder, same content. */
    async beginUpload(
      scope: CommandScope,
      input: { holderId: string; fileName: string; size: number; sha256: string },
    ): Promise<{ uploadId: string; chunkBytes: number; chunkCount: number }> {
      const fileName = assertFileName(input.fileName);
      assertSize(input.size, (await settings(scope.trx)).maxFileBytes);
      if (!(await repo.holderExists(scope.trx, input.holderId))) {
        throw new AppError('NOT_FOUND', { entity: 'holder' });
      }
      await refuseSameContent(scope.trx, input.holderId, input.sha256);
      const now = scope.clock.now();
      for (const stale of await repo.uploadsBefore(
        scope.trx,
        new Date(now.getTime() - STAGED_UPLOAD_TTL_MS),
      )) {
        await storage.abortParts(scope.trx, stagingKey(stale));
        await repo.deleteUpload(scope.trx, stale);
        inflight.delete(stale);
      }
      const uploadId = randomUUID();
      await repo.insertUpload(scope.trx, {
        id: uploadId,
        holderId: input.holderId,
        ownerId: scope.actor.userId!,
        fileName,
        size: input.size,
        sha256: input.sha256,
        chunkSize: CHUNK_SIZE,
        at: now,
      });
      describeTarget(scope, 'customer_document_upload', uploadId, {
        holderId: input.holderId,
        fileName,
        size: input.size,
        sha256: input.sha256,
      });
      return { uploadId, chunkBytes: CHUNK_SIZE, chunkCount: chunkCount(input.size) };
    },

    /** Stages one chunk of the caller's own upload (a re-sent chunk replaces itself). */
    async putChunk(
      ctx: RequestContext,
      input: { uploadId: string; index: number; data: string },
    ): Promise<{ index: number; bytes: number }> {
      let state = inflight.get(input.uploadId);
      if (!state) {
        const upload = await repo.findUpload(db, input.uploadId);
        if (!upload) throw new AppError('DOCUMENT_UPLOAD_UNKNOWN');
        const size = Number(upload.size_bytes);
        // Another part of the same upload may have made it meanwhile.
        state = inflight.get(input.uploadId) ?? {
          owner: upload.owner_id,
          size,
          count: chunkCount(size, upload.chunk_size),
          chunkSize: upload.chunk_size,
          next: 0,
          ahead: new Map(),
          hash: createHash('sha256'),
          text: utf8TextChecker(),
        };
        if (!inflight.has(input.uploadId) && inflight.size >= MAX_INFLIGHT) {
          inflight.delete(inflight.keys().next().value!);
        }
        inflight.set(input.uploadId, state);
      }
      if (state.owner !== ctx.actor.userId) throw new AppError('DOCUMENT_UPLOAD_UNKNOWN');
      const bytes = Buffer.from(input.data, 'base64');
      const expected =
        input.index < state.count - 1 ? state.chunkSize : state.size - state.chunkSize * (state.count - 1);
      if (input.index >= state.count || bytes.length !== expected) {
        throw new AppError('VALIDATION_FAILED', { fields: ['data'], issue: 'chunk_size' });
      }
      consume(state, input.index, bytes);
      try {
        // Under a share lock on the upload: a part cannot slip in beside a commit (which holds the
        // row for update and then deletes it), so no part is ever left without its upload.
        await db.transaction(async (trx) => {
          if (!(await repo.findUploadShared(trx, input.uploadId)))
            throw new AppError('DOCUMENT_UPLOAD_UNKNOWN');
          await storage.putPart(trx, stagingKey(input.uploadId), input.index, bytes);
        });
      } catch (err) {
        state.next = -1;
        state.ahead.clear();
        throw err;
      }
      return { index: input.index, bytes: bytes.length };
    },

    async abortUpload(ctx: RequestContext, uploadId: string): Promise<{ ok: true }> {
      const upload = await repo.findUpload(db, uploadId);
      if (upload && upload.owner_id === ctx.actor.userId) {
        await db.transaction(async (trx) => {
          await storage.abortParts(trx, stagingKey(uploadId));
          await repo.deleteUpload(trx, uploadId);
        });
        inflight.delete(uploadId);
      }
      return { ok: true };
    },

    /**
     * The one command of an upload: the staged bytes are verified (complete, the declared SHA-256,
     * a type detected from the bytes and allowed) and become the document's bytes and its record
     * together. Bytes that fail a check leave only a failed record with the reason (retryable).
     */
    async commitUpload(
      scope: CommandScope,
      input: { uploadId: string; retryOf?: string },
    ): Promise<DocumentDto> {
      const trx = scope.trx;
      const upload = await repo.findUpload(trx, input.uploadId, true);
      if (!upload || upload.owner_id !== scope.actor.userId) throw new AppError('DOCUMENT_UPLOAD_UNKNOWN');
      const size = Number(upload.size_bytes);
      const count = chunkCount(size, upload.chunk_size);
      const staging = stagingKey(upload.id);
      const staged = await storage.partStats(trx, staging);
      if (staged.parts !== count || staged.bytes !== size) {
        throw new AppError('DOCUMENT_UPLOAD_INCOMPLETE', { received: staged.parts, expected: count });
      }
      const retried = input.retryOf ? await mustFind(trx, input.retryOf, true) : undefined;
      if (retried) {
        if (retried.holder_id !== upload.holder_id) throw new AppError('NOT_FOUND', { entity: 'document' });
        assertTransition('retry', retried.status);
      }
      await refuseSameContent(trx, upload.holder_id, upload.sha256);

      const id = retried?.id ?? randomUUID();
      const current = await settings(trx);
      const head = (await storage.readPart(trx, staging, 0))!.subarray(0, HEAD_BYTES);
      const contentType = classifyContent({
        detected: (await fileTypeFromBuffer(head))?.mime,
        fileName: upload.file_name,
        utf8Text: true, // a CSV candidate's whole content is checked below
      });

      // What the bytes are: hashed as they arrived, or read back from the staged parts.
      const seen = inflight.get(upload.id);
      inflight.delete(upload.id);
      let sha256: string;
      let utf8Text: boolean;
      if (seen && seen.next === count) {
        sha256 = seen.hash.digest('hex');
        utf8Text = seen.text.ok;
      } else {
        const hash = createHash('sha256');
        const text = utf8TextChecker();
        for (let idx = 0; idx < count; idx++) {
          const part = (await storage.readPart(trx, staging, idx))!;
          hash.update(part);
          text.push(part, idx === count - 1);
        }
        sha256 = hash.digest('hex');
        utf8Text = text.ok;
      }

      let failure: Failure | null = null;
      try {
        assertSize(size, current.maxFileBytes);
        assertAllowedType(contentType, current.allowedTypes);
        if (sha256 !== upload.sha256) throw new AppError('DOCUMENT_CONTENT_MISMATCH');
        if (contentType === 'text/csv' && !utf8Text) {
          throw new AppError('DOCUMENT_TYPE_NOT_ALLOWED', { detected: 'application/octet-stream' });
        }
      } catch (err) {
        failure = failureOf(err);
      }
      let key: string | null = null;
      if (!failure && opts.scanner) {
        async function* parts() {
          for (let idx = 0; idx < count; idx++) yield (await storage.readPart(trx, staging, idx))!;
        }
        const verdict = await opts.scanner.scan(parts(), { documentId: id, contentType, size });
        if (!verdict.clean) failure = { code: 'DOCUMENT_REJECTED', params: { reason: verdict.reason } };
      }
      if (failure) {
        await storage.abortParts(trx, staging);
      } else {
        key = objectKey(id, contentType);
        await storage.completeParts(trx, staging, key);
      }

      const now = scope.clock.now();
      const record = {
        status: failure ? ('failed' as const) : ('active' as const),
        originalName: upload.file_name,
        sanitizedName: sanitizeFileName(upload.file_name),
        contentType: failure
          ? contentType === 'application/octet-stream'
            ? null
            : contentType
          : contentType,
        objectKey: key,
        failure,
      };
      try {
        if (retried) {
          await repo.updateDocument(trx, id, {
            status: record.status,
            original_name: record.originalName,
            sanitized_name: record.sanitizedName,
            content_type: record.contentType,
            size_bytes: size,
            sha256: upload.sha256,
            object_key: record.objectKey,
            failure_code: failure?.code ?? null,
            failure_params: failure?.params ?? null,
            uploaded_by: scope.actor.userId,
            updated_at: now,
          });
        } else {
          await repo.insertDocument(trx, {
            id,
            holderId: upload.holder_id,
            ...record,
            size,
            sha256: upload.sha256,
            by: scope.actor.userId!,
            at: now,
          });
        }
      } catch (err) {
        // Another workstation attached the same content a moment ago.
        if (isUniqueViolation(err, 'customer_documents_same_content')) {
          throw new AppError('DOCUMENT_ALREADY_ATTACHED', { documentId: '', fileName: '', uploadedAt: '' });
        }
        throw err;
      }
      await repo.deleteUpload(trx, upload.id);
      describeTarget(scope, 'customer_document', id, {
        event: failure ? 'UploadFailed' : 'FileUploaded',
        holderId: upload.holder_id,
        fileName: upload.file_name,
        size,
        sha256: upload.sha256,
        contentType,
        ...(failure ? { failure: failure.code } : {}),
        ...(retried ? { retry: true } : {}),
      });
      return toDto((await repo.findDocument(trx, id))!);
    },

    /** Records the download or preview (DownloadLinkGenerated) and returns a 5-minute token. */
    async download(
      scope: CommandScope,
      input: { documentId: string; purpose: 'download' | 'preview' },
    ): Promise<{
      token: string;
      expiresAt: string;
      size: number;
      chunkBytes: number;
      chunkCount: number;
      contentType: string;
      fileName: string;
    }> {
      const doc = await mustFind(scope.trx, input.documentId);
      assertTransition('download', doc.status);
      const expires = new Date(scope.clock.now().getTime() + DOWNLOAD_TOKEN_TTL_MS);
      const body = b64url(`${doc.id}|${scope.actor.userId}|${expires.getTime()}`);
      describeTarget(scope, 'customer_document', doc.id, {
        event: input.purpose === 'download' ? 'DownloadLinkGenerated' : 'DocumentViewed',
        purpose: input.purpose,
        holderId: doc.holder_id,
        expiresAt: expires.toISOString(),
      });
      const size = Number(doc.size_bytes);
      return {
        token: `${body}.${sign(body)}`,
        expiresAt: expires.toISOString(),
        size,
        chunkBytes: storage.chunkBytes,
        chunkCount: chunkCount(size, storage.chunkBytes),
        contentType: doc.content_type!,
        fileName: downloadName(doc.original_name, doc.content_type),
      };
    },

    /** One chunk of a document, for the holder of a valid token (its user, before it expires). */
    async downloadChunk(ctx: RequestContext, input: { token: string; index: number }) {
      const documentId = readToken(input.token, ctx);
      const doc = await mustFind(db, documentId);
      assertTransition('download', doc.status);
      const data = await storage.readChunkBase64(db, doc.object_key!, input.index);
      if (data === null) throw new AppError('NOT_FOUND', { entity: 'chunk' });
      return { index: input.index, data };
    },

    /** The whole content as a stream (server-side use: exports, the benchmark). */
    read(documentKey: string): AsyncIterable<Buffer> {
      return storage.get(db, documentKey);
    },

    async archive(scope: CommandScope, documentId: string): Promise<DocumentDto> {
      const doc = await mustFind(scope.trx, documentId, true);
      assertTransition('archive', doc.status);
      const now = scope.clock.now();
      await repo.updateDocument(scope.trx, doc.id, {
        status: 'archived',
        archived_at: now,
        archived_by: scope.actor.userId,
        updated_at: now,
      });
      describeTarget(scope, 'customer_document', doc.id, {
        event: 'DocumentArchived',
        holderId: doc.holder_id,
      });
      return toDto((await repo.findDocument(scope.trx, doc.id))!);
    },

    /** Removes the bytes from storage and soft-deletes the record, with the reason. */
    async remove(scope: CommandScope, documentId: string, reason: string): Promise<DocumentDto> {
      const doc = await mustFind(scope.trx, documentId, true);
      assertTransition('delete', doc.status);
      if (doc.object_key) await storage.delete(scope.trx, doc.object_key);
      const now = scope.clock.now();
      await repo.updateDocument(scope.trx, doc.id, {
        status: 'deleted',
        deleted_at: now,
        deleted_by: scope.actor.userId,
        delete_reason: reason,
        updated_at: now,
      });
      describeTarget(scope, 'customer_document', doc.id, {
        event: 'DocumentDeleted',
        holderId: doc.holder_id,
        reason,
        from: doc.status,
      });
      return toDto((await repo.findDocument(scope.trx, doc.id))!);
    },
  };
}

/** A text[] that reached us in its literal form ('{a,b}'). */
function parseArray(literal: string): string[] {
  return literal
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean)
    .map((s) => s.replace(/^"|"$/g, ''));
}

export type DocumentService = ReturnType<typeof createDocumentService>;
