// The code piscina runs in each worker thread: it instantiates weft's kernels once from the
// module the pool posted, opens its link to the pool (one MessagePort for the thread's life,
// posted once: no channel per attempt), then runs jobs: a task's exported function with a context
// whose calls travel on the link, or a shard of a parallel scan. A task's own errors come back as
// data (they are the attempt's outcome); anything that kills the thread is the pool's to report.

import { performance } from 'node:perf_hooks';
import { MessageChannel, parentPort, threadId, workerData } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { initKernels, type Kernels } from '../kernels/index.js';
import { currentThreadPath, SchedstatClock } from './worker-cpu.js';
import type { EngineMessage, LinkHello, ScanJob, ScanOutcome, TaskJob, TaskOutcome, ThreadMessage } from './worker-protocol.js';
import { fromPlainError, SLOT_ACTIVE0, SLOT_CPU0, SLOT_JOB, toPlainError } from './worker-protocol.js';
import { scanShard } from './worker-shard.js';
import { WorkerTaskContext, type LiveJob } from './worker-task-context.js';

const wasm = (workerData as { wasm?: WebAssembly.Module } | undefined)?.wasm;
// Instantiated once per thread, at start, so the first task does not pay for it.
const kernelsReady: Promise<Kernels> = initKernels(wasm === undefined ? { backend: 'ts' } : { backend: 'auto', wasm });
kernelsReady.catch(() => undefined);
const cpuClock = SchedstatClock.open('thread-self');

// The link: this side stays here, the other goes to the pool with the thread's /proc path, so
// the pool opens the thread's CPU clock once too. Unref'ed: it never keeps the thread up.
const channel = new MessageChannel();
const link = channel.port1;
const live = new Map<number, LiveJob>();
/** Aborts of jobs not started yet (the pool stopped one before this thread took it). */
const early = new Map<number, Error>();
link.on('message', (m: EngineMessage) => {
  const job = live.get(m.id);
  if (job === undefined) {
    if (m.t === 'abort' && early.size < 64) early.set(m.id, fromPlainError(m.reason));
    return;
  }
  if (m.t === 'abort') job.controller.abort(fromPlainError(m.reason));
  else job.settle(m.seq, m.ok, m.ok ? m.value : fromPlainError(m.error!));
});
link.unref();
const slotBuffer = new SharedArrayBuffer(3 * 8);
const slot = new Float64Array(slotBuffer);
parentPort?.postMessage({ weftLink: channel.port2, threadId, path: currentThreadPath(), slot: slotBuffer } satisfies LinkHello, [channel.port2]);

// The thread is about to die of an exception nobody caught: tell the pool what it was while we
// can (the 'error' event loses what structured clone cannot carry, a DataCloneError for one).
process.on('uncaughtExceptionMonitor', (error) => {
  parentPort?.postMessage({ weftThreadError: toPlainError(error), threadId, job: slot[SLOT_JOB] });
});

type TaskFunction = (input: unknown, ctx: WorkerTaskContext) => unknown;

const loaded = new Map<string, Promise<TaskFunction>>();

/** The export, imported once per module and name (a job after the first pays no import). */
function loadTask(module: string, name: string): Promise<TaskFunction> {
  const key = `${name}\0${module}`;
  let fn = loaded.get(key);
  if (fn === undefined) {
    fn = import(module).then((namespace: Record<string, unknown>) => {
      const f = namespace[name];
      if (typeof f !== 'function') throw new TypeError(`worker module ${module} has no function export \`${name}\` (found ${typeof f})`);
      return f as TaskFunction;
    });
    // A module that failed to load is tried again by the next job (it may have been fixed).
    fn.catch(() => loaded.delete(key));
    loaded.set(key, fn);
  }
  return fn;
}

const post = (m: ThreadMessage): void => link.postMessage(m);

async function runTask(job: TaskJob): Promise<TaskOutcome> {
  const cpu0 = cpuClock?.readMs() ?? 0;
  const elu0 = performance.eventLoopUtilization();
  // The job id last: a reader that sees it sees its start figures.
  slot[SLOT_CPU0] = cpu0;
  slot[SLOT_ACTIVE0] = elu0.active;
  slot[SLOT_JOB] = job.id;
  const entry: LiveJob = { controller: new AbortController(), calls: new Map(), settle: (seq, ok, value) => entry.calls.get(seq)?.(ok, value) };
  live.set(job.id, entry);
  if (early.size > 0 && early.has(job.id)) {
    entry.controller.abort(early.get(job.id));
    early.delete(job.id);
  }
  let ctx: WorkerTaskContext | undefined;
  let ok = true;
  let value: unknown;
  try {
    const [fn, kernels] = await Promise.all([loadTask(job.module, job.export), kernelsReady]);
    ctx = new WorkerTaskContext(job, kernels, entry, post);
    value = await fn(job.input, ctx);
  } catch (error) {
    ok = false;
    value = toPlainError(error);
  } finally {
    // The slot keeps naming the job until the next one: a result that fails to cross (not
    // cloneable) kills the thread after this, and the pool must know whose death it is.
    live.delete(job.id);
  }
  ctx?.sampleHeap();
  const activeMs = performance.eventLoopUtilization(elu0).active;
  const cpuMs = cpuClock === undefined ? activeMs : cpuClock.readMs() - cpu0;
  const heapPeakBytes = ctx?.heapPeak ?? getHeapStatistics().total_heap_size;
  return ok ? { ok, value, cpuMs, activeMs, heapPeakBytes, threadId } : { ok, error: value as TaskOutcome['error'], cpuMs, activeMs, heapPeakBytes, threadId };
}

/** piscina's handler: one job. */
export default async function handle(job: TaskJob | ScanJob): Promise<TaskOutcome | ScanOutcome> {
  if (job.kind === 'scan') return scanShard(job, await kernelsReady);
  return runTask(job);
}
