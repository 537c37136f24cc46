export { createDocumentService } from './service';
export type { DocumentService } from './service';
