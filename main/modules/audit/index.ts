export { createAuditService } from './service';
export type { AuditService, AuditEntry, AuditListQuery } from './service';
