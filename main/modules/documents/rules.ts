import { AppError } from '../../../shared/errors';
import {
  DOCUMENT_TYPES,
  type DocumentStatus,
  type DocumentType,
  DEFAULT_ALLOWED_TYPES,
  DEFAULT_MAX_FILE_BYTES,
} from '../../../shared/contract/documents';

export { DOCUMENT_TYPES, DEFAULT_ALLOWED_TYPES, DEFAULT_MAX_FILE_BYTES };
export type { DocumentStatus, DocumentType };

/** Bytes per stored row and per transport chunk (IPC and WebSocket messages stay small). */
export const CHUNK_SIZE = 1024 * 1024;
export const MAX_NAME_LENGTH = 255;
/** A download token lives this long (DOMAIN 10.41: settled here). */
export const DOWNLOAD_TOKEN_TTL_MS = 5 * 60 * 1000;
/** Staged uploads never committed are dropped after this. */
export const STAGED_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

/** Every character that reorders text on screen: an invoice.pdf that is really fdp.exe. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;

export type NameProblem = 'empty' | 'tooLong' | 'separator' | 'dotDot' | 'control' | 'bidi';

/** Why a file name is refused, or null when it may be kept. Checked on the name as given. */
export function fileNameProblem(name: string): NameProblem | null {
  if (BIDI_CONTROLS.test(name)) return 'bidi';
  if (CONTROL.test(name)) return 'control';
  const trimmed = name.trim();
  if (trimmed.length === 0) return 'empty';
  if ([...trimmed].length > MAX_NAME_LENGTH) return 'tooLong';
  if (/[/\\]/.test(trimmed)) return 'separator';
  if (trimmed.includes('..')) return 'dotDot';
  return null;
}

export function assertFileName(name: string): string {
  const problem = fileNameProblem(name);
  if (problem) throw new AppError('DOCUMENT_NAME_INVALID', { problem });
  return name.trim();
}

/** DOMAIN 3: surrounding whitespace trimmed, every character but a letter, digit or hyphen → '-'. */
export function sanitizeFileName(name: string): string {
  return name.trim().replace(/[^\p{L}\p{N}-]/gu, '-');
}

/** DOMAIN 3: the extension of the storage key. */
export function extensionFor(contentType: string): string {
  if (contentType === 'application/pdf') return '.pdf';
  if (contentType === 'text/csv') return '.csv';
  return '';
}

export function objectKey(documentId: string, contentType: string): string {
  return `documents/customer_document/${documentId}${extensionFor(contentType)}`;
}

/** The name a download is saved under: the sanitized stem and the extension of the real type. */
export function downloadName(originalName: string, contentType: string | null): string {
  const trimmed = originalName.trim();
  const dot = trimmed.lastIndexOf('.');
  const stem = dot > 0 ? trimmed.slice(0, dot) : trimmed;
  const type = DOCUMENT_TYPES.find((t) => t.mime === contentType);
  return `${sanitizeFileName(stem) || 'document'}${type ? `.${type.ext}` : ''}`;
}

export function assertSize(size: number, maxBytes: number): void {
  if (size <= 0) throw new AppError('DOCUMENT_EMPTY');
  if (size > maxBytes) {
    throw new AppError('DOCUMENT_TOO_LARGE', { limitMb: Math.floor(maxBytes / (1024 * 1024)), size });
  }
}

export function chunkCount(size: number, chunkSize = CHUNK_SIZE): number {
  return Math.ceil(size / chunkSize);
}

/**
 * The content type of a file from what its bytes say (detected: the magic-number library's
 * answer, or undefined). CSV has no magic number: a file is CSV only when its name ends in .csv
 * and all its bytes are UTF-8 text without NUL. Anything else is an octet stream.
 */
export function classifyContent(p: {
  detected: string | undefined;
  fileName: string;
  utf8Text: boolean;
}): string {
  if (p.detected) return p.detected === 'image/heif' ? 'image/heic' : p.detected;
  if (/\.csv$/i.test(p.fileName.trim()) && p.utf8Text) return 'text/csv';
  return 'application/octet-stream';
}

export function assertAllowedType(contentType: string, allowed: readonly string[]): void {
  if (!allowed.includes(contentType))
    throw new AppError('DOCUMENT_TYPE_NOT_ALLOWED', { detected: contentType });
}

const TRANSITIONS: Record<'archive' | 'delete' | 'retry' | 'download', DocumentStatus[]> = {
  archive: ['active'],
  delete: ['active', 'archived', 'failed'],
  retry: ['failed'],
  download: ['active', 'archived'],
};

/** DOMAIN 3's state table: which statuses an operation may start from. */
export function assertTransition(op: keyof typeof TRANSITIONS, status: DocumentStatus): void {
  if (!TRANSITIONS[op].includes(status)) throw new AppError('DOCUMENT_STATUS', { status, operation: op });
}

/** A streaming check that bytes are UTF-8 text without NUL (for CSV). */
export function utf8TextChecker() {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let ok = true;
  return {
    push(bytes: Uint8Array, last: boolean) {
      if (!ok) return;
      if (bytes.includes(0)) {
        ok = false;
        return;
      }
      try {
        decoder.decode(bytes, { stream: !last });
      } catch {
        ok = false;
      }
    },
    get ok() {
      return ok;
    },
  };
}
