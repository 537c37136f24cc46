import { useCallback, useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { DOCUMENT_TYPES, type DocumentDto, type DocumentSettingsDto } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload } from '../api';
import { describeError } from './errors';
import { ErrorMessage, Field, Modal } from './ui';
import { useCommand } from './useCommand';
import { can, useSession } from '../stores/session';
import { useToasts } from '../stores/toasts';
import { saveBlob } from './download';
import { fetchDocument, uploadFile } from './documents/transfer';
import './documents/documents.css';

/** Types a browser frame or <img> shows safely; the rest is downloaded instead. */
const PREVIEWABLE = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/webp']);

interface UploadItem {
  key: string;
  name: string;
  sent: number;
  total: number;
  state: 'preparing' | 'sending' | 'done' | 'failed';
  error?: ErrorPayload;
}

/** A document error in one sentence, with the reason a file name was refused. */
export function describeDocumentError(t: TFunction, e: ErrorPayload): string {
  const text = describeError(t, e);
  if (e.code === 'DOCUMENT_NAME_INVALID' && typeof e.params.problem === 'string') {
    return `${text} ${t(`documents.nameProblem.${e.params.problem}`)}`;
  }
  return text;
}

function failurePayload(doc: DocumentDto): ErrorPayload | undefined {
  if (!doc.failure) return undefined;
  return {
    code: doc.failure.code as ErrorPayload['code'],
    messageKey: `errors.${doc.failure.code}`,
    params: doc.failure.params as ErrorPayload['params'],
  };
}

function formatSize(bytes: number, lang: string): string {
  const fmt = (n: number, unit: string) =>
    `${new Intl.NumberFormat(lang, { maximumFractionDigits: n < 10 ? 1 : 0 }).format(n)} ${unit}`;
  if (bytes < 1024) return fmt(bytes, 'B');
  if (bytes < 1024 * 1024) return fmt(bytes / 1024, 'KB');
  return fmt(bytes / (1024 * 1024), 'MB');
}

function typeLabel(contentType: string | null): string {
  return DOCUMENT_TYPES.find((t) => t.mime === contentType)?.label ?? contentType ?? '—';
}

