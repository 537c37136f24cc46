export { createAccessService } from './service';
export type { AccessService, AccessOptions, StaffIdentity } from './service';
export { hashPassword, verifyPassword } from './passwords';
export { identityCache, IDENTITY_TTL_MS } from './identity-cache';
