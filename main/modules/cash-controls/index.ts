export { createCashControlService, CASH_REPORT_CSV_MAX } from './service';
export type { CashControlService, CashControlDeps } from './service';
