import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, fake, resetFakeElectron } from './fake-electron';
import { createMainWindow } from '../../../main/app/window';
import { resolveRendererTarget } from '../../../main/app/renderer-target';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const target = resolveRendererTarget({ isPackaged: true });
let dir: string;

function open(): FakeBrowserWindow {
  createMainWindow({
    target,
    preload: '/app/out/preload/index.cjs',
    stateFile: join(dir, 'window-state.json'),
    title: 'Bank',
  });
  const win = FakeBrowserWindow.instances.at(-1);
  if (!win) throw new Error('no window was created');
  return win;
}

beforeEach(() => {
  resetFakeElectron();
  dir = mkdtempSync(join(tmpdir(), 'bank-window-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('main window', () => {
  it('is created with the security web preferences and our preload', () => {
    const win = open();
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Chromium's PDF viewer for document previews.
      plugins: true,
      preload: '/app/out/preload/index.cjs',
    });
    expect(win.options.show).toBe(false);
  });

  it('loads the built renderer from the app scheme and shows itself once painted', async () => {
    const win = open();
    expect(win.loadedUrl).toBe('app://bank/index.html');
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('blocks navigation away from the app, in any frame and by redirect', () => {
    const { webContents } = open();
    expect(webContents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(webContents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(webContents.navigate('will-frame-navigate', 'https://evil.example/', false)).toBe(true);
    expect(webContents.navigate('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(webContents.navigate('will-navigate', 'app://other/index.html')).toBe(true);
    // Staying inside the app is fine.
    expect(webContents.navigate('will-navigate', 'app://bank/index.html#/login')).toBe(false);
  });

  it('lets a subframe show a blob of the app itself (a document preview), and nothing else', () => {
    const { webContents } = open();
    const blob = 'blob:app://bank/5d0f7f0e-1b2c-4c53-9a55-2f0b8f3b1a11';
    expect(webContents.navigate('will-frame-navigate', blob, false)).toBe(false);
    // Not as the page itself, and not a blob of another origin.
    expect(webContents.navigate('will-frame-navigate', blob, true)).toBe(true);
    expect(webContents.navigate('will-navigate', blob)).toBe(true);
    expect(webContents.navigate('will-frame-navigate', 'blob:https://evil.example/x', false)).toBe(true);
  });

  it('denies window.open and <webview>', () => {
    const { webContents } = open();
    expect(webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(webContents.windowOpenHandler?.({ url: 'app://bank/index.html' })).toEqual({ action: 'deny' });
    let prevented = false;
    webContents.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });

  it('remembers its bounds and maximized state across starts', () => {
    const first = open();
    first.normalBounds = { x: 200, y: 100, width: 1400, height: 900 };
    first.maximized = true;
    first.emit('close');
    expect(JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8'))).toEqual({
      bounds: { x: 200, y: 100, width: 1400, height: 900 },
      maximized: true,
    });

    const second = open();
    expect(second.options).toMatchObject({ x: 200, y: 100, width: 1400, height: 900 });
    expect(second.maximized).toBe(false);
    second.emit('ready-to-show');
    expect(second.maximized).toBe(true);
  });

  it('brings a remembered window back onto a visible display', () => {
    writeFileSync(
      join(dir, 'window-state.json'),
      JSON.stringify({ bounds: { x: 5000, y: 3000, width: 1400, height: 900 }, maximized: false }),
    );
    fake.displays = [{ workArea: { x: 0, y: 0, width: 1366, height: 728 } }];
    const win = open();
    expect(win.options).toMatchObject({ x: 0, y: 0, width: 1366, height: 728 });
  });

  it('still shows the window when the renderer cannot be loaded', async () => {
    const failing = Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
    failing.catch(() => undefined);
    vi.spyOn(FakeBrowserWindow.prototype, 'loadURL').mockReturnValueOnce(failing);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const win = open();
    await vi.waitFor(() => expect(win.visible).toBe(true));
    expect(error).toHaveBeenCalled();
  });
});
