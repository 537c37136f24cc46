import type { Bridge, BridgeResult as InvokeResult } from '@shared/bridge';

export type { Bridge };

type LinkState = 'connecting' | 'open' | 'closed';

const TOKEN_KEY = 'bank.host.token';

/**
 * The host mode's transport: one WebSocket to the loopback server that served this page, carrying
 * the run's token. It reconnects by itself; calls made while the link is down fail at once with
 * OFFLINE instead of hanging.
 */
export class WebSocketBridge implements Bridge {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private pending = new Map<number, (r: InvokeResult) => void>();
  private listeners = new Set<(event: string, payload: unknown) => void>();
  private state: LinkState = 'connecting';
  private opened: Promise<void>;
  private resolveOpened: () => void = () => undefined;
  private retryMs = 250;
  private everOpened = false;

  constructor(
    private readonly url: string,
    private readonly onState: (s: LinkState) => void,
  ) {
    this.opened = new Promise((r) => (this.resolveOpened = r));
    this.connect();
  }

  static fromLocation(onState: (s: LinkState) => void): WebSocketBridge {
    const params = new URLSearchParams(window.location.search);
    const token = params.get('token') ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
    // Keep the token for reloads of this tab, but out of the address bar and history.
    if (params.get('token')) {
      sessionStorage.setItem(TOKEN_KEY, token);
      params.delete('token');
      const rest = params.toString();
      window.history.replaceState(
        null,
        '',
        `${window.location.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`,
      );
    }
    const ws = params.get('ws');
    const url = `ws://${window.location.host}/bridge?token=${encodeURIComponent(token)}${ws ? `&ws=${encodeURIComponent(ws)}` : ''}`;
    return new WebSocketBridge(url, onState);
  }

  private setState(s: LinkState) {
    this.state = s;
    this.onState(s);
  }

  private connect() {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 250;
      this.setState('open');
      this.resolveOpened();
      // A new socket is a new connection to the router: the session it had is gone.
      if (this.everOpened) for (const l of this.listeners) l('bridge.reconnected', {});
      this.everOpened = true;
    };
    socket.onmessage = (msg) => {
      const data = JSON.parse(String(msg.data)) as {
        id?: number;
        event?: string;
        payload?: unknown;
      } & InvokeResult;
      if (data.event) {
        for (const l of this.listeners) l(data.event, data.payload);
        return;
      }
      const resolve = typeof data.id === 'number' ? this.pending.get(data.id) : undefined;
      if (resolve) {
        this.pending.delete(data.id!);
        resolve(data.ok ? { ok: true, result: data.result } : { ok: false, error: data.error });
      }
    };
    socket.onclose = () => {
      this.setState('closed');
      for (const [, resolve] of this.pending) resolve(offline());
      this.pending.clear();
      this.opened = new Promise((r) => (this.resolveOpened = r));
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5_000);
    };
  }

  async invoke(name: string, input: unknown): Promise<InvokeResult> {
    if (this.state === 'connecting')
      await Promise.race([this.opened, new Promise((r) => setTimeout(r, 5_000))]);
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return offline();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      socket.send(JSON.stringify({ id, name, input }));
    });
  }

  subscribe(listener: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function offline(): InvokeResult {
  return { ok: false, error: { code: 'OFFLINE', messageKey: 'errors.OFFLINE', params: {} } };
}
