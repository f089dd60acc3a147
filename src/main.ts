// `npm start`: the main job. Replays a bundled real workflow trace (Montage, 103 tasks, from a
// recorded WfCommons run) on the task engine, 1 s of recorded runtime as 1 ms, on 4 lanes, and
// prints how close the engine came to what its scheduling policy allows (`weft replay` does the
// same for any trace).
import { fileURLToPath } from 'node:url';
import { readTrace } from './graph/wfcommons.js';
import { initKernels } from './kernels/index.js';
import { replayDurations, replayTrace } from './replay/replay.js';
import { ancestorLowerBound } from './replay/simulate.js';
import { formatSummary } from './replay/summary.js';

const TRACE = new URL('../examples/traces/montage-chameleon-2mass-01d-001.json', import.meta.url);
const WORKERS = 4;
const SCALE = 0.001;

async function main(): Promise<void> {
  const kernels = await initKernels();
  const { families, initMs, reason } = kernels.info;
  console.log(`weft compute core: vector=${families.vector} graph=${families.graph} codec=${families.codec} (loaded in ${initMs.toFixed(1)} ms)${reason ? ` — ${reason}` : ''}`);

  const trace = await readTrace(fileURLToPath(TRACE));
  const measured = trace.makespanSeconds === undefined ? '' : `; the real run took ${trace.makespanSeconds} s`;
  console.log(`\nreplaying ${trace.name} (examples/traces, a real WfCommons run${measured}): each task sleeps its recorded runtime × ${SCALE}`);
  const summary = await replayTrace(trace, { workers: WORKERS, scale: SCALE });
  const ancestorBoundMs = ancestorLowerBound(trace.graph, replayDurations(trace, SCALE), WORKERS);
  console.log(formatSummary(summary, { title: `replay of ${trace.name} on ${WORKERS} workers`, scale: SCALE, ancestorBoundMs }));
  console.log('\nweft replay <trace.json> [--workers N] [--scale S] [--json] replays any WfCommons trace;');
  console.log('npm run bench compares every kernel, WASM beside TS, with peers; npm test runs the tests.');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
