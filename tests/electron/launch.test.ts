import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication } from '@playwright/test';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** The Electron executable, or why this machine cannot launch the app. */
function findElectron(): { binary: string } | { skip: string } {
  let binary: unknown;
  try {
    // The electron package exports its binary's path; it throws when the download never happened.
    binary = createRequire(import.meta.url)('electron');
  } catch {
    return { skip: 'the electron package or its binary is not installed (it could not be downloaded)' };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { skip: `the Electron binary is missing (${String(binary)})` };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { skip: 'there is no display (run the tests under xvfb-run)' };
  }
  return { binary };
}

const found = findElectron();
const skipReason = 'skip' in found ? found.skip : null;
if (skipReason) console.log(`[electron launch test] SKIPPED: ${skipReason}.`);

describe('Electron app', () => {
  let app: ElectronApplication | undefined;
  let userData: string | undefined;
  afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  it.skipIf(skipReason !== null)(
    'launches into the setup or sign-in screen with only window.bank exposed',
    { timeout: 180_000 },
    async () => {
      if (!('binary' in found)) return;
      userData = mkdtempSync(join(tmpdir(), 'bank-electron-'));
      const build = spawnSync(
        process.execPath,
        [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'],
        { cwd: root, stdio: 'inherit' },
      );
      expect(build.status).toBe(0);

      const env = { ...process.env };
      delete env.BANK_DATABASE_URL;
      delete env.ELECTRON_RENDERER_URL;
      delete env.ELECTRON_RUN_AS_NODE;
      app = await _electron.launch({
        executablePath: found.binary,
        // Root in CI containers cannot use Chromium's OS sandbox; the page sandbox stays on.
        args: [root, `--user-data-dir=${userData}`, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
        cwd: root,
        env: env as Record<string, string>,
      });
      const page = await app.firstWindow();
      await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/^app:\/\/bank\//);
      await page.waitForFunction(
        () => /set ?up|sign in|log ?in|password/i.test(document.body?.innerText ?? ''),
        undefined,
        { timeout: 60_000 },
      );
      const exposed = await page.evaluate(() => ({
        bank: Object.keys(window.bank ?? {}).sort(),
        node: typeof (globalThis as { process?: unknown }).process,
        require: typeof (globalThis as { require?: unknown }).require,
      }));
      expect(exposed).toEqual({ bank: ['invoke', 'subscribe'], node: 'undefined', require: 'undefined' });
      const info = await page.evaluate(() => window.bank?.invoke('system.info', {}));
      expect(info).toMatchObject({ ok: true });
    },
  );
});
