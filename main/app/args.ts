/** What the shell reads from its command line. Unknown arguments (Chromium's) are ignored. */
export interface ShellArgs {
  /** A postgres:// URL for the bank's server; overrides the environment and stored credentials. */
  database?: string;
  /** Store `database` (encrypted) for the next starts. */
  rememberDatabase: boolean;
  /** Folder of the embedded database, instead of userData/bank-data. */
  dataDir?: string;
  /** Workstation name recorded in the audit trail, instead of the host name. */
  workstation?: string;
  /** Where settings, window state and the embedded database live (tests use a temp folder). */
  userDataDir?: string;
}

const VALUED = {
  '--database': 'database',
  '--data-dir': 'dataDir',
  '--workstation': 'workstation',
  '--user-data-dir': 'userDataDir',
} as const;

type Valued = keyof typeof VALUED;

function isValued(flag: string): flag is Valued {
  return Object.prototype.hasOwnProperty.call(VALUED, flag);
}

/** Accepts both `--flag value` and `--flag=value`. */
export function parseShellArgs(argv: readonly string[]): ShellArgs {
  const out: ShellArgs = { rememberDatabase: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--remember-database') {
      out.rememberDatabase = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!isValued(flag)) continue;
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    if (value) out[VALUED[flag]] = value;
  }
  return out;
}