function Preview({ doc, onClose }: { doc: DocumentDto; onClose: () => void }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<{ url: string; type: string } | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  useEffect(() => {
    let url: string | undefined;
    let gone = false;
    fetchDocument(doc.id, 'preview')
      .then(({ blob, contentType }) => {
        if (gone) return;
        url = URL.createObjectURL(blob);
        setShown({ url, type: contentType });
      })
      .catch((err: unknown) => setError(errorPayload(err)));
    return () => {
      gone = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [doc.id]);
  return (
    <Modal title={t('documents.previewTitle', { name: doc.originalName })} onClose={onClose}>
      <div className="documents-preview" data-testid="document-preview">
        <ErrorMessage error={error} />
        {!shown && !error ? <p className="hint">{t('documents.loading')}</p> : null}
        {shown?.type === 'application/pdf' ? (
          // No viewer toolbar: a preview is recorded as a view, saving a copy goes through Download.
          <iframe
            title={doc.originalName}
            src={`${shown.url}#toolbar=0&navpanes=0`}
            className="documents-preview-frame"
          />
        ) : shown ? (
          <img src={shown.url} alt={doc.originalName} className="documents-preview-image" />
        ) : null}
      </div>
    </Modal>
  );
}

function DeleteDialog({
  doc,
  onClose,
  onDone,
}: {
  doc: DocumentDto;
  onClose: () => void;
  onDone: (d: DocumentDto) => void;
}) {
  const { t } = useTranslation();
  const remove = useCommand('documents.delete');
  const [reason, setReason] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    const done = await remove.run({ documentId: doc.id, reason });
    if (done) onDone(done);
  }
  return (
    <Modal title={t('documents.deleteTitle', { name: doc.originalName })} onClose={onClose}>
      <form onSubmit={submit}>
        <p className="hint">{t('documents.deleteHint')}</p>
        <Field label={t('common.reason')}>
          {(id) => (
            <input
              id={id}
              required
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={remove.error} />
        <div className="buttons">
          <button type="submit" className="danger" disabled={remove.busy || !reason.trim()}>
            {t('documents.deleteConfirm')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A prospect's or customer's documents: upload, list, preview, download, archive, delete. */
export function DocumentsPanel({ holderId }: { holderId: string }) {
  // Roles without document.read (an accountant on a customer's page) see no panel, and ask nothing.
  const canRead = can(
    useSession((s) => s.session),
    'document.read',
  );
  return canRead ? <Documents holderId={holderId} /> : null;
}

function Documents({ holderId }: { holderId: string }) {
  const { t, i18n } = useTranslation();
  const session = useSession((s) => s.session);
  const push = useToasts((s) => s.push);
  const canCreate = can(session, 'document.create');
  const canDownload = can(session, 'document.download');
  const canDelete = can(session, 'document.delete');

  const [docs, setDocs] = useState<DocumentDto[] | null>(null);
  const [settings, setSettings] = useState<DocumentSettingsDto | null>(null);
  const [loadError, setLoadError] = useState<ErrorPayload | null>(null);
  const [actionError, setActionError] = useState<ErrorPayload | null>(null);
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const [previewing, setPreviewing] = useState<DocumentDto | null>(null);
  const [deleting, setDeleting] = useState<DocumentDto | null>(null);
  const [retrying, setRetrying] = useState<DocumentDto | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const retryPicker = useRef<HTMLInputElement>(null);
  const archive = useCommand('documents.archive');

  const reload = useCallback(() => {
    call('documents.list', { holderId })
      .then((list) => {
        setDocs(list);
        setLoadError(null);
      })
      .catch((err: unknown) => setLoadError(errorPayload(err)));
  }, [holderId]);

  useEffect(() => {
    setUploads([]); // another holder's page: its own uploads only
    reload();
    call('documents.settings.get', {})
      .then(setSettings)
      .catch(() => undefined);
  }, [reload]);

  const patch = (key: string, p: Partial<UploadItem>) =>
    setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...p } : u)));

  function start(files: File[], retryOf?: DocumentDto) {
    const items = files.map((f) => ({
      key: crypto.randomUUID(),
      name: f.name,
      sent: 0,
      total: 0,
      state: 'preparing' as const,
    }));
    setUploads((all) => [...items, ...all]);
    files.forEach((file, i) => {
      const item = items[i]!;
      uploadFile(file, holderId, (p) => patch(item.key, { ...p, state: 'sending' }), {
        retryOf: retryOf?.id,
        maxFileBytes: settings?.maxFileBytes,
      })
        .then((doc) => {
          const failure = failurePayload(doc);
          patch(item.key, failure ? { state: 'failed', error: failure } : { state: 'done' });
        })
        .catch((err: unknown) => patch(item.key, { state: 'failed', error: errorPayload(err) }))
        .finally(reload);
    });
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    if (!canCreate) return;
    const files = [...e.dataTransfer.files];
    if (files.length) start(files);
  }

  async function download(doc: DocumentDto) {
    setActionError(null);
    try {
      const { blob, fileName } = await fetchDocument(doc.id, 'download');
      saveBlob(blob, fileName);
      push('success', t('documents.downloaded', { name: fileName }));
    } catch (err) {
      setActionError(errorPayload(err));
    }
  }

  async function doArchive(doc: DocumentDto) {
    const done = await archive.run({ documentId: doc.id });
    if (done) push('success', t('documents.archived'));
    reload();
  }

  const accept = settings
    ? [...settings.allowedTypes, ...(settings.allowedTypes.includes('text/csv') ? ['.csv'] : [])].join(',')
    : undefined;

  return (
    <section className="documents-panel" aria-labelledby={`documents-${holderId}`}>
      <h2 id={`documents-${holderId}`}>{t('documents.title')}</h2>
      {canCreate ? (
        <div
          className={`documents-drop${dragging ? ' dragging' : ''}`}
          data-testid="documents-drop"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <span>{t('documents.drop')}</span>{' '}
          <button type="button" className="link" onClick={() => picker.current?.click()}>
            {t('documents.choose')}
          </button>
          <input
            ref={picker}
            type="file"
            multiple
            hidden
            accept={accept}
            data-testid="documents-picker"
            aria-label={t('documents.choose')}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length) start(files);
            }}
          />
          <input
            ref={retryPicker}
            type="file"
            hidden
            accept={accept}
            data-testid="documents-retry-picker"
            aria-label={
              retrying ? t('documents.retryOf', { name: retrying.originalName }) : t('documents.retry')
            }
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file && retrying) start([file], retrying);
              setRetrying(null);
            }}
          />
          {settings ? (
            <div className="hint">
              {t('documents.limits', {
                types: settings.allowedTypes.map(typeLabel).join(', '),
                mb: Math.floor(settings.maxFileBytes / (1024 * 1024)),
              })}
            </div>
          ) : null}
        </div>
      ) : null}

      {uploads.length ? (
        <ul className="documents-uploads" aria-live="polite">
          {uploads.map((u) => (
            <li key={u.key} data-testid="upload-item" data-state={u.state}>
              <span className="name">{u.name}</span>
              <progress
                max={u.total || 1}
                value={u.state === 'done' ? u.total || 1 : u.sent}
                aria-label={u.name}
              />
              <span className={`state ${u.state}`}>
                {u.state === 'preparing'
                  ? t('documents.preparing')
                  : u.state === 'sending'
                    ? t('documents.progress', { sent: u.sent, total: u.total })
                    : u.state === 'done'
                      ? t('documents.attached')
                      : `${t('documents.notAttached')}: ${u.error ? describeDocumentError(t, u.error) : ''}`}
              </span>
              {u.state === 'done' || u.state === 'failed' ? (
                <button
                  type="button"
                  className="icon"
                  aria-label={t('documents.dismiss')}
                  onClick={() => setUploads((all) => all.filter((x) => x.key !== u.key))}
                >
                  ×
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}

      <ErrorMessage error={loadError ?? actionError ?? archive.error} />
      <table className="grid documents-list">
        <thead>
          <tr>
            <th>{t('documents.file')}</th>
            <th>{t('documents.uploadedAt')}</th>
            <th>{t('documents.status')}</th>
            <th>
              <span className="sr-only">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {docs && docs.length === 0 ? (
            <tr>
              <td colSpan={4} className="empty">
                {t('documents.empty')}
              </td>
            </tr>
          ) : null}
          {docs?.map((d) => {
            const readable = d.status === 'active' || d.status === 'archived';
            const failure = failurePayload(d);
            return (
              <tr key={d.id} data-testid="document-row" data-name={d.originalName} data-status={d.status}>
                <td className="documents-name">
                  <span className="name" title={d.sanitizedName}>
                    {d.originalName}
                  </span>
                  <div className="hint">
                    {typeLabel(d.contentType)} · {formatSize(d.size, i18n.language)}
                  </div>
                  {failure ? (
                    <div className="hint failure">
                      {t('documents.failedBecause', { reason: describeDocumentError(t, failure) })}
                    </div>
                  ) : null}
                </td>
                <td>
                  {new Date(d.createdAt).toLocaleString(i18n.language, {
                    dateStyle: 'medium',
                    timeStyle: 'short',
                  })}
                  <div className="hint">{t('documents.by', { name: d.uploadedBy })}</div>
                </td>
                <td>
                  <span
                    className={`badge ${d.status === 'active' ? 'active' : d.status === 'failed' ? 'failure' : 'warn'}`}
                  >
                    {t(`documents.statuses.${d.status}`)}
                  </span>
                </td>
                <td className="actions documents-actions">
                  {canDownload && readable && PREVIEWABLE.has(d.contentType ?? '') ? (
                    <button type="button" className="link" onClick={() => setPreviewing(d)}>
                      {t('documents.preview')}
                    </button>
                  ) : null}
                  {canDownload && readable ? (
                    <button type="button" className="link" onClick={() => void download(d)}>
                      {t('documents.download')}
                    </button>
                  ) : null}
                  {canCreate && d.status === 'failed' ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        setRetrying(d);
                        retryPicker.current?.click();
                      }}
                    >
                      {t('documents.retry')}
                    </button>
                  ) : null}
                  {canDelete && d.status === 'active' ? (
                    <button
                      type="button"
                      className="link"
                      disabled={archive.busy}
                      onClick={() => void doArchive(d)}
                    >
                      {t('documents.archive')}
                    </button>
                  ) : null}
                  {canDelete ? (
                    <button type="button" className="link danger" onClick={() => setDeleting(d)}>
                      {t('documents.delete')}
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {previewing ? <Preview doc={previewing} onClose={() => setPreviewing(null)} /> : null}
      {deleting ? (
        <DeleteDialog
          doc={deleting}
          onClose={() => setDeleting(null)}
          onDone={() => {
            setDeleting(null);
            push('success', t('documents.deleted'));
            reload();
          }}
        />
      ) : null}
    </section>
  );
}
