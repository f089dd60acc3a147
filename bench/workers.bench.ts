// Worker threads (issue 8, "Performance to reach"): a CPU-bound DAG of ~200 tasks of ~5 ms on 2
// pool threads against the same tasks on the main thread, with each thread's utilisation while
// work is ready, beside piscina alone on as many threads (every task queued at once: no graph,
// no engine, the ceiling of this machine in the same run); hard-kill latency (deadline → task settled, and → thread gone) of tasks stuck
// in a loop, with the main thread's event-loop delay meanwhile; and the sharded exact scan of
// 100K × 384 on 2 threads against one thread. The work is a fixed number of loop iterations
// (calibrated to ~5 ms here, once), not a wall-clock wait, so a busy machine slows both variants.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import { createWorkerPool, type LoopUtilization, type PoolThread, type WorkerPool } from '../src/executors/worker-pool.js';
import { createSharedMatrix, parallelScan } from '../src/executors/worker-scan.js';
import { loadWeftModule } from '../src/kernels/index.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { workflow, type TaskContext, type Workflow } from '../src/workflow/index.js';
import { randomFloats } from './data.js';
import type { BenchCase, BenchSuite } from './types.js';

const module = new URL('./fixtures/worker-tasks.mjs', import.meta.url);
const { work } = (await import(module.href)) as { work: (input: unknown, ctx: TaskContext) => number };

