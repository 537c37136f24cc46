import type { Db, Trx } from '../../db';
import type { DocumentStatus } from './rules';

type Q = Db | Trx;

export interface DocumentRow {
  id: string;
  holder_id: string;
  status: DocumentStatus;
  original_name: string;
  sanitized_name: string;
  content_type: string | null;
  size_bytes: string;
  sha256: string;
  object_key: string | null;
  failure_code: string | null;
  failure_params: Record<string, unknown> | null;
  uploaded_by: string;
  uploader: string;
  created_at: Date;
  archived_at: Date | null;
  deleted_at: Date | null;
  delete_reason: string | null;
}

function documents(q: Q) {
  return q('customer_documents as d')
    .join('staff_users as u', 'u.id', 'd.uploaded_by')
    .select('d.*', 'u.username as uploader');
}

export async function holderExists(q: Q, holderId: string): Promise<boolean> {
  return Boolean(await q('prospects').where({ id: holderId }).first('id'));
}

export async function listDocuments(q: Q, holderId: string): Promise<DocumentRow[]> {
  return documents(q)
    .where('d.holder_id', holderId)
    .whereNot('d.status', 'deleted')
    .orderBy([
      { column: 'd.created_at', order: 'desc' },
      { column: 'd.id', order: 'desc' },
    ]);
}

export async function findDocument(q: Q, id: string, lock = false): Promise<DocumentRow | undefined> {
  if (lock) await q('customer_documents').where({ id }).forUpdate().first('id');
  return documents(q).where('d.id', id).first();
}

/** The holder's document with this content that is still attached, if any. */
export async function findSameContent(
  q: Q,
  holderId: string,
  sha256: string,
): Promise<DocumentRow | undefined> {
  return documents(q)
    .where({ 'd.holder_id': holderId, 'd.sha256': sha256 })
    .whereIn('d.status', ['active', 'archived'])
    .first();
}

export async function insertDocument(
  q: Q,
  d: {
    id: string;
    holderId: string;
    status: DocumentStatus;
    originalName: string;
    sanitizedName: string;
    contentType: string | null;
    size: number;
    sha256: string;
    objectKey: string | null;
    failure: { code: string; params: Record<string, unknown> } | null;
    by: string;
    at: Date;
  },
): Promise<void> {
  await q('customer_documents').insert({
    id: d.id,
    holder_id: d.holderId,
    status: d.status,
    original_name: d.originalName,
    sanitized_name: d.sanitizedName,
    content_type: d.contentType,
    size_bytes: d.size,
    sha256: d.sha256,
    object_key: d.objectKey,
    failure_code: d.failure?.code ?? null,
    failure_params: d.failure ? JSON.stringify(d.failure.params) : null,
    uploaded_by: d.by,
    created_at: d.at,
    updated_at: d.at,
  });
}

export async function updateDocument(q: Q, id: string, patch: Record<string, unknown>): Promise<void> {
  const row = { ...patch };
  if ('failure_params' in row && row.failure_params !== null)
    row.failure_params = JSON.stringify(row.failure_params);
  await q('customer_documents').where({ id }).update(row);
}

// Staged uploads.

export interface UploadRow {
  id: string;
  holder_id: string;
  owner_id: string;
  file_name: string;
  size_bytes: string;
  sha256: string;
  chunk_size: number;
  created_at: Date;
}

export async function insertUpload(
  q: Q,
  u: {
    id: string;
    holderId: string;
    ownerId: string;
    fileName: string;
    size: number;
    sha256: string;
    chunkSize: number;
    at: Date;
  },
): Promise<void> {
  await q('customer_document_uploads').insert({
    id: u.id,
    holder_id: u.holderId,
    owner_id: u.ownerId,
    file_name: u.fileName,
    size_bytes: u.size,
    sha256: u.sha256,
    chunk_size: u.chunkSize,
    created_at: u.at,
  });
}

export async function findUpload(q: Q, id: string, lock = false): Promise<UploadRow | undefined> {
  const query = q('customer_document_uploads').where({ id }).first<UploadRow>();
  return lock ? query.forUpdate() : query;
}

/** The upload's row under a share lock (a part being staged), or undefined when it is gone. */
export async function findUploadShared(q: Trx, id: string): Promise<{ id: string } | undefined> {
  return q('customer_document_uploads').where({ id }).forShare().first('id');
}

export async function deleteUpload(q: Q, id: string): Promise<void> {
  await q('customer_document_uploads').where({ id }).delete();
}

/** Staged uploads begun before the cutoff (never committed nor aborted). */
export async function uploadsBefore(q: Q, cutoff: Date): Promise<string[]> {
  const rows = await q('customer_document_uploads').where('created_at', '<', cutoff).select('id');
  return rows.map((r: { id: string }) => r.id);
}

// Settings.

export async function getSettings(
  q: Q,
): Promise<{ max_file_bytes: string; allowed_types: string[] | string } | undefined> {
  return q('customer_document_settings').where({ id: 1 }).first('max_file_bytes', 'allowed_types');
}

export async function putSettings(
  q: Q,
  s: { maxFileBytes: number; allowedTypes: string[]; by: string | null; at: Date },
) {
  await q('customer_document_settings')
    .insert({
      id: 1,
      max_file_bytes: s.maxFileBytes,
      allowed_types: `{${s.allowedTypes.join(',')}}`,
      updated_at: s.at,
      updated_by: s.by,
    })
    .onConflict('id')
    .merge();
}
