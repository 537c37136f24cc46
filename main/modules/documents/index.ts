export { createDocumentService } from './service';
export type { DocumentService, DocumentServiceOptions, ContentScanner } from './service';
export { postgresStorage, type DocumentStorage } from './storage';
