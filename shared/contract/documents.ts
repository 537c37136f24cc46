import { z } from 'zod';
import { command, ok, query, requiredText, uuid } from './procedure';

// Customer documents: chunked upload, list, preview, download, archive, delete (DOMAIN 3).
//
// An upload is three steps (docs/architecture.md, "Documents"): `documents.upload.begin` (a command:
// checks name, size, holder and duplicate content, opens a staged upload), any number of
// `documents.upload.chunk` (≤ 1 MiB of bytes each, base64, into the staging table; transport, not
// bank state, so not audited one by one), then `documents.upload.commit`: the one command that
// verifies the bytes and creates the document with its bytes, or records it failed.

/** The file types a bank may allow, with the extension a download is saved under. */
export const DOCUMENT_TYPES = [
  { mime: 'application/pdf', ext: 'pdf', label: 'PDF' },
  { mime: 'image/png', ext: 'png', label: 'PNG' },
  { mime: 'image/jpeg', ext: 'jpg', label: 'JPEG' },
  { mime: 'image/tiff', ext: 'tif', label: 'TIFF' },
  { mime: 'image/heic', ext: 'heic', label: 'HEIC' },
  { mime: 'image/webp', ext: 'webp', label: 'WebP' },
  { mime: 'text/csv', ext: 'csv', label: 'CSV' },
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number]['mime'];
const documentType = z.enum(DOCUMENT_TYPES.map((t) => t.mime) as [DocumentType, ...DocumentType[]]);

export const DEFAULT_ALLOWED_TYPES: readonly DocumentType[] = DOCUMENT_TYPES.map((t) => t.mime);
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;
/** The most a bank may set as its per-file limit. */
export const MAX_FILE_MB_CEILING = 100;

/** Bytes of one transport chunk, and its base64 length. */
export const DOCUMENT_CHUNK_BYTES = 1024 * 1024;
const CHUNK_BASE64_MAX = Math.ceil(DOCUMENT_CHUNK_BYTES / 3) * 4;

export const DOCUMENT_STATUSES = ['new', 'active', 'failed', 'archived', 'deleted'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const documentDto = z.object({
  id: z.string(),
  holderId: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  originalName: z.string(),
  sanitizedName: z.string(),
  contentType: z.string().nullable(),
  size: z.number().int(),
  sha256: z.string(),
  /** Why the upload failed (status failed): an error code and its parameters, translated on screen. */
  failure: z.object({ code: z.string(), params: z.record(z.string(), z.unknown()) }).nullable(),
  uploadedBy: z.string(),
  createdAt: z.string(),
  archivedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
  deleteReason: z.string().nullable(),
});
export type DocumentDto = z.infer<typeof documentDto>;

export const documentSettingsDto = z.object({
  maxFileBytes: z.number().int(),
  allowedTypes: z.array(documentType),
  chunkBytes: z.number().int(),
});
export type DocumentSettingsDto = z.infer<typeof documentSettingsDto>;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** Long enough that an over-long name gets its own translated refusal rather than a schema error. */
const fileName = z.string().max(1024);

export const documentProcedures = {
  'documents.list': query({
    access: 'document.read',
    input: z.strictObject({ holderId: uuid }),
    output: z.array(documentDto),
  }),
  'documents.get': query({
    access: 'document.read',
    input: z.strictObject({ documentId: uuid }),
    output: documentDto,
  }),
  'documents.settings.get': query({
    access: 'document.read',
    input: z.strictObject({}),
    output: documentSettingsDto,
  }),
  'documents.settings.update': command({
    access: 'bank.settings.manage',
    input: {
      maxFileMb: z.number().int().min(1).max(MAX_FILE_MB_CEILING),
      allowedTypes: z.array(documentType).min(1).max(DOCUMENT_TYPES.length),
    },
    output: documentSettingsDto,
  }),
  'documents.upload.begin': command({
    access: 'document.create',
    input: {
      holderId: uuid,
      fileName,
      size: z
        .number()
        .int()
        .min(0)
        .max(2 ** 40),
      sha256,
    },
    output: z.object({ uploadId: z.string(), chunkBytes: z.number().int(), chunkCount: z.number().int() }),
  }),
  /** Staging (transport): one chunk of a begun upload, by its uploader. Re-sending a chunk is harmless. */
  'documents.upload.chunk': query({
    access: 'document.create',
    input: z.strictObject({
      uploadId: uuid,
      index: z.number().int().min(0).max(1_000_000),
      data: z.string().min(1).max(CHUNK_BASE64_MAX),
    }),
    output: z.object({ index: z.number().int(), bytes: z.number().int() }),
    maxBytes: CHUNK_BASE64_MAX + 4 * 1024,
  }),
  /** Staging (transport): drops a begun upload the user gave up on. */
  'documents.upload.abort': query({
    access: 'document.create',
    input: z.strictObject({ uploadId: uuid }),
    output: ok,
  }),
  'documents.upload.commit': command({
    access: 'document.create',
    input: {
      uploadId: uuid,
      /** A failed document this upload retries. */
      retryOf: uuid.optional(),
    },
    output: documentDto,
  }),
  /** Records the download (or preview) and hands out a short-lived token to read the bytes with. */
  'documents.download': command({
    access: 'document.download',
    input: { documentId: uuid, purpose: z.enum(['download', 'preview']) },
    output: z.object({
      token: z.string(),
      expiresAt: z.string(),
      size: z.number().int(),
      chunkBytes: z.number().int(),
      chunkCount: z.number().int(),
      contentType: z.string(),
      fileName: z.string(),
    }),
  }),
  'documents.downloadChunk': query({
    access: 'document.download',
    input: z.strictObject({
      token: z.string().min(1).max(1024),
      index: z.number().int().min(0).max(1_000_000),
    }),
    output: z.object({ index: z.number().int(), data: z.string() }),
  }),
  'documents.archive': command({
    access: 'document.delete',
    input: { documentId: uuid },
    output: documentDto,
  }),
  'documents.delete': command({
    access: 'document.delete',
    input: { documentId: uuid, reason: requiredText(500) },
    output: documentDto,
  }),
} as const;
