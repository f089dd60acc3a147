// The heap of one run streaming N dynamic tasks through itself with archival on: measured after
// the last task finished, with forced garbage collections, while the run's handle and result are
// still held (what a long run keeps is what is measured).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { workflow, type TaskFn } from '../../src/workflow/index.js';
import type { WorkflowOptions } from '../../src/workflow/options.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** JS heap plus ArrayBuffer backing stores (the run's typed arrays live outside the heap). */
export function usedBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const noop: TaskFn = () => undefined;

/**
 * Streams `n` tasks (each `{ id, run }`, added by one source task through `ctx.addTask`, at most
 * `pending` unfinished at once) through one run and returns the heap growth, in bytes, with the
 * run still held.
 */
export async function streamHeap(n: number, options: WorkflowOptions & { runId?: string } = {}, pending = 10_000): Promise<number> {
  const before = usedBytes();
  const { runId, ...wfOptions } = options;
  const wf = workflow({ archiveAfterMs: 0, maxPendingTasks: pending, ...wfOptions });
  wf.task({
    id: 'source',
    run: async (_input, ctx) => {
      for (let k = 0; k < n; k++) await ctx.addTask({ id: `t${k}`, run: noop });
    },
  });
  const handle = wf.start(runId === undefined ? {} : { runId });
  const result = await handle.result;
  if (result.status !== 'succeeded' || result.counts.succeeded !== n + 1) throw new Error(`stream run ended ${result.status}: ${JSON.stringify(result.counts)}`);
  const after = usedBytes();
  void [handle, result]; // held until here
  return after - before;
}
