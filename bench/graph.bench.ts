import { readdirSync } from 'node:fs';
import { buildCsr } from '../src/graph/csr.js';
import { readTrace } from '../src/graph/wfcommons.js';
import { loadWeftModule } from '../src/kernels/index.js';
import { createTsKernels } from '../src/kernels/ts/index.js';
import type { CsrGraph, KernelSet } from '../src/kernels/types.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { rng } from './data.js';
import type { BenchCase, BenchSuite } from './types.js';

const NODES = 100_000;
const TRACES = new URL('../../shared/workflows/', import.meta.url);

/** A seeded random DAG: each node after the first picks ~3 parents among earlier nodes. */
export function randomDag(n: number, parents: number, seed: number): CsrGraph {
  const next = rng(seed);
  const edges: number[] = [];
  for (let v = 1; v < n; v++) {
    const k = Math.min(v, parents);
    for (let i = 0; i < k; i++) edges.push(Math.floor(next() * v), v);
  }
  return buildCsr(n, edges);
}

// WASM variants include copying the CSR in and the result out on every call: what a user pays.
function cases(label: string, graph: CsrGraph, weights: Float64Array, wasm: KernelSet, ts: KernelSet, wanted: (n: string) => boolean): BenchCase[] {
  const n = graph.nodeCount;
  const order = new Uint32Array(n);
  const rank = new Float64Array(n);
  const out: BenchCase[] = [];
  const topo = `topoSort ${label}`;
  const up = `upwardRank ${label}`;
  if (wanted(topo)) {
    out.push({ name: topo, variants: { wasm: () => wasm.graph.topoSort(graph, order), ts: () => ts.graph.topoSort(graph, order) } });
  }
  if (wanted(up)) {
    out.push({
      name: up,
      variants: { wasm: () => wasm.graph.upwardRank(graph, weights, rank), ts: () => ts.graph.upwardRank(graph, weights, rank) },
    });
  }
  return out;
}

const suite: BenchSuite = {
  name: 'graph',
  async cases(wanted) {
    const wasm = await createWasmKernels(await loadWeftModule());
    const ts = createTsKernels();
    const all: BenchCase[] = [];
    const label = `nodes=${NODES} random-dag`;
    if (wanted(`topoSort ${label}`) || wanted(`upwardRank ${label}`)) {
      const dag = randomDag(NODES, 3, 7);
      const next = rng(8);
      const weights = new Float64Array(NODES).map(() => 1 + next() * 100);
      all.push(...cases(label, dag, weights, wasm, ts, wanted));
    }
    let files: string[] = [];
    try {
      files = readdirSync(TRACES).filter((f) => f.endsWith('.json')).sort();
    } catch {
      console.warn(`graph: no traces at ${TRACES.pathname}; skipping trace cases`);
    }
    for (const file of files) {
      const name = `trace=${file.replace(/-001\.json$/, '').replace(/\.json$/, '')}`;
      if (!wanted(`topoSort ${name}`) && !wanted(`upwardRank ${name}`)) continue;
      const trace = await readTrace(new URL(file, TRACES));
      all.push(...cases(name, trace.graph, trace.runtimeSeconds, wasm, ts, wanted));
    }
    return all;
  },
};

export default suite;
