import type { tellerJournalProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function tellerJournalHandlers(s: Services): HandlersFor<keyof typeof tellerJournalProcedures> {
  void s;
  return {};
}
