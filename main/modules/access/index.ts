export { createAccessService } from './service';
export type { AccessService, AccessOptions, StaffIdentity } from './service';
export { hashPassword, verifyPassword } from './passwords';
