export { createAccountingService, parseChartCsv } from './service';
export type { AccountingService } from './service';
export { BASE_CONFIG_KEYS, type BaseConfig } from './rules';
