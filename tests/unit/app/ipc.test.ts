import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connection } from '../../../main/ipc/connection';
import type { RouterResult } from '../../../main/ipc/router';
import type { ConnectivitySnapshot } from '../../../main/offline/monitor';
import { electron, type BrowserWindow } from '../../../main/app/electron';
import { isTrustedSender, registerIpc } from '../../../main/app/ipc';
import { resolveRendererTarget } from '../../../main/app/renderer-target';
import { FakeBrowserWindow, FakeWebContents, fake, invokeFrom, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const target = resolveRendererTarget({ isPackaged: true });

interface Call {
  conn: Connection;
  name: unknown;
  input: unknown;
  byteLength: number | undefined;
}

let calls: Call[];
let win: FakeBrowserWindow;
let connectivity: Set<(s: ConnectivitySnapshot) => void>;
let ipc: ReturnType<typeof registerIpc>;

function setup(router: Promise<{ handle: (...args: never[]) => Promise<RouterResult> }>) {
  ipc = registerIpc({
    ipcMain: electron.ipcMain,
    router: router as never,
    window: () => win as unknown as BrowserWindow,
    isAppUrl: target.isAppUrl,
    workstation: 'BRANCH-07',
    onConnectivity: (listener) => {
      connectivity.add(listener);
      return () => connectivity.delete(listener);
    },
  });
}

const fakeRouter = {
  async handle(conn: Connection, name: unknown, input: unknown, byteLength?: number): Promise<RouterResult> {
    calls.push({ conn, name, input, byteLength });
    return { ok: true, result: { echoed: name } };
  },
};

beforeEach(() => {
  resetFakeElectron();
  calls = [];
  connectivity = new Set();
  win = new FakeBrowserWindow({});
  setup(Promise.resolve(fakeRouter));
});

const invoke = (sender: FakeWebContents, frame: FakeWebContents['mainFrame'] | null, ...args: unknown[]) =>
  invokeFrom('bank:invoke', sender, frame, ...args);

const FORBIDDEN = {
  ok: false,
  error: { code: 'FORBIDDEN', messageKey: 'errors.FORBIDDEN', params: { reason: 'untrusted-sender' } },
};

describe('printing (receipts)', () => {
  it("prints our own window's page, and nothing for any other sender", async () => {
    expect(await invokeFrom('bank:print', win.webContents, win.webContents.mainFrame)).toBe(true);
    expect(win.webContents.printed).toEqual([{ printBackground: true }]);
    const frame = win.webContents.childFrame('app://bank/index.html');
    expect(await invokeFrom('bank:print', win.webContents, frame)).toBe(false);
    const other = new FakeWebContents();
    expect(await invokeFrom('bank:print', other, other.mainFrame)).toBe(false);
    expect(win.webContents.printed).toHaveLength(1);
    expect(other.printed).toHaveLength(0);
  });
});

describe('IPC sender check', () => {
  it("accepts our window's main frame showing our page", async () => {
    const result = await invoke(win.webContents, win.webContents.mainFrame, 'system.info', {});
    expect(result).toEqual({ ok: true, result: { echoed: 'system.info' } });
    expect(calls).toHaveLength(1);
  });

  it('refuses an iframe, even one showing our page', async () => {
    const frame = win.webContents.childFrame('app://bank/index.html');
    expect(await invoke(win.webContents, frame, 'system.info', {})).toEqual(FORBIDDEN);
    expect(calls).toHaveLength(0);
  });

  it('refuses our main frame once it shows a foreign URL', async () => {
    for (const url of [
      'https://evil.example/',
      'file:///tmp/x.html',
      'app://evil/index.html',
      'about:blank',
    ]) {
      win.webContents.mainFrame.url = url;
      expect(await invoke(win.webContents, win.webContents.mainFrame, 'system.info', {})).toEqual(FORBIDDEN);
    }
    expect(calls).toHaveLength(0);
  });

  it('refuses another webContents, a gone frame and a closed window', async () => {
    const other = new FakeWebContents();
    expect(await invoke(other, other.mainFrame, 'system.info', {})).toEqual(FORBIDDEN);
    expect(await invoke(win.webContents, null, 'system.info', {})).toEqual(FORBIDDEN);
    const impostor = { ...win.webContents.mainFrame, frameToken: 'another-frame' };
    expect(await invoke(win.webContents, impostor, 'system.info', {})).toEqual(FORBIDDEN);
    win.destroyed = true;
    expect(await invoke(win.webContents, win.webContents.mainFrame, 'system.info', {})).toEqual(FORBIDDEN);
    expect(calls).toHaveLength(0);
  });

  it('isTrustedSender needs a window at all', () => {
    const event = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    expect(isTrustedSender(event, null, target.isAppUrl)).toBe(false);
    expect(isTrustedSender(event, win as unknown as BrowserWindow, target.isAppUrl)).toBe(true);
  });
});

describe('IPC wiring', () => {
  it('passes name, input and the JSON byte length to the router', async () => {
    const input = { name: 'Zoë', amount: '150.00' };
    await invoke(win.webContents, win.webContents.mainFrame, 'customers.search', input);
    expect(calls[0]).toMatchObject({ name: 'customers.search', input });
    expect(calls[0]!.byteLength).toBe(Buffer.byteLength(JSON.stringify(input)));
  });

  it('gives each webContents one electron Connection for its whole life', async () => {
    await invoke(win.webContents, win.webContents.mainFrame, 'a', {});
    await invoke(win.webContents, win.webContents.mainFrame, 'b', {});
    const conn = calls[0]!.conn;
    expect(calls[1]!.conn).toBe(conn);
    expect(conn).toMatchObject({ transport: 'electron', workstation: 'BRANCH-07', session: null });
    expect(ipc.connections.get(win.webContents.id)).toBe(conn);

    win.webContents.destroy();
    expect(ipc.connections.size).toBe(0);
    expect(connectivity.size).toBe(0);
  });

  it("emits events to the connection's renderer on the event channel", async () => {
    await invoke(win.webContents, win.webContents.mainFrame, 'a', {});
    calls[0]!.conn.emit('session.locked', { reason: 'idle' });
    expect(win.webContents.sent).toEqual([['bank:event', 'session.locked', { reason: 'idle' }]]);

    for (const listener of connectivity) listener({ state: 'offline', since: 'T', lastOkAt: null });
    expect(win.webContents.sent.at(-1)).toEqual([
      'bank:event',
      'connectivity.changed',
      { state: 'offline', since: 'T' },
    ]);

    win.webContents.destroyed = true;
    calls[0]!.conn.emit('session.locked', { reason: 'idle' });
    expect(win.webContents.sent).toHaveLength(2);
  });

  it('refuses input that cannot be measured as JSON, without reaching the router', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const result = await invoke(win.webContents, win.webContents.mainFrame, 'a', cyclic);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(calls).toHaveLength(0);
  });

  it('holds calls made before the services are up until the router is ready', async () => {
    ipc.dispose();
    expect(fake.handlers.size).toBe(0);
    let ready: (r: typeof fakeRouter) => void = () => undefined;
    setup(new Promise((resolve) => (ready = resolve)));
    const pending = invoke(win.webContents, win.webContents.mainFrame, 'system.info', {});
    await Promise.resolve();
    expect(calls).toHaveLength(0);
    ready(fakeRouter);
    expect(await pending).toMatchObject({ ok: true });
  });
});
