export {
  createTillService,
  CASH_OVER_ACCOUNT_CODE,
  CASH_SHORT_ACCOUNT_CODE,
  TILL_CASH_SET_CODE,
} from './service';
export type { TillService, TillDeps } from './service';
