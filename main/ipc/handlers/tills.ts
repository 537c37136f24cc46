import type { tillProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function tillHandlers(s: Services): HandlersFor<keyof typeof tillProcedures> {
  void s;
  return {};
}
