import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { Router } from '../ipc/router';
import { startServices, type Services } from '../services';
import { parseShellArgs } from './args';
import { CredentialStore } from './credentials';
import { chooseDatabase } from './database-target';
import { electron, type BrowserWindow } from './electron';
import { registerIpc } from './ipc';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { resolveRendererTarget } from './renderer-target';
import { secureSession } from './session-security';
import { bringToFront, claimSingleInstance } from './single-instance';
import { describeStartupError } from './startup-error';
import { createMainWindow } from './window';
import { startAuditSealer } from '../jobs/audit-seal';
import { startDepositActivityJob } from '../jobs/deposit-activity';

export const WINDOW_TITLE = 'Teller & Back Office';
/** How long quitting waits for the database to close before giving up on it. */
const CLOSE_TIMEOUT_MS = 5_000;

export interface RunOptions {
  /** process.argv: [executable, (app path in development), ...arguments]. */
  argv: readonly string[];
  env: Record<string, string | undefined>;
  /** The build output folder holding main/, preload/ and renderer/. */
  outDir: string;
}

function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    timer.unref?.();
    promise.then(
      () => done(),
      (err: unknown) => {
        console.error('[shell] error while closing:', (err as Error)?.message ?? err);
        done();
      },
    );
  });
}

/**
 * The app's life: claim the single instance, lock down the session, open the window while the
 * services start, and on the way out close the database before the process ends. Any startup
 * failure ends in one error box with a readable message and exit code 1.
 */
export async function runApp(opts: RunOptions): Promise<void> {
  const { app, dialog } = electron;
  const args = parseShellArgs(opts.argv.slice(1));
  // Before anything reads userData, and before the lock: the lock is per userData folder.
  if (args.userDataDir) app.setPath('userData', resolve(args.userDataDir));
  registerAppScheme();
  // Every renderer sandboxed, not only the windows that remember to ask for it.
  app.enableSandbox();

  let window: BrowserWindow | null = null;
  if (!claimSingleInstance(app, () => bringToFront(window))) return;

  // null until the services are started, and when they failed to start.
  let servicesReady: Promise<Services | null> = Promise.resolve(null);
  let disposeIpc = () => {};
  let closed = false;
  let closing = false;

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (closed) return;
    // Hold the quit until the database is closed: PGlite must flush, pg must end its sessions.
    event.preventDefault();
    if (closing) return;
    closing = true;
    disposeIpc();
    void servicesReady
      .then((services) => (services ? settleWithin(services.close(), CLOSE_TIMEOUT_MS) : undefined))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  await app.whenReady();

  const userData = app.getPath('userData');
  const target = resolveRendererTarget({
    isPackaged: app.isPackaged,
    devServerUrl: opts.env.ELECTRON_RENDERER_URL,
  });
  secureSession(electron.session.defaultSession, target.csp);
  handleAppProtocol(join(opts.outDir, 'renderer'), target.csp);

  const fail = async (err: unknown) => {
    const { title, message } = describeStartupError(err);
    console.error(`[shell] ${title}: ${message}`);
    dialog.showErrorBox(title, message);
    closing = true;
    disposeIpc();
    const services = await servicesReady;
    if (services) await settleWithin(services.close(), CLOSE_TIMEOUT_MS);
    closed = true;
    app.exit(1);
  };

  try {
    const store = new CredentialStore(electron.safeStorage, userData);
    const choice = chooseDatabase(args, opts.env, () => store.load(), userData);
    if (args.rememberDatabase && args.database) {
      try {
        store.save(args.database);
      } catch (err) {
        // This start can still use the URL; the person is told it will not be remembered.
        const { title, message } = describeStartupError(err);
        dialog.showErrorBox(title, message);
      }
    }

    // Against a bank server the workstation keeps its local store, to work offline (ARCHITECTURE 6).
    const started = startServices({
      database: choice.target,
      ...(choice.target.url ? { localStore: join(userData, 'local-store') } : {}),
    });
    servicesReady = started.catch(() => null);
    let services: Services | null = null;
    // Not awaited here: the window opens meanwhile, and its first calls wait for the router.
    const router = started.then((s) => {
      services = s;
      return new Router(s);
    });
    router.catch(() => undefined); // the failure is reported below, through `started`

    const workstation = args.workstation ?? hostname();
    const ipc = registerIpc({
      ipcMain: electron.ipcMain,
      router,
      window: () => window,
      isAppUrl: target.isAppUrl,
      workstation,
      // Connections are only made once the router (so the services) exists.
      onConnectivity: (listener) => services?.monitor.onChange(listener) ?? (() => undefined),
      onApprovalsChanged: (listener) =>
        services?.governance?.onApprovalsChanged(listener) ?? (() => undefined),
      onOutboxChanged: (listener) => services?.offline?.onChange(listener) ?? (() => undefined),
    });
    disposeIpc = () => ipc.dispose();

    window = createMainWindow({
      target,
      preload: join(opts.outDir, 'preload', 'index.cjs'),
      stateFile: join(userData, 'window-state.json'),
      title: WINDOW_TITLE,
    });

    const stopSealer = startAuditSealer(await started, workstation);
    const stopActivityJob = startDepositActivityJob(await started, workstation);
    const disposeChannels = disposeIpc;
    disposeIpc = () => {
      stopSealer();
      stopActivityJob();
      disposeChannels();
    };
  } catch (err) {
    await fail(err);
  }
}
