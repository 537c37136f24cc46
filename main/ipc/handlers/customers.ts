import type { customerProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function customerHandlers(s: Services): HandlersFor<keyof typeof customerProcedures> {
  void s;
  return {};
}
