import type { CounterInput } from '../../../shared/contract';
import type { CommandScope } from '../../ipc/context';

/**
 * The teller's side of a deposit or withdrawal step (issue 6). The deposits module knows accounts
 * and the ledger; tills, limits and overrides, the electronic journal and large-cash alerts plug in
 * here, inside the step's own transaction, so that any of them refusing refuses the whole step.
 */
export type CounterStepKind =
  | 'deposit'
  | 'deposit-revert'
  | 'withdrawal-initiate'
  | 'withdrawal-confirm'
  | 'withdrawal-cancel'
  | 'withdrawal-revert';

export interface CounterStep {
  kind: CounterStepKind;
  /** The deposit or the withdrawal this step belongs to. */
  movementId: string;
  accountId: string;
  accountPublicId: string;
  holderId: string;
  /** The customer as a receipt or a report names them (read with the account, no second query). */
  holderPublicId: string;
  holderName: string;
  amount: bigint;
  method: 'cash' | 'wire' | 'check' | 'internal';
  reference: string | null;
  businessDate: string;
  /** What the teller gave at the counter; null for back-office steps. */
  counter: CounterInput | null;
}

export interface CounterHooks {
  /**
   * Before anything posts. May refuse (a till that is not the teller's, a limit without override),
   * and may name the ledger account the cash side posts against (a till's) instead of the omnibus.
   */
  before?(scope: CommandScope, step: CounterStep): Promise<{ cashAccountId?: string } | void>;
  /** After the posting, in the same transaction: counts, journal, alerts. */
  after?(scope: CommandScope, step: CounterStep & { ledgerTransactionId: string | null }): Promise<void>;
}

export function counterRegistry() {
  const hooks: CounterHooks[] = [];
  return {
    register(h: CounterHooks): () => void {
      hooks.push(h);
      return () => {
        const i = hooks.indexOf(h);
        if (i >= 0) hooks.splice(i, 1);
      };
    },
    /** Runs every before hook in registration order; at most one of them may choose the cash account. */
    async before(scope: CommandScope, step: CounterStep): Promise<string | undefined> {
      let cashAccountId: string | undefined;
      for (const h of hooks) {
        const r = await h.before?.(scope, step);
        if (r?.cashAccountId) cashAccountId = r.cashAccountId;
      }
      return cashAccountId;
    },
    async after(scope: CommandScope, step: CounterStep, ledgerTransactionId: string | null): Promise<void> {
      for (const h of hooks) await h.after?.(scope, { ...step, ledgerTransactionId });
    },
  };
}
