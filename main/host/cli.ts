import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { parseHostArgs, USAGE, type HostArgs } from './args';
import { startHostServer } from './server';
import { loadDemoBank } from './demo';
import { startServices, type Services } from '../services';
import { Router } from '../ipc/router';
import { runCommand } from '../ipc/command';
import { SYSTEM_ACTOR } from '../ipc/context';
import { AppError } from '../../shared/errors';
import { staffUserDto } from '../../shared/contract';
import { sealAuditLog, startAuditSealer } from '../jobs/audit-seal';
import { startDepositActivityJob } from '../jobs/deposit-activity';
import { ROLES, type Role } from '../../shared/permissions';

const here = dirname(fileURLToPath(import.meta.url));

function findRenderer(explicit?: string): string {
  const candidates = explicit ? [explicit] : [join(here, '../renderer'), join(here, '../../out/renderer')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error('the renderer is not built: run "npm run build" first');
  return found;
}

/** Startup failures a person can act on, in one line each. */
function explain(err: unknown): string {
  if (err instanceof AppError) {
    if (err.code === 'SCHEMA_TOO_NEW') {
      return `The database was written by a newer version of this app (schema ${err.params.found}; this app knows up to ${err.params.supported}). Upgrade the app; the database was not touched.`;
    }
    if (err.code === 'DATABASE_UNAVAILABLE') {
      return `Cannot reach the bank database at ${err.params.target} (${err.params.reason}).`;
    }
  }
  return (err as Error)?.message ?? String(err);
}

/**
 * workstation: the app serving staff (not a one-off command). Against a bank server it keeps the
 * workstation's local store in the data folder, so it starts and works offline (ARCHITECTURE 6).
 */
async function open(args: HostArgs, workstation = false): Promise<Services> {
  if (!args.database || workstation) mkdirSync(args.dataDir, { recursive: true });
  return startServices({
    database: args.database ? { url: args.database } : { dataDir: args.dataDir },
    ...(args.database && workstation ? { localStore: join(args.dataDir, 'local-store') } : {}),
  });
}

async function serve(args: HostArgs) {
  const rendererDir = findRenderer(args.rendererDir);
  const services = await open(args, true);
  const reachable = services.monitor.snapshot().state !== 'offline';
  if (args.demo && reachable && (await loadDemoBank(services, args.workstation))) {
    console.log('Loaded the demo bank (see README for the demo users).');
  }
  const router = new Router(services);
  const stopSealer = startAuditSealer(services, args.workstation);
  const stopActivityJob = startDepositActivityJob(services, args.workstation);
  const server = await startHostServer({
    router,
    rendererDir,
    port: args.port,
    workstation: args.workstation,
  });
  services.monitor.onChange((snap) =>
    server.broadcast('connectivity.changed', { state: snap.state, since: snap.since }),
  );
  // A process started, got a vote or concluded on any workstation: inboxes re-read.
  services.governance.onApprovalsChanged((e) => server.broadcast('approvals.changed', e));
  // Queued decisions replayed or refused: the outbox screen and the user's toast.
  services.offline?.onChange((e) => server.broadcast('outbox.changed', e));
  // Tests and scripts read this line; keep its shape.
  console.log(`Bank host ready on ${services.database.describe}: ${server.url}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    stopSealer();
    stopActivityJob();
    await server.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function createUser(args: HostArgs) {
  const password = process.env.BANK_NEW_USER_PASSWORD;
  if (!args.username || !args.fullName || !args.roles?.length || !password) {
    throw new Error('create-user needs --username, --full-name, --roles and BANK_NEW_USER_PASSWORD');
  }
  const roles = args.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  if (roles.length !== args.roles.length) throw new Error(`roles must be among: ${ROLES.join(', ')}`);
  const services = await open(args);
  try {
    const ctx = { actor: SYSTEM_ACTOR, workstation: args.workstation, clock: services.clock };
    const user = await runCommand(
      services.database.knex,
      services.audit,
      ctx,
      {
        procedure: 'cli.createUser',
        commandId: randomUUID(),
        payload: { username: args.username },
        output: staffUserDto,
      },
      (scope) =>
        services.access.createUser(scope, {
          username: args.username!,
          fullName: args.fullName!,
          roles,
          password,
          mustChangePassword: true,
        }),
    );
    console.log(
      `Created ${user.username} (${user.roles.join(', ')}); the password must be changed at first sign-in.`,
    );
  } finally {
    await services.close();
  }
}

async function main() {
  const args = parseHostArgs(process.argv.slice(2));
  switch (args.command) {
    case 'help':
      console.log(USAGE);
      return;
    case 'serve':
      return serve(args);
    case 'migrate': {
      const services = await open(args);
      console.log(`Schema is at ${services.schemaVersion}.`);
      return services.close();
    }
    case 'create-user':
      return createUser(args);
    case 'verify-audit': {
      const services = await open(args);
      const v = await services.audit.verify();
      console.log(
        v.intact
          ? `Audit log intact: ${v.recordsChecked} records, ${v.sealsChecked} seals.`
          : `Audit log BROKEN: ${JSON.stringify(v.problems[0])}`,
      );
      await services.close();
      process.exitCode = v.intact ? 0 : 2;
      return;
    }
    case 'check-ledger': {
      const services = await open(args);
      const wrong = await services.ledger.inconsistencies(services.database.knex);
      const unbalanced = await services.ledger.unbalancedLayers(services.database.knex);
      if (wrong.length === 0 && unbalanced.length === 0)
        console.log('Ledger consistent: balances equal the recomputation from entries.');
      for (const w of wrong)
        console.log(`Balance differs from its entries: account ${w.account_id} ${w.currency}/${w.layer}`);
      for (const u of unbalanced)
        console.log(`Layer does not sum to zero: ${u.currency}/${u.layer} (${u.net})`);
      await services.close();
      process.exitCode = wrong.length || unbalanced.length ? 2 : 0;
      return;
    }
    case 'seal-audit': {
      const services = await open(args);
      const seal = await sealAuditLog(services, args.workstation);
      console.log(`Sealed ${seal.records} records of ${seal.workstations} workstations.`);
      return services.close();
    }
  }
}

main().catch((err) => {
  console.error(explain(err));
  process.exit(1);
});
