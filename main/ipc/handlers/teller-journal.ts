import type { tellerJournalProcedures } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function tellerJournalHandlers(s: Services): HandlersFor<keyof typeof tellerJournalProcedures> {
  const j = s.tellerJournal;
  return {
    'tellerJournal.day': (_ctx, input) => j.day(input),
    'tellerJournal.ownDay': (ctx, input) => {
      if (!ctx.actor.userId) throw new AppError('UNAUTHENTICATED');
      return j.ownDay(ctx.actor.userId, input);
    },
    'tellerJournal.verify': (_ctx, input) => j.verify(input),
    'tellerJournal.csv': (_ctx, input) => j.csv(input),
    'tellerJournal.receipts.list': (_ctx, input) => j.receipts.list(input),
    'tellerJournal.receipts.print': (scope, input) => j.receipts.print(scope, input),
    'tellerJournal.receipts.pdf': (_ctx, input) => j.receipts.pdf(input.receiptId, input.printNumber),
    'tellerJournal.receipts.verify': (_ctx, input) => j.receipts.verify(input.payload),
  };
}
