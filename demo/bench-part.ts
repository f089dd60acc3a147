// "Benchmark": WASM against TS for the vector and graph kernels, measured live in this browser.
// Each case runs both backends in alternating batches of ~25 ms (5 each, after a warm-up) and
// reports the median time per operation; bars are times, the ratio is TS time / WASM time.

import { buildCsr, createTsKernels, createWasmKernels, type KernelSet } from '../dist/browser.js';
import { $, el, fmtNs } from '../src/view/page/dom.js';

interface Case {
  readonly name: string;
  readonly family: 'vector' | 'graph';
  /** One operation on each backend. */
  readonly make: (k: KernelSet) => () => unknown;
}

function cases(): Case[] {
  let seed = 11;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const dim = 384;
  const rows = 10_000;
  const a = Float32Array.from({ length: dim }, rnd);
  const b = Float32Array.from({ length: dim }, rnd);
  const data = Float32Array.from({ length: rows * dim }, rnd);
  const n = 100_000;
  const edges = new Uint32Array(n * 6);
  let m = 0;
  for (let v = 1; v < n; v++) {
    for (let p = 0; p < 3; p++) {
      edges[m++] = Math.floor(((rnd() + 1) / 2) * v);
      edges[m++] = v;
    }
  }
  const graph = buildCsr(n, edges.subarray(0, m));
  const weights = Float64Array.from({ length: n }, () => 1 + (rnd() + 1) * 5);
  return [
    { name: 'dot, dim 384', family: 'vector', make: (k) => () => k.vector.dot(a, b) },
    {
      name: 'scan top-10, 10,000 × 384',
      family: 'vector',
      make: (k) => {
        const matrix = k.allocFloat32(rows * dim); // WASM scans it in place
        matrix.array.set(data);
        const ids = new Uint32Array(10);
        const scores = new Float32Array(10);
        return () => k.vector.scanTopK(a, matrix, 'dot', 10, ids, scores);
      },
    },
    { name: 'topoSort, 100,000 nodes', family: 'graph', make: (k) => { const out = new Uint32Array(n); return () => k.graph.topoSort(graph, out); } },
    { name: 'upwardRank, 100,000 nodes', family: 'graph', make: (k) => { const out = new Float64Array(n); return () => k.graph.upwardRank(graph, weights, out); } },
  ];
}

/** Median ns per call of `fn`, in batches of ~25 ms. */
function calibrate(fn: () => unknown): number {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    const ms = performance.now() - t0;
    if (ms > 5) return Math.max(1, Math.round((reps * 25) / ms));
    reps *= 4;
  }
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/** Wires the Benchmark section; `wasm` is weft's compiled module (undefined: no WebAssembly here). */
export function setupBench(wasm: WebAssembly.Module | undefined): void {
  const section = $('#bench');
  const button = $<HTMLButtonElement>('#bench-run');
  const chart = $('#bench-chart');
  button.addEventListener('click', async () => {
    button.disabled = true;
    section.dataset.state = 'running';
    chart.replaceChildren(el('p', 'Measuring… (about 5 seconds)', { class: 'muted' }));
    const ts = createTsKernels();
    const wk = wasm === undefined ? undefined : await createWasmKernels(wasm);
    const rows: HTMLElement[] = [];
    for (const c of cases()) {
      await frame(); // let the page paint between cases
      const fns = { wasm: wk === undefined ? undefined : c.make(wk), ts: c.make(ts) };
      const times: Record<string, number[]> = { wasm: [], ts: [] };
      const reps = { wasm: fns.wasm ? calibrate(fns.wasm) : 0, ts: calibrate(fns.ts) };
      for (let round = 0; round < 5; round++) {
        for (const backend of ['wasm', 'ts'] as const) {
          const fn = fns[backend];
          if (fn === undefined) continue;
          const t0 = performance.now();
          for (let i = 0; i < reps[backend]; i++) fn();
          times[backend].push(((performance.now() - t0) * 1e6) / reps[backend]);
        }
      }
      const w = fns.wasm ? median(times.wasm) : NaN;
      const t = median(times.ts);
      rows.push(barRow(c, w, t));
      chart.replaceChildren(...rows);
    }
    section.dataset.state = 'done';
    button.disabled = false;
  });
}

function barRow(c: Case, wasmNs: number, tsNs: number): HTMLElement {
  const max = Math.max(tsNs, Number.isNaN(wasmNs) ? 0 : wasmNs);
  const row = el('div', '', { class: 'bench-row', 'data-case': c.name, 'data-wasm-ns': wasmNs.toFixed(1), 'data-ts-ns': tsNs.toFixed(1) });
  row.append(el('div', `${c.name} (${c.family})`, { class: 'bench-name' }));
  for (const [backend, ns] of [['WASM', wasmNs], ['TS', tsNs]] as const) {
    const bar = el('div', '', { class: 'bench-bar' });
    const fill = el('span', '', { class: `fill ${backend.toLowerCase()}` });
    fill.style.width = Number.isNaN(ns) ? '0' : `${Math.max(1, (ns / max) * 100)}%`;
    bar.append(el('span', backend, { class: 'label' }), fill, el('span', Number.isNaN(ns) ? 'unavailable' : fmtNs(ns), { class: 'value' }));
    row.append(bar);
  }
  const ratio = tsNs / wasmNs;
  row.append(el('div', Number.isNaN(ratio) ? 'WASM not available' : ratio >= 1 ? `WASM ${ratio.toFixed(2)}× faster` : `TS ${(1 / ratio).toFixed(2)}× faster`, { class: 'bench-ratio' }));
  return row;
}
