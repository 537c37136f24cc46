import type { cashControlProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function cashControlHandlers(s: Services): HandlersFor<keyof typeof cashControlProcedures> {
  void s;
  return {};
}
