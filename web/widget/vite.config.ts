// Builds the widget: `vite build --config widget/vite.config.ts` makes the
// loader (dist/widget/widget.js) and `--mode panel` makes the chat panel
// (dist/widget/panel.js). Each is one self-contained, minified classic
// script (IIFE): customer pages load them with a plain <script>.
import { defineConfig } from 'vite';

export default defineConfig(({ mode }) => {
  const panel = mode === 'panel';
  const here = decodeURIComponent(new URL('.', import.meta.url).pathname);
  return {
    root: here,
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir: here + '../dist/widget',
      // The loader build starts from an empty dist/widget; the panel build
      // adds to it. Nothing outside dist/widget is touched.
      emptyOutDir: !panel,
      target: 'es2020',
      sourcemap: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      lib: {
        entry: here + (panel ? 'src/panel.ts' : 'src/loader.ts'),
        name: panel ? 'outputdeskPanel' : 'outputdeskWidget',
        formats: ['iife'],
        fileName: () => (panel ? 'panel.js' : 'widget.js'),
      },
    },
  };
});
