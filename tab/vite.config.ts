/**
 * The channel tab's build: two pages (the plan and the configurable tab's config page) into
 * dist/tab, which the bot's own server serves at /tab/. Relative asset paths, so the same build
 * works under any base address the server is given.
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const tabDir = import.meta.dirname;

export default defineConfig({
  root: tabDir,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(tabDir, '..', 'dist', 'tab'),
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in the served build: they would publish the sources next to the pages.
    sourcemap: false,
    // React and Fluent UI together are about 150 kB gzipped, the whole of the tab's weight.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      input: {
        index: resolve(tabDir, 'index.html'),
        config: resolve(tabDir, 'config.html'),
      },
    },
  },
});
