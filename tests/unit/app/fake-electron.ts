import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import type { BrowserWindowOptions, Display, Rectangle } from '../../../main/app/electron-types';
import { APP_ENTRY_URL } from '../../../main/app/renderer-target';

/**
 * A stand-in for the parts of Electron the shell uses, recording what the shell asked of it.
 * Test files install it with:
 *   vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
 * and call resetFakeElectron() before each test.
 */

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  frameToken: string;
}

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FakeFrame;
  destroyed = false;
  readonly sent: unknown[][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;

  constructor(url = APP_ENTRY_URL) {
    super();
    this.mainFrame = { url, parent: null, frameToken: `frame-${this.id}` };
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }

  /** Print requests, answered as the system dialog would after the user printed. */
  readonly printed: { printBackground?: boolean }[] = [];
  print(options: { printBackground?: boolean }, callback: (success: boolean) => void): void {
    this.printed.push(options);
    callback(true);
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }

  /** Raises a navigation event the way Electron does; true when a listener cancelled it. */
  navigate(
    event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect',
    url: string,
    isMainFrame = true,
  ): boolean {
    let prevented = false;
    this.emit(event, { url, isMainFrame, preventDefault: () => (prevented = true) });
    return prevented;
  }

  /** An iframe inside this page. */
  childFrame(url: string): FakeFrame {
    return { url, parent: this.mainFrame, frameToken: `child-of-${this.id}` };
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];

  readonly webContents = new FakeWebContents();
  destroyed = false;
  minimized = false;
  maximized = false;
  visible = false;
  focused = false;
  normalBounds: Rectangle;
  loadedUrl: string | null = null;
  loadResult: Promise<void> = Promise.resolve();

  constructor(readonly options: BrowserWindowOptions) {
    super();
    this.normalBounds = {
      x: options.x ?? 100,
      y: options.y ?? 100,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    FakeBrowserWindow.instances.push(this);
  }

  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
  isMaximized = () => this.maximized;
  getNormalBounds = () => ({ ...this.normalBounds });
  restore = () => {
    this.minimized = false;
  };
  maximize = () => {
    this.maximized = true;
  };
  show = () => {
    this.visible = true;
  };
  focus = () => {
    this.focused = true;
  };
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return this.loadResult;
  }
}

type InvokeListener = (event: unknown, ...args: unknown[]) => unknown;
type PermissionRequestHandler = (wc: unknown, permission: string, cb: (granted: boolean) => void) => void;
type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
) => void;

class FakeApp extends EventEmitter {
  isPackaged = false;
  lockGranted = true;
  userData = '/tmp/fake-user-data';
  appPath = '/tmp/fake-app';
  quitCount = 0;
  exitCode: number | null = null;
  requestSingleInstanceLock = vi.fn(() => this.lockGranted);
  enableSandbox = vi.fn();
  whenReady = vi.fn(() => Promise.resolve());
  getAppPath = () => this.appPath;
  getPath = vi.fn(() => this.userData);
  setPath = vi.fn((_name: string, path: string) => {
    this.userData = path;
  });
  /** Like Electron: 'before-quit' first, and a listener may hold the quit back. */
  quit = vi.fn(() => {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.quitCount++;
  });
  exit = vi.fn((code?: number) => {
    this.exitCode = code ?? 0;
  });
}

function createFake() {
  const handlers = new Map<string, InvokeListener>();
  const exposed = new Map<string, unknown>();
  const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  const session = {
    permissionRequestHandler: null as PermissionRequestHandler | null,
    permissionCheckHandler: null as ((wc: unknown, permission: string) => boolean) | null,
    headersListener: null as HeadersListener | null,
    setPermissionRequestHandler(h: PermissionRequestHandler | null) {
      session.permissionRequestHandler = h;
    },
    setPermissionCheckHandler(h: ((wc: unknown, permission: string) => boolean) | null) {
      session.permissionCheckHandler = h;
    },
    webRequest: {
      onHeadersReceived(l: HeadersListener | null) {
        session.headersListener = l;
      },
    },
  };
  const ipcRenderer = Object.assign(new EventEmitter(), {
    invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, result: null })),
  });
  return {
    app: new FakeApp(),
    displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] as Display[],
    handlers,
    exposed,
    protocolHandlers,
    session,
    ipcRenderer,
    privilegedSchemes: [] as unknown[],
    errorBoxes: [] as { title: string; content: string }[],
    safeStorage: {
      available: true,
      backend: 'gnome_libsecret',
      isEncryptionAvailable: vi.fn((): boolean => fake.safeStorage.available),
      getSelectedStorageBackend: vi.fn((): string => fake.safeStorage.backend),
      // Not real encryption: just enough that the file is not the plain URL.
      encryptString: vi.fn((plain: string) => Buffer.from(Buffer.from(plain).map((b) => b ^ 0x5a))),
      decryptString: vi.fn((data: Buffer) => Buffer.from(data.map((b) => b ^ 0x5a)).toString()),
    },
  };
}

export let fake = createFake();

export function resetFakeElectron(): void {
  fake = createFake();
  FakeBrowserWindow.instances = [];
}

/** The module 'electron' resolves to in tests; every member reads the current fake. */
export const electronModule = {
  get app() {
    return fake.app;
  },
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    handle: (channel: string, listener: InvokeListener) => {
      if (fake.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      fake.handlers.set(channel, listener);
    },
    removeHandler: (channel: string) => fake.handlers.delete(channel),
  },
  dialog: {
    showErrorBox: (title: string, content: string) => fake.errorBoxes.push({ title, content }),
  },
  screen: { getAllDisplays: () => fake.displays },
  session: {
    get defaultSession() {
      return fake.session;
    },
  },
  get safeStorage() {
    return fake.safeStorage;
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => fake.privilegedSchemes.push(...schemes),
    handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) =>
      fake.protocolHandlers.set(scheme, handler),
  },
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api),
  },
  get ipcRenderer() {
    return fake.ipcRenderer;
  },
};

/** Calls the registered ipcMain handler as Electron would for an invoke from `sender`. */
export async function invokeFrom(
  channel: string,
  sender: FakeWebContents,
  senderFrame: FakeFrame | null,
  ...args: unknown[]
): Promise<unknown> {
  const handler = fake.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler({ sender, senderFrame }, ...args);
}
