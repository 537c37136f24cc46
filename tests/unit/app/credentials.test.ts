import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakeElectron } from './fake-electron';
import { electron } from '../../../main/app/electron';
import { CREDENTIALS_FILE, CredentialsError, CredentialStore } from '../../../main/app/credentials';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const URL = 'postgres://teller:s3cret-pa55@db.bank.internal:5432/bank';
let dir: string;

beforeEach(() => {
  resetFakeElectron();
  dir = mkdtempSync(join(tmpdir(), 'bank-credentials-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const store = (platform: NodeJS.Platform = 'linux') =>
  new CredentialStore(electron.safeStorage, dir, platform);

describe('database credentials', () => {
  it('round-trip encrypted through the OS keyring, never as plain text on disk', () => {
    store().save(URL);
    const file = join(dir, CREDENTIALS_FILE);
    expect(readFileSync(file).toString('latin1')).not.toContain('s3cret');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(fake.safeStorage.encryptString).toHaveBeenCalledWith(URL);
    expect(store().load()).toBe(URL);
  });

  it('are refused on Linux when the only backend is basic_text, saying why', () => {
    fake.safeStorage.backend = 'basic_text';
    expect(() => store().save(URL)).toThrow(CredentialsError);
    expect(() => store().save(URL)).toThrow(/keyring/);
    expect(fake.safeStorage.encryptString).not.toHaveBeenCalled();
    expect(existsSync(join(dir, CREDENTIALS_FILE))).toBe(false);
  });

  it('do not ask for a Linux backend on other systems', () => {
    fake.safeStorage.backend = 'basic_text';
    store('win32').save(URL);
    expect(fake.safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
    expect(store('win32').load()).toBe(URL);
  });

  it('are refused when encryption is unavailable', () => {
    fake.safeStorage.available = false;
    expect(() => store('darwin').save(URL)).toThrow(/keyring is unavailable/);
  });

  it('only ever hold a postgres URL', () => {
    expect(() => store().save('https://evil.example/')).toThrow(CredentialsError);
    expect(() => store().save('not a url')).toThrow(CredentialsError);
  });

  it('load as null when none are stored, and clear', () => {
    expect(store().load()).toBeNull();
    store().save(URL);
    store().clear();
    expect(store().load()).toBeNull();
  });

  it('fail to load with a clear message when unreadable, never showing the file content', () => {
    store().save(URL);
    fake.safeStorage.decryptString.mockImplementationOnce(() => {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    });
    expect(() => store().load()).toThrow(/cannot be read/);

    writeFileSync(join(dir, CREDENTIALS_FILE), Buffer.from('garbage'));
    expect(() => store().load()).toThrow(/damaged/);
  });
});
