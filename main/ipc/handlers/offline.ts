import type { offlineProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function offlineHandlers(s: Services): HandlersFor<keyof typeof offlineProcedures> {
  return {
    'offline.status': async (ctx) =>
      s.offline
        ? s.offline.status(ctx)
        : {
            connectivity: s.monitor.snapshot(),
            localStore: false,
            pending: 0,
            rejected: 0,
            approvalsAsOf: null,
          },
    'offline.outbox.list': async (ctx, input) => (s.offline ? s.offline.outbox(ctx, input.status) : []),
  };
}
