import { randomUUID } from 'node:crypto';
import type { EventMap, EventName } from '../../shared/contract';
import type { BridgeResult } from '../../shared/bridge';
import { AppError } from '../../shared/errors';
import type { Connection } from '../ipc/connection';
import type { Router } from '../ipc/router';
import type { ConnectivitySnapshot } from '../offline/monitor';
import { EVENT_CHANNEL, INVOKE_CHANNEL, PRINT_CHANNEL } from './channels';
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebContents } from './electron';

export interface IpcOptions {
  ipcMain: IpcMain;
  /** Settles once the services are up; calls that arrive earlier simply wait. */
  router: Promise<Pick<Router, 'handle'>>;
  /** The app's window (null before it exists and after it is gone). */
  window(): BrowserWindow | null;
  isAppUrl(url: string): boolean;
  workstation: string;
  /** Connectivity changes are pushed to every window. */
  onConnectivity?: (listener: (snapshot: ConnectivitySnapshot) => void) => () => void;
  /** Approvals changes (any workstation's, via NOTIFY) are pushed to every window. */
  onApprovalsChanged?: (listener: (e: EventMap['approvals.changed']) => void) => () => void;
  /** Queued decisions replayed or refused (offline work) are pushed to every window. */
  onOutboxChanged?: (listener: (e: EventMap['outbox.changed']) => void) => () => void;
}

/**
 * Only the main frame of our own window, showing our own page, may call the bank. An iframe, a
 * page navigated elsewhere, or any other webContents is refused before the router sees the call.
 */
export function isTrustedSender(
  event: IpcMainInvokeEvent,
  window: BrowserWindow | null,
  isAppUrl: (url: string) => boolean,
): boolean {
  const frame = event.senderFrame;
  if (!frame || !window || window.isDestroyed()) return false;
  if (event.sender.id !== window.webContents.id) return false;
  if (frame.parent !== null || frame.frameToken !== event.sender.mainFrame.frameToken) return false;
  return isAppUrl(frame.url);
}

const forbidden = (): BridgeResult => ({
  ok: false,
  error: new AppError('FORBIDDEN', { reason: 'untrusted-sender' }).toPayload(),
});

/** The size the router bounds inputs by; structured clone can carry what JSON cannot (cycles). */
function jsonByteLength(input: unknown): number | null {
  try {
    return Buffer.byteLength(JSON.stringify(input ?? null) ?? '');
  } catch {
    return null;
  }
}

function createConnection(contents: WebContents, workstation: string): Connection {
  return {
    id: randomUUID(),
    workstation,
    transport: 'electron',
    session: null,
    emit<E extends EventName>(event: E, payload: EventMap[E]) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event, payload);
    },
  };
}

/**
 * Wires the one IPC channel to the router. Each webContents gets its own Connection (and so its
 * own session), which lives as long as the webContents: a renderer reload keeps the session.
 */
export function registerIpc(opts: IpcOptions): { connections: Map<number, Connection>; dispose(): void } {
  const connections = new Map<number, Connection>();
  const unsubscribers = new Map<number, () => void>();

  const connectionFor = (contents: WebContents): Connection => {
    let conn = connections.get(contents.id);
    if (conn) return conn;
    conn = createConnection(contents, opts.workstation);
    connections.set(contents.id, conn);
    const stop = opts.onConnectivity?.((s) =>
      connections.get(contents.id)?.emit('connectivity.changed', { state: s.state, since: s.since }),
    );
    const stopApprovals = opts.onApprovalsChanged?.((e) =>
      connections.get(contents.id)?.emit('approvals.changed', e),
    );
    const stopOutbox = opts.onOutboxChanged?.((e) => connections.get(contents.id)?.emit('outbox.changed', e));
    if (stop || stopApprovals || stopOutbox)
      unsubscribers.set(contents.id, () => {
        stop?.();
        stopApprovals?.();
        stopOutbox?.();
      });
    contents.on('destroyed', () => {
      connections.delete(contents.id);
      unsubscribers.get(contents.id)?.();
      unsubscribers.delete(contents.id);
    });
    return conn;
  };

  opts.ipcMain.handle(INVOKE_CHANNEL, async (event, name, input): Promise<BridgeResult> => {
    if (!isTrustedSender(event, opts.window(), opts.isAppUrl)) return forbidden();
    const byteLength = jsonByteLength(input);
    if (byteLength === null) {
      return {
        ok: false,
        error: new AppError('VALIDATION_FAILED', { fields: ['(input)'], issue: 'not_json' }).toPayload(),
      };
    }
    const router = await opts.router;
    return router.handle(connectionFor(event.sender), name, input, byteLength);
  });

  // Receipts: the page lays out what to print; the system dialog is the main process's to open.
  opts.ipcMain.handle(PRINT_CHANNEL, (event) => {
    if (!isTrustedSender(event, opts.window(), opts.isAppUrl)) return false;
    return new Promise<boolean>((resolve) => event.sender.print({ printBackground: true }, resolve));
  });

  return {
    connections,
    dispose() {
      opts.ipcMain.removeHandler(INVOKE_CHANNEL);
      opts.ipcMain.removeHandler(PRINT_CHANNEL);
      for (const stop of unsubscribers.values()) stop();
      unsubscribers.clear();
    },
  };
}
