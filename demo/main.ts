// The demo page: weft's kernels load once (the compiled WebAssembly module is shared with every
// Web Worker), then each part wires its section. `data-*` attributes carry the figures the
// end-to-end tests (test/demo/) and the browser benchmark (bench/browser.bench.ts) read.

import { initKernels, kernelInfo, loadWeftModule } from '../dist/browser.js';
import tasksModule from './tasks.js?url';
import { setupAgents } from './agents-part.js';
import { benchHooks } from './bench-hooks.js';
import { setupBench } from './bench-part.js';
import { setText } from '../src/view/page/dom.js';
import { setupMemory } from './memory-part.js';
import { setupRun } from './run-part.js';
import './style.css';

// The default source: the bundled weft.wasm (see vite.config.ts), shared with the memory's index.
const wasm = await loadWeftModule().catch(() => undefined);
await initKernels(wasm === undefined ? { backend: 'ts' } : { wasm });
const info = kernelInfo();
setText('#env-kernels', info.wasmLoaded ? 'WebAssembly SIMD' : `TypeScript (${info.reason ?? 'no WebAssembly'})`);
setText('#env-isolated', crossOriginIsolated ? 'yes (SharedArrayBuffer available)' : 'no (failure injection works only before a run)');
setText('#env-cores', String(navigator.hardwareConcurrency || '?'));
const cores = Math.max(1, Math.min(8, navigator.hardwareConcurrency || 4));
(document.querySelector('#concurrency') as HTMLInputElement).value = String(cores);
setupRun(wasm);
setupAgents();
await setupMemory();
setupBench(wasm);
(window as unknown as { weftBench: unknown }).weftBench = benchHooks(wasm, new URL(tasksModule, location.href).href);
document.body.dataset.ready = 'true';
