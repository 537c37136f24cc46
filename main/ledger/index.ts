export { createLedger, fromLedgerError } from './service';
export type { Ledger, NewAccount } from './service';
export * from './types';
export { assertBalanced, signedBalance, MAX_AMOUNT } from './rules';
