// `npm run bench [-- <bench name>...]`: builds the app when out/ is missing or older than the
// sources (the benches drive the built host, out/main/host.js), then runs tests/bench/run.ts.
// BENCH_BUILD=1 forces a build, BENCH_BUILD=0 never builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUTS = ['out/main/host.js', 'out/renderer/index.html'];
const SOURCES = ['main', 'renderer', 'shared', 'resources', 'package.json', 'electron.vite.config.ts'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path, { recursive: true })) {
    newest = Math.max(newest, statSync(join(path, String(entry))).mtimeMs);
  }
  return newest;
}

function needsBuild() {
  if (process.env.BENCH_BUILD === '1') return 'forced by BENCH_BUILD=1';
  if (process.env.BENCH_BUILD === '0') return '';
  if (!OUTPUTS.every((f) => existsSync(f))) return 'out/ is missing';
  const built = Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs));
  return Math.max(...SOURCES.map(newestMtime)) > built ? 'sources changed since the last build' : '';
}

const shell = process.platform === 'win32';
const reason = needsBuild();
if (reason) {
  console.error(`Building the app (${reason})…`);
  const build = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
    shell,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const run = spawnSync('npx', ['tsx', 'tests/bench/run.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  shell,
});
process.exit(run.status ?? 1);
