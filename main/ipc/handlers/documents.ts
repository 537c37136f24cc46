import type { documentProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function documentHandlers(s: Services): HandlersFor<keyof typeof documentProcedures> {
  void s;
  return {};
}
