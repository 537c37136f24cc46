import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { summarize, type LatencySummary } from './stats';

/**
 * A minimal client of the host's WebSocket bridge, speaking what renderer/src/bridge.ts speaks:
 * { id, name, input } out, { id, ok, result | error } back, { event, payload } pushed.
 */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as {
        id?: number;
        event?: string;
        ok?: boolean;
        result?: unknown;
        error?: { code: string };
      };
      if (msg.event || typeof msg.id !== 'number') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(`call failed: ${msg.error?.code ?? 'unknown error'}`));
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('socket closed'));
      this.pending.clear();
    });
  }

  /** Opens a socket with the run's token and an Origin of that very server, as a browser tab would. */
  static connect(port: number, token: string): Promise<RpcClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge?token=${encodeURIComponent(token)}`, {
      origin: `http://127.0.0.1:${port}`,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RpcClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)),
      );
    });
  }

  call(name: string, input: unknown = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, name, input }));
    });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

export interface LoadResult {
  latency: LatencySummary;
  wallMs: number;
  callsPerSecond: number;
}

/**
 * Runs `total` calls spread over the clients, each client keeping exactly one call in flight
 * (a caller waits for its answer before the next call), and times every call.
 */
export async function runLoad(
  clients: RpcClient[],
  total: number,
  name: string,
  input: unknown = {},
): Promise<LoadResult> {
  const samples = new Float64Array(total);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = next++; i < total; i = next++) {
        const t0 = performance.now();
        await client.call(name, input);
        samples[i] = performance.now() - t0;
      }
    }),
  );
  const wallMs = performance.now() - started;
  return { latency: summarize(samples), wallMs, callsPerSecond: (total * 1000) / wallMs };
}
