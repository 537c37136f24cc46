import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { electron } from './electron';
import { APP_HOST, APP_SCHEME } from './renderer-target';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Must run before the app is ready: scheme privileges are fixed at startup. */
export function registerAppScheme(): void {
  electron.protocol.registerSchemesAsPrivileged([
    // standard + secure: a real origin ('self' in the CSP) treated like https; fetch for assets.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

type ReadFile = (path: string) => Promise<Uint8Array>;

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}

/**
 * Serves files from the built renderer folder and nothing else: no path may climb out of it. A
 * path without an extension is a client-side route and gets index.html, so a reload on a deep
 * route still starts the app.
 */
export function createAppProtocolHandler(
  rendererDir: string,
  csp: string,
  read: ReadFile = readFile,
): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405 });
    }
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return notFound();
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return notFound();
    }
    if (path.includes('\0')) return notFound();
    const relative = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
    const wanted = resolve(root, relative);
    if (!wanted.startsWith(root + sep)) return notFound();
    const file = extname(wanted) ? wanted : resolve(root, 'index.html');
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      return notFound();
    }
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': type,
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  };
}

export function handleAppProtocol(rendererDir: string, csp: string): void {
  electron.protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir, csp));
}
