import type { depositProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function depositHandlers(s: Services): HandlersFor<keyof typeof depositProcedures> {
  const d = s.deposits;
  return {
    'deposits.accounts.open': (scope, input) => d.openAccount(scope, input.customerId),
    'deposits.accounts.ofCustomer': (_ctx, input) => d.accountsOfCustomer(input.customerId),
    'deposits.accounts.get': (_ctx, input) => d.account(input.id),
    'deposits.accounts.list': (_ctx, input) => d.listAccounts(input),
    'deposits.accounts.history': (_ctx, input) => d.history(input.id, input),
    'deposits.accounts.historyCsv': (_ctx, input) => d.historyCsv(input.id),
    'deposits.accounts.freeze': (scope, input) => d.freeze(scope, input.id, input.reason),
    'deposits.accounts.unfreeze': (scope, input) => d.unfreeze(scope, input.id, input.reason || null),
    'deposits.accounts.inactivate': (scope, input) => d.inactivate(scope, input.id, input.reason),
    'deposits.accounts.reactivate': (scope, input) => d.reactivate(scope, input.id, input.reason),
    'deposits.accounts.close': (scope, input) => d.close(scope, input.id, input.reason),
    'deposits.record': (scope, input) => d.recordDeposit(scope, input),
    'deposits.revert': (scope, input) => d.revertDeposit(scope, input.id, input.reason),
    'deposits.withdrawals.initiate': (scope, input) => d.initiateWithdrawal(scope, input),
    'deposits.withdrawals.get': (_ctx, input) => d.withdrawal(input.id),
    'deposits.withdrawals.list': (_ctx, input) => d.listWithdrawals(input),
    'deposits.withdrawals.cancel': (scope, input) => d.cancelWithdrawal(scope, input.id, input.reason),
    'deposits.withdrawals.confirm': (scope, input) => d.confirmWithdrawal(scope, input.id, input.counter),
    'deposits.withdrawals.revert': (scope, input) => d.revertWithdrawal(scope, input.id, input.reason),
    'deposits.settings.get': () => d.thresholds(),
    'deposits.settings.set': (scope, input) => d.setThresholds(scope, input),
    'deposits.activity.classify': (scope, input) => d.classifyActivity(scope, input.businessDate),
  };
}