const TASKS = 200;
const WIDTH = 20;
const TASK_MS = 5;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Iterations of `work` that take ~TASK_MS here (median of 15 timings). */
function calibrate(): number {
  const ctx = (iterations: number) => ({ runInput: { iterations } }) as TaskContext;
  let n = 100_000;
  const t0 = performance.now();
  work(undefined, ctx(n));
  n = Math.max(1000, Math.round((n * TASK_MS) / Math.max(performance.now() - t0, 0.01)));
  const ms: number[] = [];
  for (let k = 0; k < 15; k++) {
    const t = performance.now();
    work(undefined, ctx(n));
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return Math.round((n * TASK_MS) / ms[7]);
}

/** Layers of WIDTH tasks, each depending on two of the layer before (plenty ready at once). */
function dag(makeTask: (id: string, dependsOn: string[]) => Parameters<Workflow['task']>[0], options = {}): Workflow {
  let wf = workflow(options);
  for (let i = 0; i < TASKS; i++) {
    const layer = Math.floor(i / WIDTH);
    const deps = layer === 0 ? [] : [`t${(layer - 1) * WIDTH + (i % WIDTH)}`, `t${(layer - 1) * WIDTH + ((i * 7 + 3) % WIDTH)}`];
    wf = wf.task(makeTask(`t${i}`, [...new Set(deps)]));
  }
  return wf;
}

async function dagCase(pool: WorkerPool): Promise<BenchCase> {
  const iterations = calibrate();
  const main = dag((id, dependsOn) => ({ id, dependsOn, run: work }));
  const onThreads = dag((id, dependsOn) => ({ id, dependsOn, worker: { module, export: 'work' } }), { workerPool: pool });
  await onThreads.run({ input: { iterations } }); // threads started, module loaded
  // The ceiling in the same run: piscina alone, every task queued at once (no graph, no engine).
  const raw = new Piscina({ filename: module.href, minThreads: pool.threads, maxThreads: pool.threads, idleTimeout: Infinity, atomics: 'disabled' });
  opened.push(() => raw.destroy());
  await Promise.all(Array.from({ length: pool.threads * 2 }, () => raw.run(iterations)));
  const metrics: Record<string, Record<string, number>> = { 'main-thread': {}, [`workers threads=${pool.threads}`]: {} };
  const wm = metrics[`workers threads=${pool.threads}`];
  const utils: number[][] = [];
  const record = () => {
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    if (utils.length > 0) {
      const perThread = utils[0].map((_, t) => med(utils.map((u) => u[t])));
      perThread.forEach((u, t) => (wm[`util-thread${t}-%`] = u * 100));
      wm['util-min-%'] = Math.min(...perThread) * 100;
    }
    metrics['main-thread']['iterations-per-task'] = iterations;
  };
  return {
    name: `dag tasks=${TASKS} task=~${TASK_MS}ms cpu-bound`,
    opsPerCall: TASKS,
    minSamples: 4,
    timeMs: 6000,
    metrics,
    variants: {
      'main-thread': async () => {
        const r = await main.run({ input: { iterations } });
        if (r.status !== 'succeeded') throw new Error(`main run ${r.status}`);
        record();
      },
      [`workers threads=${pool.threads}`]: async () => {
        const threads: PoolThread[] = [...pool.workers];
        const before: LoopUtilization[] = threads.map((w) => w.performance.eventLoopUtilization());
        const h = onThreads.start({ input: { iterations } });
        // Utilisation while work is ready: up to the start of the last task (the tail, where
        // fewer tasks than threads remain, is not the scheduler's to fill).
        let lastStart: LoopUtilization[] | undefined;
        let started = 0;
        h.on('task:start', () => {
          if (++started === TASKS) lastStart = threads.map((w, k) => w.performance.eventLoopUtilization(before[k]));
        });
        const r = await h.result;
        if (r.status !== 'succeeded') throw new Error(`workers run ${r.status}`);
        if (lastStart) utils.push(lastStart.map((u) => u.utilization));
        record();
      },
      [`piscina alone threads=${pool.threads} (no graph)`]: async () => {
        await Promise.all(Array.from({ length: TASKS }, () => raw.run(iterations)));
      },
    },
  };
}

async function killCase(pool: WorkerPool): Promise<BenchCase> {
  const KILLS = 40;
  const TIMEOUT = 20;
  const wf = workflow({ workerPool: pool });
  const spinners = Array.from({ length: KILLS }, (_, i) => `s${i}`);
  for (const id of spinners) wf.task({ id, timeoutMs: TIMEOUT, worker: { module, export: 'spin' } });
  const metrics: Record<string, Record<string, number>> = { [`hard-kill threads=${pool.threads}`]: {} };
  const m = metrics[`hard-kill threads=${pool.threads}`];
  let measured = false;
  const once = async (): Promise<number> => {
    const deadlines = new Map<string, number>();
    const settled: number[] = [];
    const exits: number[] = [];
    const watched = new Set<number>();
    const watch = () => {
      for (const w of pool.workers) {
        if (watched.has(w.threadId)) continue;
        watched.add(w.threadId);
        w.once('exit', () => exits.push(performance.now()));
      }
    };
    watch();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const t0 = performance.now();
    const h = wf.start();
    h.on('task:start', (e) => {
      deadlines.set(e.taskId!, performance.now() + TIMEOUT);
      watch();
    });
    h.on('task:failed', (e) => {
      settled.push(performance.now() - deadlines.get(e.taskId!)!);
      queueMicrotask(watch);
    });
    await h.result;
    // The last threads' exits: terminate() is asynchronous (bounded: a thread created after the
    // last look is not watched).
    const until = performance.now() + 2000;
    while (exits.length < KILLS && performance.now() < until) {
      watch();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    delay.disable();
    const total = performance.now() - t0;
    if (!measured) {
      measured = true;
      const deadlineList = [...deadlines.values()].sort((a, b) => a - b);
      // Each exit against the latest deadline before it (which task a thread ran is not tracked).
      const exitLatency = exits.map((x) => x - Math.max(...deadlineList.filter((d) => d <= x))).filter(Number.isFinite).sort((a, b) => a - b);
      settled.sort((a, b) => a - b);
      Object.assign(m, {
        kills: KILLS,
        'settle-p50-ms': percentile(settled, 0.5),
        'settle-p99-ms': percentile(settled, 0.99),
        'thread-exit-p50-ms': percentile(exitLatency, 0.5),
        'thread-exit-p99-ms': percentile(exitLatency, 0.99),
        'loop-delay-p99-ms': delay.percentile(99) / 1e6,
        'loop-delay-max-ms': delay.max / 1e6,
      });
    }
    return total;
  };
  return {
    name: `hard-kill spin timeout=${TIMEOUT}ms kills=${KILLS}`,
    minSamples: 2,
    timeMs: 3000,
    opsPerCall: KILLS,
    metrics,
    variants: { [`hard-kill threads=${pool.threads}`]: async () => ({ overriddenDuration: await once() }) },
  };
}

async function scanCase(pool: WorkerPool): Promise<BenchCase> {
  const ROWS = 100_000;
  const DIM = 384;
  const wasm = await createWasmKernels(await loadWeftModule());
  const matrix = wasm.allocFloat32(ROWS * DIM);
  randomFloats(ROWS * DIM, 42, matrix.array);
  const shared = createSharedMatrix(ROWS, DIM, matrix.array);
  const query = randomFloats(DIM, 43);
  const ids = new Uint32Array(10);
  const scores = new Float32Array(10);
  await parallelScan(shared, query, { k: 10, pool }); // each thread copies its shard once
  await parallelScan(shared, query, { k: 10, pool });
  return {
    name: `scan top-10 metric=dot rows=${ROWS} dim=${DIM}`,
    timeMs: 3000,
    variants: {
      'one-thread wasm': () => wasm.vector.scanTopK(query, matrix, 'dot', 10, ids, scores),
      [`parallel threads=${pool.threads} wasm`]: () => parallelScan(shared, query, { k: 10, pool }),
    },
  };
}

/** Pools the cases started, closed by the suite's `close` (their threads keep the process alive). */
const opened: (() => Promise<unknown>)[] = [];

const suite: BenchSuite = {
  name: 'workers',
  async close() {
    await Promise.allSettled(opened.splice(0).map((close) => close()));
  },
  async cases(wanted) {
    const pool = createWorkerPool({ threads: 2 });
    opened.push(() => pool.close());
    const out: BenchCase[] = [];
    if (wanted(`dag tasks=${TASKS} task=~${TASK_MS}ms cpu-bound`)) out.push(await dagCase(pool));
    if (wanted('hard-kill spin timeout=20ms kills=40')) out.push(await killCase(pool));
    if (wanted('scan top-10 metric=dot rows=100000 dim=384')) out.push(await scanCase(pool));
    return out;
  },
};

export default suite;
