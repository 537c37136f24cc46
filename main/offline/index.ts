import type { Db } from '../db';
import { LATEST_SCHEMA, migrate } from '../db/migrate';
import type { Services } from '../services';
import { isConnectivityError } from './connectivity';
import { LocalStore } from './local-store';
import { createOfflineService, type OfflineOptions, type OfflineService } from './service';

export { ConnectivityMonitor } from './monitor';
export { LocalStore } from './local-store';
export { isConnectivityError } from './connectivity';
export type { OfflineService } from './service';

/**
 * Brings the bank's schema up to date, or, when the bank cannot be reached and this workstation
 * keeps a local store, starts without it: the schema version last seen stands in, and the
 * migrations run as soon as the bank answers (before any queued command is replayed).
 */
export async function migrateOrDefer(
  knex: Db,
  store: LocalStore | null,
): Promise<{ schemaVersion: string; deferred: boolean }> {
  try {
    const { schemaVersion } = await migrate(knex);
    await store?.putSnapshot('bank.schema', schemaVersion, new Date());
    return { schemaVersion, deferred: false };
  } catch (err) {
    if (!store || !isConnectivityError(err)) throw err;
    const seen = await store.snapshot<string>('bank.schema');
    return { schemaVersion: seen?.data ?? LATEST_SCHEMA, deferred: true };
  }
}

/** Starts the offline work and puts its bank-facing wrappers in place of the plain services. */
export function startOffline(services: Services, store: LocalStore, opts: OfflineOptions): OfflineService {
  const offline = createOfflineService(services, store, opts);
  Object.assign(services, offline.wrapped);
  return offline;
}
