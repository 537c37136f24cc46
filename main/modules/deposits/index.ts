export { createDepositService, OMNIBUS_ACCOUNT_CODE, OMNIBUS_SET_CODE } from './service';
export type { DepositService, DepositDeps } from './service';
export type { CounterHooks, CounterStep, CounterStepKind } from './counter';
