// `npm start [-- app arguments]`: builds the app, then runs it in Electron.
//
// Electron is an optionalDependency whose binary is downloaded at install time; where that was
// impossible the app cannot run as a desktop app, and this says so in one line instead of a stack.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

const NOT_INSTALLED =
  'Electron is not installed on this machine (its binary could not be downloaded). ' +
  'Run "npm run host" to use the app in a browser instead.';

/** The Electron executable, or null when the package or its binary is missing. */
function electronBinary() {
  try {
    // The electron package exports the binary's path, and throws "Electron failed to install
    // correctly" when the download never happened.
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
if (!electron) {
  console.error(NOT_INSTALLED);
  process.exit(1);
}

if (process.env.START_SKIP_BUILD !== '1') {
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const build = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// ELECTRON_RUN_AS_NODE would make the binary behave as plain Node and ignore the app.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;

// '.' makes package.json's "main" (out/main/index.js) the entry, as in the packaged app.
const child = spawn(electron, ['.', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (!child.killed) child.kill(signal);
  });
}
child.on('error', (err) => {
  console.error(`Could not launch Electron: ${err.message}`);
  process.exit(1);
});
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
