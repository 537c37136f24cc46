// The README's test command: every suite, then one line with the totals of all of them.
//   1. unit + integration on the embedded database (PGlite)
//   2. integration again on a PostgreSQL server, when TEST_DATABASE_URL is set (CI sets it)
//   3. end-to-end in Chromium against the host (builds the app first), on the embedded database;
//      then the journeys that need a bank server (offline work) on it, when TEST_DATABASE_URL is set
// Set TEST_SUITES=unit,pglite,postgres,e2e to run a subset.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const wanted = new Set((process.env.TEST_SUITES ?? 'pglite,postgres,e2e').split(','));
const results = [];
mkdirSync('test-results', { recursive: true });

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function vitest(label, paths, jsonFile, env) {
  rmSync(jsonFile, { force: true });
  const code = run(
    label,
    'npx',
    ['vitest', 'run', ...paths, '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`],
    env,
  );
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (existsSync(jsonFile)) {
    const j = JSON.parse(readFileSync(jsonFile, 'utf8'));
    passed = j.numPassedTests;
    failed = j.numFailedTests;
    skipped = j.numPendingTests + j.numTodoTests;
    // A file that fails to load has no failed test, only a failed suite: count it.
    for (const f of j.testResults ?? [])
      if (f.status === 'failed' && f.assertionResults.every((a) => a.status !== 'failed')) failed++;
  }
  if (code !== 0 && failed === 0) failed = 1;
  results.push({ label, passed, failed, skipped });
}

if (wanted.has('pglite') || wanted.has('unit')) {
  const paths = wanted.has('pglite')
    ? ['tests/unit', 'tests/integration', 'tests/electron']
    : ['tests/unit', 'tests/electron'];
  vitest('unit + integration (embedded PGlite)', paths, 'test-results/vitest-pglite.json', {
    TEST_DATABASE_URL: '',
  });
}
if (wanted.has('postgres')) {
  if (process.env.TEST_DATABASE_URL) {
    vitest('integration (PostgreSQL server)', ['tests/integration'], 'test-results/vitest-postgres.json', {});
  } else {
    console.log('\n=== integration (PostgreSQL server) === skipped: TEST_DATABASE_URL is not set');
  }
}
/** One Playwright run; its JSON report names the totals. */
function playwright(label, args, file, env = {}) {
  rmSync(file, { force: true });
  const code = run(label, 'npx', ['playwright', 'test', ...args], { E2E_JSON: file, ...env });
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (existsSync(file)) {
    const s = JSON.parse(readFileSync(file, 'utf8')).stats;
    passed = s.expected + s.flaky;
    failed = s.unexpected;
    skipped = s.skipped;
  }
  if (code !== 0 && failed === 0) failed = 1;
  results.push({ label, passed, failed, skipped });
}

if (wanted.has('e2e')) {
  const code = run('build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']);
  if (code !== 0) {
    results.push({ label: 'end-to-end', passed: 0, failed: 1, skipped: 0 });
  } else {
    playwright('end-to-end (Chromium against the host)', [], 'test-results/e2e-results.json');
    // Journeys that need a bank server (a supervisor's workstation behind a link the test cuts).
    if (process.env.TEST_DATABASE_URL) {
      playwright(
        'end-to-end on a bank server (offline work)',
        ['tests/e2e/offline.spec.ts', '--output', 'test-results/e2e-server'],
        'test-results/e2e-server-results.json',
        { E2E_DATABASE_URL: process.env.TEST_DATABASE_URL },
      );
    } else {
      console.log('\n=== end-to-end on a bank server === skipped: TEST_DATABASE_URL is not set');
    }
  }
}

console.log('\n=== totals ===');
for (const r of results)
  console.log(`${r.label}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
const sum = (k) => results.reduce((a, r) => a + r[k], 0);
console.log(`${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exit(sum('failed') > 0 ? 1 : 0);
