import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Electron is an optional dependency (its binary cannot be downloaded everywhere): when it is not
// installed, tell electron-vite which major version we target instead of letting it look it up.
process.env.ELECTRON_MAJOR_VER ||= '41';

const alias = { '@shared': resolve(import.meta.dirname, 'shared') };

// One build for the three Electron sides. The main side has two entries: the desktop app
// (main/app) and the Electron-free host (main/host), so the browser-driven tests exercise the
// same bundled services that ship. electron-builder.yml leaves host.js out of the package.
export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
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
      outDir: 'out/preload',
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
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  },
});
