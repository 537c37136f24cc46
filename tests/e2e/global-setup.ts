import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertBuilt,
  createServerDatabase,
  databaseName,
  dropServerDatabase,
  startHostProcess,
} from './host';

/**
 * Loading the demo bank costs a host most of its start-up (migrations and seven password hashes),
 * so it is done once here, into a template that every test copies: a data folder for the
 * embedded database, or a template database when E2E_DATABASE_URL names a bank server.
 * Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  assertBuilt();
  const root = mkdtempSync(join(tmpdir(), 'bank-e2e-'));
  process.env.E2E_TMP_ROOT = root;
  const server = process.env.E2E_DATABASE_URL;
  let templateDb: string | undefined;

  if (server) {
    templateDb = databaseName('bank_e2e_tpl');
    const url = await createServerDatabase(server, templateDb);
    const host = await startHostProcess({ database: url, demo: true, workstation: 'e2e-template' });
    await host.stop();
    process.env.E2E_DEMO_TEMPLATE_DB = templateDb;
  } else {
    const dir = join(root, 'demo-template');
    mkdirSync(dir);
    const host = await startHostProcess({ dataDir: dir, demo: true, workstation: 'e2e-template' });
    await host.stop();
    process.env.E2E_DEMO_TEMPLATE_DIR = dir;
  }

  return async () => {
    if (server && templateDb) await dropServerDatabase(server, templateDb);
    rmSync(root, { recursive: true, force: true });
  };
}
