import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export interface HostArgs {
  command: 'serve' | 'migrate' | 'create-user' | 'verify-audit' | 'seal-audit' | 'check-ledger' | 'help';
  port: number;
  database?: string;
  dataDir: string;
  demo: boolean;
  workstation: string;
  rendererDir?: string;
  username?: string;
  fullName?: string;
  roles?: string[];
}

/** Where the embedded database lives when no bank server is named: the user's data folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    process.platform === 'win32'
      ? (env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Application Support')
        : (env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'));
  return join(base, 'teller-backoffice', 'bank-data');
}

export const USAGE = `Usage: npm run host -- [command] [options]

Commands:
  serve (default)     serve the app to a browser on 127.0.0.1
  migrate             bring the database schema up to date and exit
  create-user         create a staff user (password read from BANK_NEW_USER_PASSWORD)
  verify-audit        verify the audit log's hash chains and seals
  seal-audit          seal the audit log now
  check-ledger        recompute every balance from the ledger's entries and compare

Options:
  --port N            port to listen on (default: a free port)
  --database URL      a bank PostgreSQL server (or BANK_DATABASE_URL); default: embedded database
  --data-dir DIR      folder of the embedded database (default: ${defaultDataDir()})
  --demo              load the demo bank (staff of every role) into an empty database
  --workstation NAME  this workstation's name in the audit log
  --username, --full-name, --roles a,b   for create-user`;

export function parseHostArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): HostArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      database: { type: 'string' },
      'data-dir': { type: 'string' },
      demo: { type: 'boolean', default: false },
      workstation: { type: 'string' },
      'renderer-dir': { type: 'string' },
      username: { type: 'string' },
      'full-name': { type: 'string' },
      roles: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = values.help ? 'help' : ((positionals[0] ?? 'serve') as HostArgs['command']);
  if (
    !['serve', 'migrate', 'create-user', 'verify-audit', 'seal-audit', 'check-ledger', 'help'].includes(
      command,
    )
  ) {
    throw new Error(`unknown command '${command}'`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port '${values.port}'`);
  return {
    command,
    port,
    database: values.database ?? env.BANK_DATABASE_URL ?? undefined,
    dataDir: values['data-dir'] ?? env.BANK_DATA_DIR ?? defaultDataDir(env),
    demo: values.demo ?? false,
    workstation: values.workstation ?? env.BANK_WORKSTATION ?? `host-${hostname()}`,
    rendererDir: values['renderer-dir'],
    username: values.username,
    fullName: values['full-name'],
    roles: values.roles?.split(',').map((r) => r.trim()),
  };
}
