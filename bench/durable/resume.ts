// Resume latency: a recorded run of 100K tasks with 50K succeeded (50K quick sources, one gate task
// in flight, 50K waiting for the gate) is resumed from its SQLite file; the figure is the time from
// `wf.start` to the first task started again (the gate). Each resume ends with a drain, so the next
// one finds the run interrupted in the same shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import { workflow, type Workflow } from '../../src/workflow/index.js';
import type { DurableStore } from '../../src/store/durable-store.js';

const never = (): Promise<never> => new Promise(() => undefined);

function define(store: DurableStore, half: number): Workflow {
  const wf = workflow({ name: 'resume-bench', store });
  for (let k = 0; k < half; k++) wf.task({ id: `a${k}`, run: () => k });
  wf.task({ id: 'gate', run: never });
  for (let k = 0; k < half - 1; k++) wf.task({ id: `b${k}`, dependsOn: ['gate'], run: () => k });
  return wf;
}

/** A recorded run (in a fresh file) and a resume that reports start → first task started and the store's beginRun, in ms. */
export async function resumeFixture(half = 50_000): Promise<{ resume: () => Promise<{ startMs: number; beginRunMs: number }>; dispose: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-resume-'));
  const path = join(dir, 'runs.db');
  const first = openStore({ path });
  const handle = define(first, half).start({ runId: 'big' });
  await new Promise<void>((resolve) => {
    let done = 0;
    handle.on('task:succeeded', () => ++done === half && resolve());
  });
  await new Promise((resolve) => setImmediate(resolve)); // the last batch is committed
  await handle.drain({ graceMs: 0 }); // recorded as interrupted: the gate and the b tasks run again on resume
  first.close();
  const store = openStore({ path });
  // The store as the engine sees it, with its beginRun timed (the read-back is the store's part).
  let beginRunMs = 0;
  const timed: DurableStore = {
    path,
    record: (batch) => store.record(batch),
    beginRun(runId, meta) {
      const t = performance.now();
      const recorded = store.beginRun(runId, meta);
      beginRunMs = performance.now() - t;
      return recorded;
    },
    endRun: (runId) => store.endRun(runId),
    readStep: (runId, taskId, key) => store.readStep(runId, taskId, key),
    writeStep: (runId, taskId, key, value) => store.writeStep(runId, taskId, key, value),
    transaction: (runId, taskId, key, fn) => store.transaction(runId, taskId, key, fn),
    close: () => store.close(),
  };
  const dispose = (): void => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', dispose);
  return {
    async resume() {
      // A fresh definition each time: a new process digests it on the way to its first task.
      const wf = define(timed, half);
      const t0 = performance.now();
      const h = wf.start({ runId: 'big' });
      const startMs = await new Promise<number>((resolve) => h.on('task:start', () => resolve(performance.now() - t0)));
      const result = await h.drain({ graceMs: 0 });
      if (result.status !== 'interrupted' || result.counts.succeeded !== half) throw new Error(`resume bench: ${result.status} ${JSON.stringify(result.counts)}`);
      return { startMs, beginRunMs };
    },
    dispose,
  };
}
