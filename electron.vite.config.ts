import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Electron is an optional dependency (its binary cannot be downloaded everywhere): when it is not
// installed, tell electron-vite which major version we target instead of letting it look it up.
process.env.ELECTRON_MAJOR_VER ||= '41';

// BANK_OUT_DIR: build somewhere other than out/ (two builds side by side must not collide).
// (`--outDir DIR` is honoured too: electron-vite applies it to main and preload but not to the renderer.)
const outDirArg = process.argv.indexOf('--outDir');
const OUT = process.env.BANK_OUT_DIR || (outDirArg > 0 ? process.argv[outDirArg + 1] : undefined) || 'out';

const alias = { '@shared': resolve(import.meta.dirname, 'shared') };

// One build for the three Electron sides. The main side has two entries: the desktop app
// (main/app) and the Electron-free host (main/host), so the browser-driven tests exercise the
// same bundled services that ship. electron-builder.yml leaves host.js out of the package.
export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: `${OUT}/main`,
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'main/app/index.ts'),
          host: resolve(import.meta.dirname, 'main/host/cli.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: `${OUT}/preload`,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'main/app/preload.ts') },
        // A sandboxed preload cannot load ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    resolve: { alias },
    plugins: [
      react(),
      // The CLI's --outDir would land relative to the renderer root: keep it beside main and preload.
      {
        name: 'bank-renderer-out-dir',
        config: () => ({ build: { outDir: resolve(import.meta.dirname, OUT, 'renderer') } }),
      },
    ],
    build: {
      outDir: resolve(import.meta.dirname, OUT, 'renderer'),
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  },
});
