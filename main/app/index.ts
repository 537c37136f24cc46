// Entry of the desktop app's main process (bundled to out/main/index.js).
import { fileURLToPath } from 'node:url';
import { electron } from './electron';
import { runApp } from './lifecycle';

runApp({
  argv: process.argv,
  env: process.env,
  // This entry is bundled to out/main/index.js; preload/ and renderer/ are its siblings.
  outDir: fileURLToPath(new URL('..', import.meta.url)),
}).catch((err: unknown) => {
  console.error('[shell] fatal:', (err as Error)?.message ?? err);
  electron.app.exit(1);
});
