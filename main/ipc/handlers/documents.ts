import type { documentProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function documentHandlers(s: Services): HandlersFor<keyof typeof documentProcedures> {
  const d = s.documents;
  return {
    'documents.list': (_ctx, input) => d.list(input.holderId),
    'documents.get': (_ctx, input) => d.get(input.documentId),
    'documents.settings.get': () => d.settings(),
    'documents.settings.update': (scope, input) => d.updateSettings(scope, input),
    'documents.upload.begin': (scope, input) => d.beginUpload(scope, input),
    'documents.upload.chunk': (ctx, input) => d.putChunk(ctx, input),
    'documents.upload.abort': (ctx, input) => d.abortUpload(ctx, input.uploadId),
    'documents.upload.commit': (scope, input) => d.commitUpload(scope, input),
    'documents.download': (scope, input) => d.download(scope, input),
    'documents.downloadChunk': (ctx, input) => d.downloadChunk(ctx, input),
    'documents.archive': (scope, input) => d.archive(scope, input.documentId),
    'documents.delete': (scope, input) => d.remove(scope, input.documentId, input.reason),
  };
}
