import type { Db } from '../../db';

// Cash limits, supervisor overrides and large-cash alerts (issue 6).

export type CashControlService = ReturnType<typeof createCashControlService>;

export function createCashControlService(db: Db) {
  void db;
  return {};
}
