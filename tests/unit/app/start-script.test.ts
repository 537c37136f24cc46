import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
// electron's own override of where its binary lives: an empty folder makes the binary missing
// even where the package is installed, so the test means the same everywhere.
const empty = mkdtempSync(join(tmpdir(), 'bank-no-electron-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('npm start without Electron', () => {
  it('prints one clear line and exits with 1', () => {
    const run = spawnSync(process.execPath, ['scripts/start.mjs', '--database', 'postgres://x@y/z'], {
      cwd: root,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty, START_SKIP_BUILD: '1' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const lines = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual([
      'Electron is not installed on this machine (its binary could not be downloaded). ' +
        'Run "npm run host" to use the app in a browser instead.',
    ]);
    expect(run.status).toBe(1);
  });
});
