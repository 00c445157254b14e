import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Run from the repository root (`vite build --config web/vite.config.ts`): anchor paths on this file.
const webDir = decodeURIComponent(new URL('.', import.meta.url).pathname);
const parley = process.env.PARLEY_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [react()],
  build: {
    outDir: `${webDir}dist`,
    emptyOutDir: true,
    // Hashed names under /assets/: the server caches them for a year, immutable.
    assetsDir: 'assets',
    // The CSP forbids inline scripts and styles: never inline assets as data: modules either.
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: parley, ws: true, changeOrigin: false },
    },
  },
});
