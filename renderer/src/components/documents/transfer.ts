import type { DocumentDto } from '@shared/contract';
import { ApiError, call, newCommandId } from '../../api';

// Moving a document's bytes over the bridge in ≤ 1 MiB base64 chunks (docs/architecture.md,
// "Documents"): an upload is begin → chunks → commit; a download is download → chunks.

type Base64Native = {
  toBase64?: () => string;
};
type Base64Ctor = { fromBase64?: (s: string) => Uint8Array };

function toBase64(bytes: Uint8Array): string {
  const native = (bytes as unknown as Base64Native).toBase64;
  if (native) return native.call(bytes);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(data: string): Uint8Array<ArrayBuffer> {
  const native = (Uint8Array as unknown as Base64Ctor).fromBase64;
  if (native) return native(data) as Uint8Array<ArrayBuffer>;
  const binary = atob(data);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Chunks an upload keeps in flight. */
const CHUNKS_IN_FLIGHT = 3;

export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * Uploads one file: begin (the bank checks name, size and duplicate content before any byte is
 * sent), every chunk, then the commit that makes it a document. Throws ApiError on a refusal; a
 * commit whose bytes fail a check answers a document in status 'failed'.
 */
export async function uploadFile(
  file: File,
  holderId: string,
  onProgress: (p: UploadProgress) => void,
  opts: { retryOf?: string; maxFileBytes?: number } = {},
): Promise<DocumentDto> {
  const { retryOf, maxFileBytes } = opts;
  // A file the bank will refuse for its size is not read at all: the bank says why from its size.
  if (file.size === 0 || (maxFileBytes !== undefined && file.size > maxFileBytes)) {
    await call('documents.upload.begin', {
      commandId: newCommandId(),
      holderId,
      fileName: file.name,
      size: file.size,
      sha256: '0'.repeat(64),
    });
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const begun = await call('documents.upload.begin', {
    commandId: newCommandId(),
    holderId,
    fileName: file.name,
    size: bytes.length,
    sha256: await sha256Hex(bytes.buffer),
  });
  onProgress({ sent: 0, total: begun.chunkCount });
  try {
    // A few chunks in flight: the bank stores one while the next crosses the bridge.
    let next = 0;
    let sent = 0;
    const sender = async () => {
      for (let index = next++; index < begun.chunkCount; index = next++) {
        const data = toBase64(bytes.subarray(index * begun.chunkBytes, (index + 1) * begun.chunkBytes));
        await call('documents.upload.chunk', { uploadId: begun.uploadId, index, data });
        onProgress({ sent: ++sent, total: begun.chunkCount });
      }
    };
    await Promise.all(Array.from({ length: CHUNKS_IN_FLIGHT }, sender));
    return await call('documents.upload.commit', {
      commandId: newCommandId(),
      uploadId: begun.uploadId,
      ...(retryOf ? { retryOf } : {}),
    });
  } catch (err) {
    // The staged bytes are of no use any more; the bank would drop them within a day anyway.
    if (err instanceof ApiError)
      void call('documents.upload.abort', { uploadId: begun.uploadId }).catch(() => undefined);
    throw err;
  }
}

/** Fetches a document's bytes (the bank records the download or the preview first). */
export async function fetchDocument(
  documentId: string,
  purpose: 'download' | 'preview',
): Promise<{ blob: Blob; fileName: string; contentType: string }> {
  const link = await call('documents.download', { commandId: newCommandId(), documentId, purpose });
  const parts: Uint8Array<ArrayBuffer>[] = new Array(link.chunkCount);
  let next = 0;
  const fetcher = async () => {
    for (let index = next++; index < link.chunkCount; index = next++) {
      parts[index] = fromBase64((await call('documents.downloadChunk', { token: link.token, index })).data);
    }
  };
  await Promise.all(Array.from({ length: CHUNKS_IN_FLIGHT }, fetcher));
  return {
    blob: new Blob(parts, { type: link.contentType }),
    fileName: link.fileName,
    contentType: link.contentType,
  };
}
