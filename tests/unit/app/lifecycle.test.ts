import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors';
import { CredentialStore } from '../../../main/app/credentials';
import { electron } from '../../../main/app/electron';
import { runApp } from '../../../main/app/lifecycle';
import { startServices } from '../../../main/services';
import { FakeBrowserWindow, fake, invokeFrom, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
vi.mock('../../../main/services', () => ({ startServices: vi.fn() }));
vi.mock('../../../main/ipc/router', () => ({
  Router: class {
    async handle(_conn: unknown, name: unknown) {
      return { ok: true, result: { handled: name } };
    }
  },
}));

const start = vi.mocked(startServices);
let dir: string;
let closeServices: ReturnType<typeof vi.fn<() => Promise<void>>>;

function fakeServices() {
  closeServices = vi.fn(async () => undefined);
  return { monitor: { onChange: vi.fn(() => () => true) }, close: closeServices } as never;
}

const run = (...args: string[]) => runApp({ argv: ['electron', '.', ...args], env: {}, outDir: '/app/out' });

beforeEach(() => {
  resetFakeElectron();
  dir = mkdtempSync(join(tmpdir(), 'bank-lifecycle-'));
  fake.app.userData = dir;
  start.mockReset();
  start.mockImplementation(async () => fakeServices());
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('app lifecycle', () => {
  it('quits at once, touching nothing, when another instance is running', async () => {
    fake.app.lockGranted = false;
    await run();
    expect(fake.app.quit).toHaveBeenCalledOnce();
    expect(fake.app.whenReady).not.toHaveBeenCalled();
    expect(start).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('starts the embedded database, locks the session down and opens one window', async () => {
    await run();
    expect(start).toHaveBeenCalledExactlyOnceWith({ database: { dataDir: join(dir, 'bank-data') } });
    expect(fake.privilegedSchemes).toHaveLength(1);
    expect(fake.app.enableSandbox).toHaveBeenCalledOnce();
    expect(fake.app.enableSandbox.mock.invocationCallOrder[0]).toBeLessThan(
      fake.app.whenReady.mock.invocationCallOrder[0]!,
    );
    expect(fake.protocolHandlers.has('app')).toBe(true);
    expect(fake.session.permissionRequestHandler).not.toBeNull();
    expect(fake.session.headersListener).not.toBeNull();
    expect(fake.handlers.has('bank:invoke')).toBe(true);

    expect(FakeBrowserWindow.instances).toHaveLength(1);
    const win = FakeBrowserWindow.instances[0]!;
    expect(win.options.webPreferences?.preload).toBe(join('/app/out', 'preload', 'index.cjs'));
    expect(win.loadedUrl).toBe('app://bank/index.html');

    const result = await invokeFrom(
      'bank:invoke',
      win.webContents,
      win.webContents.mainFrame,
      'system.info',
      {},
    );
    expect(result).toEqual({ ok: true, result: { handled: 'system.info' } });
  });

  it('focuses the window when a second instance starts', async () => {
    await run();
    const win = FakeBrowserWindow.instances[0]!;
    win.minimized = true;
    fake.app.emit('second-instance');
    expect(win).toMatchObject({ minimized: false, focused: true });
  });

  it('holds the quit until the database is closed', async () => {
    let finishClose: () => void = () => undefined;
    start.mockImplementation(async () => {
      const services = fakeServices();
      closeServices.mockImplementation(() => new Promise<void>((resolve) => (finishClose = resolve)));
      return services;
    });
    await run();
    fake.app.emit('window-all-closed');
    await vi.waitFor(() => expect(closeServices).toHaveBeenCalledOnce());
    fake.app.quit(); // asking again while closing changes nothing
    expect(fake.app.quitCount).toBe(0);
    expect(fake.handlers.has('bank:invoke')).toBe(false);

    finishClose();
    await vi.waitFor(() => expect(fake.app.quitCount).toBe(1));
    expect(closeServices).toHaveBeenCalledOnce();
  });

  it('shows one clear error box and exits with 1 when the schema is newer than the app', async () => {
    start.mockRejectedValue(new AppError('SCHEMA_TOO_NEW', { found: '0099_x', supported: '0003_y' }));
    await run();
    expect(fake.errorBoxes).toHaveLength(1);
    const [box] = fake.errorBoxes;
    expect(box!.title).toMatch(/newer/);
    expect(box!.content).toContain('0099_x');
    expect(box!.content).not.toMatch(/\bat .*:\d+:\d+/);
    expect(fake.app.exitCode).toBe(1);
  });

  it('shows one clear error box and exits with 1 when the bank database is unreachable', async () => {
    start.mockRejectedValue(
      new AppError('DATABASE_UNAVAILABLE', { target: 'postgres://t:***@db/bank', reason: 'ECONNREFUSED' }),
    );
    await run('--database', 'postgres://t:pw@db/bank');
    expect(start).toHaveBeenCalledWith({
      database: { url: 'postgres://t:pw@db/bank' },
      // Against a bank server the workstation keeps its offline store (ARCHITECTURE 6).
      localStore: expect.stringMatching(/local-store$/),
    });
    expect(fake.errorBoxes.map((b) => b.title)).toEqual(['Bank database unavailable']);
    expect(fake.errorBoxes[0]!.content).not.toContain(':pw@');
    expect(fake.app.exitCode).toBe(1);
  });

  it('remembers --database when asked, and says so when the keyring is unavailable', async () => {
    await run('--database', 'postgres://t:pw@db/bank', '--remember-database');
    expect(new CredentialStore(electron.safeStorage, dir).load()).toBe('postgres://t:pw@db/bank');

    resetFakeElectron();
    fake.app.userData = join(dir, 'other');
    fake.safeStorage.backend = 'basic_text';
    await run('--database', 'postgres://t:pw@db/bank', '--remember-database');
    if (process.platform === 'linux') {
      expect(fake.errorBoxes).toHaveLength(1);
      expect(fake.errorBoxes[0]!.content).toMatch(/keyring/);
    }
    // This start goes on with the URL all the same.
    expect(start).toHaveBeenLastCalledWith({
      database: { url: 'postgres://t:pw@db/bank' },
      // Against a bank server the workstation keeps its offline store (ARCHITECTURE 6).
      localStore: expect.stringMatching(/local-store$/),
    });
    expect(fake.app.exitCode).toBeNull();
  });

  it('uses stored credentials on a plain start', async () => {
    new CredentialStore(electron.safeStorage, dir).save('postgres://stored:pw@db/bank');
    await run();
    expect(start).toHaveBeenCalledWith({
      database: { url: 'postgres://stored:pw@db/bank' },
      // Against a bank server the workstation keeps its offline store (ARCHITECTURE 6).
      localStore: expect.stringMatching(/local-store$/),
    });
  });

  it('moves userData before taking the single-instance lock', async () => {
    await run(`--user-data-dir=${join(dir, 'profile')}`);
    expect(fake.app.setPath).toHaveBeenCalledWith('userData', join(dir, 'profile'));
    expect(fake.app.setPath.mock.invocationCallOrder[0]).toBeLessThan(
      fake.app.requestSingleInstanceLock.mock.invocationCallOrder[0]!,
    );
    expect(start).toHaveBeenCalledWith({ database: { dataDir: join(dir, 'profile', 'bank-data') } });
  });
});
