import { defineConfig } from 'vite';

// Run from the repository root (`vite build --config web/widget/vite.config.ts`): anchor paths on this file.
const widgetDir = decodeURIComponent(new URL('.', import.meta.url).pathname);

/**
 * One self-contained IIFE, `web/dist/widget.js`, that websites embed: no chunks, no CSS file
 * (styles live in the widget's shadow root), no hashed name (the URL is in their pages). It goes
 * next to the app's build, which the server already finds (PARLEY_WEB_DIR) and every tool
 * already ignores; the app's build empties web/dist, so `build:web` runs this one after it and
 * this one never empties the directory.
 */
export default defineConfig({
  root: widgetDir,
  publicDir: false,
  build: {
    outDir: `${widgetDir}../dist`,
    emptyOutDir: false,
    target: 'es2020',
    minify: true,
    sourcemap: false,
    lib: {
      entry: `${widgetDir}main.ts`,
      name: 'ParleyWidget',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
  },
});
