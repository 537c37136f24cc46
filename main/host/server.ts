import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { Router } from '../ipc/router';
import type { Connection } from '../ipc/connection';
import { AppError } from '../../shared/errors';

/** The strictest policy the renderer runs under; the same one the Electron shell sets. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  'frame-src blob:',
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Messages larger than this close the socket; the router refuses smaller oversize ones politely. */
const MAX_FRAME_BYTES = 32 * 1024 * 1024;

export interface HostServer {
  url: string;
  port: number;
  token: string;
  connections(): number;
  /** Sends an event to every attached renderer. */
  broadcast: Connection['emit'];
  close(): Promise<void>;
}

export interface HostServerOptions {
  router: Router;
  rendererDir: string;
  port: number;
  workstation: string;
  onClose?: (conn: Connection) => void;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Serves the built renderer and bridges it to the IPC router over a WebSocket, on the loopback
 * interface only. The WebSocket needs the run's token and an Origin from this very server, so
 * neither another local program nor a web page the user visits can drive the bank.
 */
export async function startHostServer(opts: HostServerOptions): Promise<HostServer> {
  const token = randomBytes(24).toString('base64url');
  const root = resolve(opts.rendererDir);
  let port = 0;
  const sockets = new Set<WebSocket>();
  const conns = new Set<Connection>();

  async function serveStatic(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': extname(file) === '.html' ? 'no-store' : 'public, max-age=3600',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    }
  }

  const server: Server = createServer((req, res) => void serveStatic(req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const allowed = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
    const given = url.searchParams.get('token') ?? '';
    if (url.pathname !== '/bridge' || !origin || !allowed.includes(origin) || !sameSecret(given, token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, url.searchParams.get('ws')));
  });

  function attach(ws: WebSocket, requestedWorkstation: string | null) {
    sockets.add(ws);
    // A browser tab may name itself a workstation (tests and training run several on one host).
    const workstation =
      requestedWorkstation && /^[A-Za-z0-9._-]{1,60}$/.test(requestedWorkstation)
        ? requestedWorkstation
        : opts.workstation;
    const conn: Connection = {
      id: randomUUID(),
      workstation,
      transport: 'websocket',
      session: null,
      emit(event, payload) {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
      },
    };
    conns.add(conn);
    ws.on('message', (data: RawData) => void onMessage(ws, conn, data));
    ws.on('close', () => {
      sockets.delete(ws);
      conns.delete(conn);
      opts.onClose?.(conn);
    });
  }

  async function onMessage(ws: WebSocket, conn: Connection, data: RawData) {
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Buffer.concat(data as Buffer[]).toString('utf8');
    let message: { id?: unknown; name?: unknown; input?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      ws.send(
        JSON.stringify({
          id: null,
          ok: false,
          error: new AppError('VALIDATION_FAILED', { fields: ['(message)'] }).toPayload(),
        }),
      );
      return;
    }
    const id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : null;
    const reply = await opts.router.handle(conn, message.name, message.input, Buffer.byteLength(text));
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...reply }));
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    connections: () => sockets.size,
    broadcast: (event, payload) => {
      for (const c of conns) c.emit(event, payload);
    },
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
