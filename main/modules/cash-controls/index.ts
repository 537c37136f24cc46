export { createCashControlService } from './service';
export type { CashControlService } from './service';
