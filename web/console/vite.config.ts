import { defineConfig } from 'vite';

// The console is served by the Go server at /console/ from the embedded
// web/dist/console. The output must be byte-identical for identical sources:
// CI rebuilds it and diffs against the committed copy, so no timestamps, no
// absolute paths and no sourcemaps go into it.
export default defineConfig({
  root: decodeURIComponent(new URL('.', import.meta.url).pathname),
  base: '/console/',
  publicDir: 'public', // favicon.svg, copied as it is (also served at /favicon.svg)
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
});
