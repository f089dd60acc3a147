// Graph kernels on a 100K-node random DAG and on every real WfCommons trace in ../shared/workflows/,
// WASM beside TS. The WASM variants include copying the CSR (and weights) in and the result out on
// every call: that is what a user of the kernel API pays.
import { buildCsr } from '../src/graph/csr.js';
import { readTrace } from '../src/graph/wfcommons.js';
import { loadWeftModule } from '../src/kernels/index.js';
import { createTsKernels } from '../src/kernels/ts/index.js';
import type { CsrGraph, KernelSet } from '../src/kernels/types.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { rng } from './data.js';
import { TRACES, traceFiles } from './traces.js';
import type { BenchCase, BenchSuite } from './types.js';

const NODES = 100_000;
const PARENTS = 3;
const OPS = ['topoSort', 'upwardRank'] as const;

/**
 * A seeded random DAG: node v > 0 picks `parents` parents (with repeats) uniformly among nodes
 * 0 .. v-1, so edges run forward and successor lists are scattered like a real wide workflow's.
 */
export function randomDag(n: number, parents: number, seed: number): CsrGraph {
  const next = rng(seed);
  const edges: number[] = [];
  for (let v = 1; v < n; v++) {
    for (let i = 0; i < Math.min(v, parents); i++) edges.push(Math.floor(next() * v), v);
  }
  return buildCsr(n, edges);
}

function graphCases(
  label: string,
  graph: CsrGraph,
  weights: Float64Array,
  kernels: { wasm: KernelSet; ts: KernelSet },
  wanted: (name: string) => boolean,
  timeMs?: number,
): BenchCase[] {
  const { wasm, ts } = kernels;
  const order = new Uint32Array(graph.nodeCount);
  const rank = new Float64Array(graph.nodeCount);
  const cases: BenchCase[] = [];
  // One function literal per variant and op, so each call site stays monomorphic.
  if (wanted(`topoSort ${label}`)) {
    cases.push({
      name: `topoSort ${label}`,
      variants: { wasm: () => wasm.graph.topoSort(graph, order), ts: () => ts.graph.topoSort(graph, order) },
      ...(timeMs === undefined ? {} : { timeMs }),
    });
  }
  if (wanted(`upwardRank ${label}`)) {
    cases.push({
      name: `upwardRank ${label}`,
      variants: {
        wasm: () => wasm.graph.upwardRank(graph, weights, rank),
        ts: () => ts.graph.upwardRank(graph, weights, rank),
      },
      ...(timeMs === undefined ? {} : { timeMs }),
    });
  }
  return cases;
}

const suite: BenchSuite = {
  name: 'graph',
  async cases(wanted) {
    const anyOp = (label: string) => OPS.some((op) => wanted(`${op} ${label}`));
    const randomLabel = `nodes=${NODES}`;
    const traces = traceFiles('graph')
      .map((file) => ({ file, label: `trace=${file.replace(/(-\d+)?\.json$/, '')}` }))
      .filter(({ label }) => anyOp(label));
    if (!anyOp(randomLabel) && traces.length === 0) return [];

    const kernels = { wasm: await createWasmKernels(await loadWeftModule()), ts: createTsKernels() };
    const cases: BenchCase[] = [];
    if (anyOp(randomLabel)) {
      const dag = randomDag(NODES, PARENTS, 7);
      const next = rng(8);
      const weights = new Float64Array(NODES);
      for (let i = 0; i < NODES; i++) weights[i] = 1 + next() * 100;
      // ~5-30 ms per call: a longer budget gives each round enough samples for a stable median.
      cases.push(...graphCases(randomLabel, dag, weights, kernels, wanted, 3000));
    }
    for (const { file, label } of traces) {
      const trace = await readTrace(new URL(file, TRACES));
      cases.push(...graphCases(label, trace.graph, trace.runtimeSeconds, kernels, wanted));
    }
    return cases;
  },
};

export default suite;
