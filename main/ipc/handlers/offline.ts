import type { offlineProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function offlineHandlers(s: Services): HandlersFor<keyof typeof offlineProcedures> {
  void s;
  return {};
}
