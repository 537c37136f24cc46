export { createBankService } from './service';
export type { BankService } from './service';
