// `npm start`: the main job for now. It loads the WASM compute core and runs each kernel family
// on real data, WASM beside its TS twin: the critical path of a bundled real workflow trace, a
// vector top-10 search, and a MessagePack round trip. (The task engine's `weft replay` replaces
// this once the scheduler lands.)
import { fileURLToPath } from 'node:url';
import { createCodec } from './codec/index.js';
import { criticalPath } from './graph/csr.js';
import { readTrace } from './graph/wfcommons.js';
import { initKernels } from './kernels/index.js';
import { createTsKernels } from './kernels/ts/index.js';

const TRACE = new URL('../examples/traces/montage-chameleon-2mass-01d-001.json', import.meta.url);

/** Median time of `fn` in milliseconds over `runs` runs (after one warm-up run). */
function time(fn: () => unknown, runs: number): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

const fmt = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);
const ratio = (ts: number, wasm: number) => `${(ts / wasm).toFixed(1)}x`;

async function main(): Promise<void> {
  const kernels = await initKernels();
  const ts = createTsKernels();
  const { families, initMs, reason } = kernels.info;
  console.log(`weft compute core: vector=${families.vector} graph=${families.graph} codec=${families.codec} (loaded in ${initMs.toFixed(1)} ms)${reason ? ` — ${reason}` : ''}`);

  const trace = await readTrace(fileURLToPath(TRACE));
  const n = trace.ids.length;
  const rank = new Float64Array(n);
  const levels = new Uint32Array(n);
  const cp = kernels.graph.upwardRank(trace.graph, trace.runtimeSeconds, rank);
  const depth = kernels.graph.levels(trace.graph, levels);
  const path = criticalPath(trace.graph, rank).map((i) => trace.ids[i].replace(/_ID\d+$/, ''));
  const work = trace.runtimeSeconds.reduce((a, b) => a + b, 0);
  const tRank = time(() => kernels.graph.upwardRank(trace.graph, trace.runtimeSeconds, rank), 200);
  const tRankTs = time(() => ts.graph.upwardRank(trace.graph, trace.runtimeSeconds, rank), 200);
  console.log(`\ntrace ${trace.name} (examples/traces, a real WfCommons run): ${n} tasks, ${trace.graph.targets.length} edges, ${depth} levels`);
  console.log(`  critical path ${cp.toFixed(1)} s: ${path.join(' → ')}`);
  console.log(`  total work ${work.toFixed(0)} s; measured makespan ${trace.makespanSeconds} s; lower bound on 4 workers ${Math.max(cp, work / 4).toFixed(1)} s`);
  console.log(`  upward rank: ${families.graph} ${fmt(tRank)}, ts ${fmt(tRankTs)} (${ratio(tRankTs, tRank)})`);

  const rows = 20_000;
  const dim = 384;
  const matrix = kernels.allocFloat32(rows * dim);
  const m = matrix.array;
  let seed = 1;
  for (let i = 0; i < m.length; i++) m[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const plain = m.slice();
  const query = plain.slice(dim * 77, dim * 78);
  const ids = new Uint32Array(10);
  const tsIds = new Uint32Array(10);
  const scores = new Float32Array(10);
  const tScan = time(() => kernels.vector.scanTopK(query, matrix, 'cosine', 10, ids, scores), 20);
  const tScanTs = time(() => ts.vector.scanTopK(query, plain, 'cosine', 10, tsIds, scores), 5);
  kernels.vector.scanTopK(query, matrix, 'cosine', 10, ids, scores);
  const same = ids.every((id, i) => id === tsIds[i]);
  console.log(`\nvector search: top-10 by cosine over ${rows.toLocaleString('en')} × ${dim} floats`);
  console.log(`  best match row ${ids[0]} (the query is row 77), score ${scores[0].toFixed(4)}; WASM and TS agree on all 10: ${same ? 'yes' : 'NO'}`);
  console.log(`  ${families.vector} ${fmt(tScan)} (${((rows * dim * 4) / (tScan * 1e6)).toFixed(1)} GB/s), ts ${fmt(tScanTs)} (${ratio(tScanTs, tScan)})`);
  matrix.free();

  const codec = createCodec();
  const message = { runId: 'run-42', taskId: 'analyse', dependsOn: ['fetch-a', 'fetch-b'], attempt: 1, output: { summary: 'Résumé ✓', tokens: 812 }, embedding: query, at: new Date() };
  const bytes = codec.encode(message);
  const tCodec = time(() => codec.decode(codec.encode(message)), 2000);
  console.log(`\ncodec: a task message with a 384-float embedding is ${bytes.length} bytes of MessagePack (JSON: ${JSON.stringify({ ...message, embedding: [...query] }).length}); encode+decode ${fmt(tCodec)}`);
  console.log('\nnpm run bench compares every kernel, WASM beside TS, with peers; npm test runs the tests.');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
