// Vite configuration of the demo (demo/): the page imports weft's built browser entry from dist/
// and the bundled files (examples/traces/) from the repository, so Vite may read the whole
// repository. Both servers bind 127.0.0.1 and send the cross-origin isolation headers
// SharedArrayBuffer needs (the Run part's failure flags).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const wasmFile = fileURLToPath(new URL('../build/weft.wasm', import.meta.url));

/** COOP + COEP: the page is cross-origin isolated, so SharedArrayBuffer is available. */
export const ISOLATION_HEADERS = Object.freeze({ 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });

export default defineConfig(({ command }) => ({
  root,
  base: './',
  clearScreen: false,
  server: { host: '127.0.0.1', headers: { ...ISOLATION_HEADERS }, fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  preview: { host: '127.0.0.1', headers: { ...ISOLATION_HEADERS } },
  // weft finds its .wasm beside its code (build/weft.wasm from dist/); in the bundle the code is
  // in assets/, so the module is emitted as /weft.wasm and weft is told where it is (the same
  // define its own Node bundle uses). The memory's HNSW index and the page load it from there.
  define: command === 'build' ? { __WEFT_WASM_FROM_BUNDLE__: JSON.stringify('../weft.wasm') } : {},
  plugins: [
    {
      name: 'weft-wasm',
      apply: 'build',
      generateBundle() {
        this.emitFile({ type: 'asset', fileName: 'weft.wasm', source: readFileSync(wasmFile) });
      },
    },
  ],
  worker: { format: 'es' },
  build: { outDir: fileURLToPath(new URL('./.build', import.meta.url)), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000, assetsInlineLimit: 0 },
}));
