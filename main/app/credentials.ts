import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SafeStorage } from './electron';

export const CREDENTIALS_FILE = 'database-credentials.bin';

/** Why database credentials could not be stored or read; its message is shown to the user as is. */
export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
}

export function isDatabaseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.host !== '';
  } catch {
    return false;
  }
}

/**
 * The bank database URL (it holds the database password) at rest, encrypted with the OS keyring
 * through safeStorage. It is only ever read in the main process and never sent to the renderer.
 */
export class CredentialStore {
  readonly file: string;

  constructor(
    private readonly safeStorage: SafeStorage,
    userDataDir: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.file = join(userDataDir, CREDENTIALS_FILE);
  }

  /**
   * On Linux without a keyring (no Secret Service, no KWallet) Electron falls back to
   * 'basic_text', which only obfuscates with a hard-coded key: as good as plain text on disk.
   */
  private assertKeyring(): void {
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new CredentialsError(
        'The database credentials cannot be stored: the operating system keyring is unavailable.',
      );
    }
    if (this.platform === 'linux' && this.safeStorage.getSelectedStorageBackend() === 'basic_text') {
      throw new CredentialsError(
        'The database credentials were not stored: no operating system keyring (GNOME Keyring or ' +
          'KWallet) is available, and storing them with the "basic_text" fallback would leave the ' +
          'password readable on disk. Pass --database on each start or set BANK_DATABASE_URL instead.',
      );
    }
  }

  save(databaseUrl: string): void {
    if (!isDatabaseUrl(databaseUrl)) {
      throw new CredentialsError('Only a postgres:// database URL can be stored.');
    }
    this.assertKeyring();
    const encrypted = this.safeStorage.encryptString(databaseUrl);
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, encrypted, { mode: 0o600 });
    renameSync(temp, this.file);
  }

  /** null when nothing is stored. */
  load(): string | null {
    if (!existsSync(this.file)) return null;
    let url: string;
    try {
      this.assertKeyring();
      url = this.safeStorage.decryptString(readFileSync(this.file));
    } catch {
      throw new CredentialsError(
        `The stored database credentials (${this.file}) cannot be read: the operating system keyring ` +
          'is unavailable or has changed. Start with --database <url> --remember-database to store ' +
          'them again.',
      );
    }
    if (!isDatabaseUrl(url)) {
      throw new CredentialsError(`The stored database credentials (${this.file}) are damaged.`);
    }
    return url;
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}
