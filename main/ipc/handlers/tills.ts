import type { tillProcedures } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function tillHandlers(s: Services): HandlersFor<keyof typeof tillProcedures> {
  const t = s.tills;
  const userId = (ctx: { actor: { userId: string | null } }) => {
    if (!ctx.actor.userId) throw new AppError('UNAUTHENTICATED');
    return ctx.actor.userId;
  };
  return {
    'tills.denominations.list': (_ctx, input) => t.denominations(input.currency),
    'tills.denominations.set': (scope, input) => t.setDenominations(scope, input),
    'tills.branches.list': () => t.branches(),
    'tills.branches.create': (scope, input) => t.createBranch(scope, input),
    'tills.create': (scope, input) => t.createTill(scope, input),
    'tills.vault.receive': (scope, input) => t.receiveIntoVault(scope, input),
    'tills.mine': (ctx) => t.mine(userId(ctx)),
    'tills.open': (scope, input) => t.open(scope, input),
    'tills.transfers.request': (scope, input) => t.requestTransfer(scope, input),
    'tills.transfers.pending': (_ctx, input) => t.pendingTransfers(input.branchId),
    'tills.transfers.confirm': (scope, input) => t.confirmTransfer(scope, input),
    'tills.transfers.cancel': (scope, input) => t.cancelTransfer(scope, input),
    'tills.suggestPayout': (ctx, input) => t.suggestPayout(userId(ctx), input),
    'tills.close': (scope, input) => t.close(scope, input),
    'tills.signOff': (scope, input) => t.signOff(scope, input),
    'tills.counter.identity': (_ctx, input) => t.identity(input.customerId),
    'tills.position': (_ctx, input) => t.position(input.branchId),
  };
}
