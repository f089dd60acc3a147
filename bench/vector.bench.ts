import { createTsKernels } from '../src/kernels/ts/index.js';
import { loadWeftModule } from '../src/kernels/index.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import type { F32Input, KernelSet, Metric } from '../src/kernels/types.js';
import { randomFloats } from './data.js';
import type { BenchCase, BenchSuite } from './types.js';

const DIMS = [128, 384, 768, 1536];
const PAIR_OPS = ['dot', 'cosine', 'l2sq'] as const;
const SCAN_ROWS = 100_000;
const SCAN_DIM = 384;

// WASM reads vectors that live in its memory (kernel buffers), as a memory store keeps them;
// `wasm-copy` passes plain Float32Arrays, paying the copy into linear memory on every call.
// Each variant is its own function literal looping LOOP times, so no call site is shared
// between variants (a shared, megamorphic call site would add the same cost to all of them).
const LOOP = 64;
type Pair = (a: F32Input, b: F32Input) => number;

function loops(k: Pair, a: F32Input, b: F32Input): () => number {
  return () => {
    let s = 0;
    for (let i = 0; i < LOOP; i++) s += k(a, b);
    return s;
  };
}

function pairCases(wasm: KernelSet, ts: KernelSet, wanted: (n: string) => boolean): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const op of PAIR_OPS) {
    for (const dim of DIMS) {
      const name = `${op} dim=${dim}`;
      if (!wanted(name)) continue;
      const a = randomFloats(dim, dim * 7 + 1);
      const b = randomFloats(dim, dim * 7 + 2);
      const wa = wasm.allocFloat32(dim);
      const wb = wasm.allocFloat32(dim);
      wa.array.set(a);
      wb.array.set(b);
      // Bound methods give each variant its own target; `loops` is re-created per variant.
      cases.push({
        name,
        opsPerCall: LOOP,
        variants: {
          wasm: loops(wasm.vector[op].bind(wasm.vector), wa, wb),
          ts: loops(ts.vector[op].bind(ts.vector), a, b),
          'wasm-copy': loops(wasm.vector[op].bind(wasm.vector), a, b),
        },
      });
    }
  }
  return cases;
}

function scanCases(wasm: KernelSet, ts: KernelSet, wanted: (n: string) => boolean): BenchCase[] {
  const cases: BenchCase[] = [];
  const metrics: Metric[] = ['dot', 'cosine', 'l2'];
  const names = metrics.map((m) => `scan top-10 metric=${m} rows=${SCAN_ROWS} dim=${SCAN_DIM}`);
  if (!names.some(wanted)) return cases;
  const matrix = wasm.allocFloat32(SCAN_ROWS * SCAN_DIM);
  randomFloats(SCAN_ROWS * SCAN_DIM, 42, matrix.array);
  const plain = matrix.array.slice();
  const query = randomFloats(SCAN_DIM, 43);
  const ids = new Uint32Array(10);
  const scores = new Float32Array(10);
  metrics.forEach((metric, i) => {
    if (!wanted(names[i])) return;
    cases.push({
      name: names[i],
      bytesRead: SCAN_ROWS * SCAN_DIM * 4,
      timeMs: 2000,
      variants: {
        wasm: () => wasm.vector.scanTopK(query, matrix, metric, 10, ids, scores),
        ts: () => ts.vector.scanTopK(query, plain, metric, 10, ids, scores),
      },
    });
  });
  return cases;
}

const suite: BenchSuite = {
  name: 'vector',
  async cases(wanted) {
    const wasm = await createWasmKernels(await loadWeftModule());
    const ts = createTsKernels();
    return [...pairCases(wasm, ts, wanted), ...scanCases(wasm, ts, wanted)];
  },
};

export default suite;
