import type { Db } from '../../db';

// Branches, vaults and tills as ledger accounts; denominations; opening and closing the day (issue 6).

export type TillService = ReturnType<typeof createTillService>;

export function createTillService(db: Db) {
  void db;
  return {};
}
