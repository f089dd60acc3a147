// Memory per pending task: the engine's state counted array by array, and the heap growth of
// starting a run measured with forced garbage collections around it.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Workflow } from '../../src/workflow/index.js';
import type { CompiledWorkflow } from '../../src/workflow/compiled.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** JS heap plus ArrayBuffer backing stores (typed arrays of 100K elements live outside the heap). */
function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** The figures of {@link measurePending}, all in bytes per task. */
export interface PendingMemory extends Record<string, number> {
  /** `handle.stateBytes()`: the run's per-task typed arrays (status, counters, priority, times, ...). */
  stateBytesPerTask: number;
  /** The compiled CSR graph both ways (offsets + targets) and the default-priority array. */
  csrBytesPerTask: number;
  /** The two above: the engine state the ≤ 64 B target is about. */
  engineBytesPerTask: number;
  /** Measured heap growth of `wf.start()` once every task is pending (the root runs, never ends). */
  heapPerPendingTask: number;
  /** Measured heap growth of compiling the definition (`validate()`: CSR, priorities, id and fn arrays). */
  heapPerTaskCompile: number;
  /** Measured heap growth of defining the tasks (user payload: specs, ids, dependsOn arrays, id map) — not counted above. */
  heapPerTaskDefinition: number;
}

/**
 * Defines the workflow with `define()` (its first task must be the only source and must never
 * finish), then measures. The run is cancelled at the end.
 */
export async function measurePending(n: number, define: () => Workflow): Promise<PendingMemory> {
  const h0 = used();
  const wf = define();
  const h1 = used();
  wf.validate();
  const h2 = used();
  const handle = wf.start();
  await new Promise((resolve) => setImmediate(resolve)); // begin(): the source starts, the rest wait
  const h3 = used();
  if (handle.metrics().running !== 1 || handle.metrics().unfinished !== n) throw new Error('memory case: expected one running task and every other one pending');
  // The compiled form is private to the definition: read it to count its arrays.
  const compiled = (wf as unknown as { compiled: CompiledWorkflow }).compiled;
  const csr = compiled.graph.offsets.byteLength + compiled.graph.targets.byteLength + compiled.preds.offsets.byteLength + compiled.preds.targets.byteLength + compiled.priority.byteLength;
  const stateBytesPerTask = handle.stateBytes() / n;
  const csrBytesPerTask = csr / n;
  handle.cancel();
  await handle.result;
  return {
    stateBytesPerTask,
    csrBytesPerTask,
    engineBytesPerTask: stateBytesPerTask + csrBytesPerTask,
    heapPerPendingTask: (h3 - h2) / n,
    heapPerTaskCompile: (h2 - h1) / n,
    heapPerTaskDefinition: (h1 - h0) / n,
  };
}
