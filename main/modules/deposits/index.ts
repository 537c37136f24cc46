export { createDepositService, OMNIBUS_ACCOUNT_CODE, OMNIBUS_SET_CODE } from './service';
export type { DepositService, DepositDeps } from './service';
