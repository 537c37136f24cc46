/**
 * The slice of Electron's API the shell uses, written out by hand.
 *
 * `electron` is an optionalDependency: where its binary cannot be downloaded the package, and so
 * its type definitions, are absent, yet the shell must still type-check and be unit-tested with a
 * mocked `electron`. Every member here mirrors Electron's own declaration (same names, compatible
 * types); `./electron.ts` checks that against the real definitions wherever they are installed.
 */

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Display {
  workArea: Rectangle;
}

/** Electron's `Event<Params>`: a preventable event carrying its details. */
export type ElectronEvent<Params extends object = object> = { preventDefault(): void } & Params;

export interface WebFrame {
  url: string;
  parent: WebFrame | null;
  /** Unique per frame for its lifetime: the way to tell two frame objects apart. */
  frameToken: string;
}

export interface NavigationDetails {
  url: string;
  isMainFrame: boolean;
}

export interface WebContents {
  id: number;
  mainFrame: WebFrame;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  print(options: { printBackground?: boolean }, callback: (success: boolean) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (event: ElectronEvent<NavigationDetails>) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: ElectronEvent<NavigationDetails>) => void): unknown;
  on(event: 'will-redirect', listener: (event: ElectronEvent<NavigationDetails>) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: ElectronEvent) => void): unknown;
  on(event: 'destroyed', listener: () => void): unknown;
}

export interface WebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInWorker?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  webviewTag?: boolean;
  navigateOnDragDrop?: boolean;
  plugins?: boolean;
  spellcheck?: boolean;
}

export interface BrowserWindowOptions {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  show?: boolean;
  title?: string;
  backgroundColor?: string;
  webPreferences?: WebPreferences;
}

export interface BrowserWindow {
  webContents: WebContents;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  isMaximized(): boolean;
  getNormalBounds(): Rectangle;
  restore(): void;
  maximize(): void;
  show(): void;
  focus(): void;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

export interface BrowserWindowClass {
  new (options: BrowserWindowOptions): BrowserWindow;
}

export interface IpcMainInvokeEvent {
  sender: WebContents;
  senderFrame: WebFrame | null;
}

export interface IpcMain {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface HeadersReceivedDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}

export interface HeadersReceivedResponse {
  responseHeaders?: Record<string, string | string[]>;
}

export interface Session {
  setPermissionRequestHandler(
    handler:
      ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
  webRequest: {
    onHeadersReceived(
      listener:
        | ((details: HeadersReceivedDetails, callback: (response: HeadersReceivedResponse) => void) => void)
        | null,
    ): void;
  };
}

export interface App {
  isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  enableSandbox(): void;
  whenReady(): Promise<void>;
  quit(): void;
  exit(exitCode?: number): void;
  getAppPath(): string;
  getPath(name: 'userData'): string;
  setPath(name: 'userData', path: string): void;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: ElectronEvent) => void): unknown;
}

export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. */
  getSelectedStorageBackend(): string;
}

export interface CustomScheme {
  scheme: string;
  privileges?: { standard?: boolean; secure?: boolean; supportFetchAPI?: boolean; corsEnabled?: boolean };
}

export interface Protocol {
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/** What the main process takes from 'electron'. */
export interface MainElectron {
  app: App;
  BrowserWindow: BrowserWindowClass;
  ipcMain: IpcMain;
  dialog: { showErrorBox(title: string, content: string): void };
  screen: { getAllDisplays(): Display[] };
  session: { defaultSession: Session };
  safeStorage: SafeStorage;
  protocol: Protocol;
}

export interface IpcRenderer {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** What the sandboxed preload takes from 'electron'. */
export interface PreloadElectron {
  contextBridge: { exposeInMainWorld(apiKey: string, api: unknown): void };
  ipcRenderer: IpcRenderer;
}
