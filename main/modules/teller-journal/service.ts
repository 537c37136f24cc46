import type { Db, Trx } from '../../db';

// The electronic journal of teller work (append-only, hash-chained) and receipts (issue 6).

/** One line of a teller's electronic journal: a transaction, an override, a cash count, a till event. */
export interface JournalEntryInput {
  /** e.g. 'deposit', 'withdrawal-confirm', 'till-open', 'vault-transfer', 'cash-count', 'override'. */
  kind: string;
  /** The teller whose journal this line belongs to. */
  tellerId: string;
  tillId: string | null;
  businessDate: string;
  amount: bigint | null;
  currency: string | null;
  /** The deposit, withdrawal, transfer, count or override this line is about. */
  subjectId: string | null;
  ledgerTransactionId: string | null;
  workstation: string;
  details: Record<string, unknown>;
  at: Date;
}

export type TellerJournalService = ReturnType<typeof createTellerJournalService>;

export function createTellerJournalService(db: Db) {
  void db;
  return {
    /** Appends one line in the caller's transaction; returns its id, place in the chain and hash. */
    async append(
      trx: Trx,
      entry: JournalEntryInput,
    ): Promise<{ id: string; sequence: number; hash: string }> {
      void trx;
      void entry;
      throw new Error('teller journal: not built yet');
    },
  };
}
