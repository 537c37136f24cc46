import { join, resolve } from 'node:path';
import type { DatabaseTarget } from '../db';
import type { ShellArgs } from './args';
import { isDatabaseUrl } from './credentials';
import { StartupError } from './startup-error';

export const EMBEDDED_DIR = 'bank-data';

export type DatabaseSource = 'argument' | 'environment' | 'stored' | 'embedded';

export interface DatabaseChoice {
  target: DatabaseTarget;
  source: DatabaseSource;
}

function checkedUrl(url: string, from: string): string {
  if (!isDatabaseUrl(url)) {
    throw new StartupError('Invalid database address', `${from} must be a postgres:// URL.`);
  }
  return url;
}

/**
 * Which database this start uses, most explicit first: --database, --data-dir, BANK_DATABASE_URL,
 * the stored (encrypted) URL, and otherwise the embedded database in userData/bank-data.
 */
export function chooseDatabase(
  args: ShellArgs,
  env: Record<string, string | undefined>,
  loadStored: () => string | null,
  userDataDir: string,
): DatabaseChoice {
  if (args.database) {
    return { target: { url: checkedUrl(args.database, '--database') }, source: 'argument' };
  }
  if (args.dataDir) return { target: { dataDir: resolve(args.dataDir) }, source: 'embedded' };
  const fromEnv = env.BANK_DATABASE_URL?.trim();
  if (fromEnv) return { target: { url: checkedUrl(fromEnv, 'BANK_DATABASE_URL') }, source: 'environment' };
  const stored = loadStored();
  if (stored) return { target: { url: stored }, source: 'stored' };
  return { target: { dataDir: join(userDataDir, EMBEDDED_DIR) }, source: 'embedded' };
}
