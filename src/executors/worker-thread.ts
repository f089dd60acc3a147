// The code piscina runs in each worker thread: it instantiates weft's kernels once from the
// module the pool posted, then runs jobs: a task's exported function with a context forwarded
// over the job's port, or a shard of a parallel scan. A task's own errors come back as data
// (they are the attempt's outcome); anything that kills the thread is the pool's to report.

import { performance } from 'node:perf_hooks';
import { parentPort, threadId, workerData, type MessagePort } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { initKernels, type Kernels } from '../kernels/index.js';
import { currentThreadPath, SchedstatClock } from './worker-cpu.js';
import type { ScanJob, ScanOutcome, TaskJob, TaskOutcome, ThreadMessage } from './worker-protocol.js';
import { fromPlainError, toPlainError } from './worker-protocol.js';
import { scanShard } from './worker-shard.js';

const wasm = (workerData as { wasm?: WebAssembly.Module } | undefined)?.wasm;
// Instantiated once per thread, at start, so the first task does not pay for it.
const kernelsReady: Promise<Kernels> = initKernels(wasm === undefined ? { backend: 'ts' } : { backend: 'auto', wasm });
kernelsReady.catch(() => undefined);
const cpuClock = SchedstatClock.open('thread-self');
const threadPath = currentThreadPath();
// The thread is about to die of an exception nobody caught: tell the pool what it was while we
// can (the 'error' event loses what structured clone cannot carry, a DataCloneError for one).
process.on('uncaughtExceptionMonitor', (error) => {
  parentPort?.postMessage({ weftThreadError: toPlainError(error), threadId });
});

type TaskFunction = (input: unknown, ctx: WorkerTaskContext) => unknown;

/** What a worker task function receives as its second argument. */
class WorkerTaskContext {
  readonly taskId: string;
  readonly attempt: number;
  readonly runId: string;
  readonly runInput: unknown;
  readonly deadline: number | undefined;
  readonly signal: AbortSignal;
  /** The last committed heap size seen (at the start, heartbeats and the end). */
  heapPeak = getHeapStatistics().total_heap_size;

  constructor(
    job: TaskJob,
    readonly kernels: Kernels,
    signal: AbortSignal,
  ) {
    this.taskId = job.taskId;
    this.attempt = job.attempt;
    this.runId = job.runId;
    this.runInput = job.runInput;
    this.deadline = job.deadline;
    this.signal = signal;
    this.port = job.port;
  }

  private readonly port: MessagePort;

  heartbeat(progress?: unknown): void {
    this.sampleHeap();
    this.port.postMessage({ t: 'heartbeat', progress } satisfies ThreadMessage);
  }

  reportTokens(tokens: number): void {
    if (typeof tokens !== 'number' || !(tokens >= 0) || !Number.isFinite(tokens)) {
      throw new RangeError(`Expected \`tokens\` to be a finite number >= 0, got \`${String(tokens)}\` (${typeof tokens})`);
    }
    this.port.postMessage({ t: 'tokens', tokens } satisfies ThreadMessage);
  }

  addTask(): never {
    throw new TypeError(`task \`${this.taskId}\`: addTask() is not available in a worker task (return data and add tasks from a hook)`);
  }

  addDependency(): never {
    throw new TypeError(`task \`${this.taskId}\`: addDependency() is not available in a worker task`);
  }

  suspend(): never {
    throw new TypeError(`task \`${this.taskId}\`: suspend() is not available in a worker task`);
  }

  sampleHeap(): void {
    const size = getHeapStatistics().total_heap_size;
    if (size > this.heapPeak) this.heapPeak = size;
  }
}

async function loadTask(module: string, name: string): Promise<TaskFunction> {
  const namespace = (await import(module)) as Record<string, unknown>;
  const fn = namespace[name];
  if (typeof fn !== 'function') throw new TypeError(`worker module ${module} has no function export \`${name}\` (found ${typeof fn})`);
  return fn as TaskFunction;
}

async function runTask(job: TaskJob): Promise<TaskOutcome> {
  const cpu0 = cpuClock?.readMs() ?? 0;
  const elu0 = performance.eventLoopUtilization();
  const port = job.port;
  port.postMessage({ t: 'start', threadId, path: threadPath, cpu0 } satisfies ThreadMessage);
  const controller = new AbortController();
  port.on('message', (message: { t: 'abort'; reason: Parameters<typeof fromPlainError>[0] }) => {
    if (message.t === 'abort') controller.abort(fromPlainError(message.reason));
  });
  let ctx: WorkerTaskContext | undefined;
  let ok = true;
  let value: unknown;
  try {
    const [fn, kernels] = await Promise.all([loadTask(job.module, job.export), kernelsReady]);
    ctx = new WorkerTaskContext(job, kernels, controller.signal);
    value = await fn(job.input, ctx);
  } catch (error) {
    ok = false;
    value = toPlainError(error);
  } finally {
    port.close();
  }
  ctx?.sampleHeap();
  const activeMs = performance.eventLoopUtilization(elu0).active;
  const cpuMs = cpuClock === undefined ? activeMs : cpuClock.readMs() - cpu0;
  const heapPeakBytes = ctx?.heapPeak ?? getHeapStatistics().total_heap_size;
  return ok ? { ok, value, cpuMs, activeMs, heapPeakBytes } : { ok, error: value as TaskOutcome['error'], cpuMs, activeMs, heapPeakBytes };
}

/** piscina's handler: one job. */
export default async function handle(job: TaskJob | ScanJob): Promise<TaskOutcome | ScanOutcome> {
  if (job.kind === 'scan') return scanShard(job, await kernelsReady);
  return runTask(job);
}
