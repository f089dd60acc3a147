// What bench/browser.bench.ts times in the page (window.weftBench): the engine's overhead per
// no-op task, a Web Worker round trip through the engine, and a Gantt frame of 2,000 bars.

import { createWebWorkerPool, workflow, type Workflow } from '../dist/browser.js';
import { Gantt } from '../src/view/page/gantt.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** A DAG of `n` no-op tasks, each with up to 3 earlier parents (as bench/scheduler.bench.ts builds it). */
export function noopDag(n: number): Workflow {
  let seed = 5;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const wf = workflow({ name: 'noop' });
  for (let i = 0; i < n; i++) {
    const deps = new Set<string>();
    for (let p = 0; p < 3 && i > 0; p++) deps.add(`t${Math.floor(rnd() * i)}`);
    wf.task({ id: `t${i}`, dependsOn: [...deps], run: () => undefined });
  }
  return wf;
}

/**
 * Median ns per task of `runs` runs of a no-op DAG of `n` tasks (defined once); in a page or in
 * Node. Before them, unmeasured runs for `warmupMs` let the JIT optimise the engine (the first
 * runs of 10,000 tasks take 5-10× as long).
 */
export async function engineNsPerTask(n: number, runs: number, warmupMs = 1000): Promise<number> {
  const wf = noopDag(n);
  const until = performance.now() + warmupMs;
  do await wf.run();
  while (performance.now() < until);
  const ns: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await wf.run();
    ns.push(((performance.now() - t0) * 1e6) / n);
  }
  return median(ns);
}

/** The hooks, for a page whose kernels are ready. */
export function benchHooks(wasm: WebAssembly.Module | undefined, tasksUrl: string) {
  return {
    /** Median ns per task of `runs` runs of a no-op DAG of `n` tasks (defined once). */
    engine: (n: number, runs: number) => engineNsPerTask(n, runs),
    /** Median µs per task of `tasks` echo tasks run one at a time on one Web Worker. */
    async roundTrip(tasks: number, runs: number): Promise<number> {
      const pool = createWebWorkerPool({ size: 1, wasm: wasm ?? false });
      try {
        await pool.ready();
        const wf = workflow({ workerPool: pool, concurrency: 1 });
        for (let i = 0; i < tasks; i++) wf.task({ id: `e${i}`, worker: { module: tasksUrl, export: 'echo' } });
        await wf.run();
        const us: number[] = [];
        for (let r = 0; r < runs; r++) {
          const t0 = performance.now();
          await wf.run();
          us.push(((performance.now() - t0) * 1000) / tasks);
        }
        return median(us);
      } finally {
        pool.close();
      }
    },
    /** Median ms to draw a Gantt of `bars` bars on 8 lanes, over `frames` frames. */
    gantt(bars: number, frames: number): number {
      const canvas = document.createElement('canvas');
      canvas.style.width = '1100px';
      document.body.append(canvas);
      const gantt = new Gantt(canvas);
      gantt.reset(8);
      for (let i = 0; i < bars; i++) {
        const lane = i % 8;
        const startMs = Math.floor(i / 8) * 4;
        gantt.bars.push({ taskId: `t${i}`, lane, startMs, endMs: i > bars - 9 ? undefined : startMs + 3.5, status: i % 17 === 0 ? 'failed' : 'succeeded' });
      }
      const ms: number[] = [];
      for (let f = 0; f < frames; f++) ms.push(gantt.draw(bars * 0.5 + f));
      canvas.remove();
      return median(ms);
    },
  };
}
