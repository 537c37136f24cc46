import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakeElectron } from './fake-electron';
import { CSP } from '../../../main/app/csp';
import { createAppProtocolHandler, handleAppProtocol, registerAppScheme } from '../../../main/app/protocol';
import { APP_ENTRY_URL, resolveRendererTarget } from '../../../main/app/renderer-target';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

let dir: string;
let rendererDir: string;
let serve: (request: Request) => Promise<Response>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bank-protocol-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Bank</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  // Beside the renderer folder: must never be served.
  writeFileSync(join(dir, 'secret.txt'), 'the vault code');
  serve = createAppProtocolHandler(rendererDir, CSP);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => resetFakeElectron());

const get = (url: string, init?: RequestInit) => serve(new Request(url, init));

describe('app:// protocol', () => {
  it('is registered as a privileged standard, secure scheme and handled', () => {
    registerAppScheme();
    expect(fake.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    handleAppProtocol(rendererDir, CSP);
    expect(fake.protocolHandlers.has('app')).toBe(true);
  });

  it('serves the renderer with content types, nosniff and the CSP', async () => {
    const page = await get(APP_ENTRY_URL);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Bank</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await get('app://bank/assets/index-abc.js')).headers.get('content-type')).toMatch(
      /^text\/javascript/,
    );
    expect((await get('app://bank/assets/index-abc.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect(await (await get('app://bank/')).text()).toContain('<title>Bank</title>');
  });

  it('answers client-side routes with index.html, missing files with 404', async () => {
    expect(await (await get('app://bank/customers/42')).text()).toContain('<title>Bank</title>');
    expect((await get('app://bank/assets/missing.js')).status).toBe(404);
  });

  it.each([
    'app://bank/..%2fsecret.txt',
    'app://bank/%2e%2e/secret.txt',
    'app://bank/assets/..%2F..%2Fsecret.txt',
    'app://bank/%2e%2e%5csecret.txt',
    'app://bank/x%00.js',
    'app://bank/%E0%A4%A',
  ])('never serves anything outside the renderer folder: %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('vault');
  });

  it('refuses other hosts and other methods', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get(APP_ENTRY_URL, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

describe('renderer target', () => {
  it('is the app scheme in a packaged app, whatever the environment says', () => {
    const target = resolveRendererTarget({ isPackaged: true, devServerUrl: 'http://localhost:5173' });
    expect(target.entryUrl).toBe(APP_ENTRY_URL);
    expect(target.csp).toBe(CSP);
    expect(target.isAppUrl('app://bank/index.html#/till')).toBe(true);
    expect(target.isAppUrl('http://localhost:5173/')).toBe(false);
    expect(target.isAppUrl('app://evil/index.html')).toBe(false);
    expect(target.isAppUrl('app://user:pw@bank/index.html')).toBe(false);
    expect(target.isAppUrl('file:///app/out/renderer/index.html')).toBe(false);
    expect(target.isAppUrl('not a url')).toBe(false);
  });

  it('uses the dev server only unpackaged and only on loopback', () => {
    const dev = resolveRendererTarget({ isPackaged: false, devServerUrl: 'http://localhost:5173' });
    expect(dev.entryUrl).toBe('http://localhost:5173/');
    expect(dev.isAppUrl('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false);
    expect(dev.isAppUrl('app://bank/index.html')).toBe(false);

    for (const url of ['https://evil.example', 'file:///tmp/x.html', 'javascript:alert(1)', 'nonsense']) {
      expect(resolveRendererTarget({ isPackaged: false, devServerUrl: url }).entryUrl).toBe(APP_ENTRY_URL);
    }
  });
});
