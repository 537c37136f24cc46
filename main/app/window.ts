import { electron, type BrowserWindow, type WebContents, type WebPreferences } from './electron';
import type { RendererTarget } from './renderer-target';
import { loadWindowState, MIN_HEIGHT, MIN_WIDTH, saveWindowState } from './window-state';

/** The renderer is untrusted web content: isolated, sandboxed, no Node, same-origin enforced. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    // Chromium's built-in PDF viewer, for previewing customer documents (no other plugin exists).
    plugins: true,
  };
}

/**
 * The window only ever shows the app: navigating anywhere else (a link, a dropped file, a
 * redirect, script setting location) is cancelled, new windows and <webview>s are refused.
 */
export function hardenWebContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  const keepInApp = (event: { preventDefault(): void; url: string }) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  // A document preview: a subframe may show a blob the app itself made (blob:app://bank/…).
  const ownBlobInFrame = (event: { preventDefault(): void; url: string; isMainFrame?: boolean }) => {
    if (event.isMainFrame === false && event.url.startsWith('blob:') && isAppUrl(event.url.slice(5))) return;
    keepInApp(event);
  };
  contents.on('will-navigate', keepInApp);
  contents.on('will-frame-navigate', ownBlobInFrame);
  contents.on('will-redirect', keepInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export interface MainWindowOptions {
  target: RendererTarget;
  preload: string;
  /** userData/window-state.json */
  stateFile: string;
  title: string;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const workAreas = electron.screen.getAllDisplays().map((d) => d.workArea);
  const state = loadWindowState(opts.stateFile, workAreas);
  const win = new electron.BrowserWindow({
    ...state.bounds,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    // Shown once painted, so the teller never sees a white flash or a half-drawn screen.
    show: false,
    title: opts.title,
    backgroundColor: '#f5f6f8',
    webPreferences: secureWebPreferences(opts.preload),
  });
  hardenWebContents(win.webContents, opts.target.isAppUrl);

  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    try {
      saveWindowState(opts.stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (err) {
      // Losing the window position is no reason to stop the app from closing.
      console.warn('[shell] could not save the window state:', (err as Error).message);
    }
  });
  win.loadURL(opts.target.entryUrl).catch((err: unknown) => {
    console.error('[shell] could not load the renderer:', (err as Error).message);
    // Still show the window, or a failed load would leave an invisible app running.
    if (!win.isDestroyed()) win.show();
  });
  return win;
}
