// The code of each Web Worker of a pool (web-worker-pool.ts): it instantiates weft's kernels once
// from the module the page posted, then runs one task attempt at a time, the export of a module
// it imports (and keeps) by URL. A task's own errors are its outcome and go back as data; the page
// stops a task by terminating the worker, so nothing here listens for an abort.

import { initKernels, kernelInfo, type Kernels } from '../kernels/index.js';
import type { WebWorkerInit, WebWorkerJob, WebWorkerMessage } from './web-worker-protocol.js';
import { toPlainError } from './worker-protocol.js';
import { checkAmount } from '../internal/validate.js';

/** The worker's global scope, as far as this file uses it (the DOM lib types `self` as a window). */
interface WorkerScope {
  postMessage(message: WebWorkerMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WebWorkerInit | WebWorkerJob>) => void): void;
}

type TaskFunction = (input: unknown, ctx: WebWorkerTaskContext) => unknown;

const scope = globalThis as unknown as WorkerScope;
let kernels: Promise<Kernels> | undefined;
const modules = new Map<string, Promise<Record<string, unknown>>>();

/** What a task function receives as its second argument in a Web Worker. */
class WebWorkerTaskContext {
  readonly taskId: string;
  readonly attempt: number;
  readonly runId: string;
  readonly runInput: unknown;
  readonly deadline: number | undefined;
  /** Never aborts: a cancelled or timed-out attempt's worker is terminated instead. */
  readonly signal: AbortSignal = new AbortController().signal;

  constructor(
    job: WebWorkerJob,
    /** weft's kernels in this worker, instantiated once from the posted module. */
    readonly kernels: Kernels,
  ) {
    this.taskId = job.taskId;
    this.attempt = job.attempt;
    this.runId = job.runId;
    this.runInput = job.runInput;
    this.deadline = job.deadline;
  }

  heartbeat(progress?: unknown): void {
    scope.postMessage({ t: 'heartbeat', progress });
  }

  reportTokens(tokens: number): void {
    checkAmount('tokens', tokens);
    scope.postMessage({ t: 'tokens', tokens });
  }

  addTask(): never {
    throw new TypeError(`task \`${this.taskId}\`: addTask() is not available in a Web Worker task (return data and add tasks from a hook)`);
  }

  addDependency(): never {
    throw new TypeError(`task \`${this.taskId}\`: addDependency() is not available in a Web Worker task`);
  }

  suspend(): never {
    throw new TypeError(`task \`${this.taskId}\`: suspend() is not available in a Web Worker task`);
  }
}

async function taskFunction(job: WebWorkerJob): Promise<TaskFunction> {
  let namespace = modules.get(job.module);
  if (namespace === undefined) {
    namespace = import(/* @vite-ignore */ job.module) as Promise<Record<string, unknown>>;
    modules.set(job.module, namespace);
    namespace.catch(() => modules.delete(job.module));
  }
  const fn = (await namespace)[job.export];
  if (typeof fn !== 'function') throw new TypeError(`worker module ${job.module} has no function export \`${job.export}\` (found ${typeof fn})`);
  return fn as TaskFunction;
}

async function run(job: WebWorkerJob): Promise<void> {
  const t0 = performance.now();
  let message: WebWorkerMessage;
  try {
    const [fn, k] = await Promise.all([taskFunction(job), kernels!]);
    const value = await fn(job.input, new WebWorkerTaskContext(job, k));
    message = { t: 'done', ok: true, value, activeMs: performance.now() - t0 };
    try {
      scope.postMessage(message);
      return;
    } catch (error) {
      // The result cannot be cloned: the attempt fails with the DataCloneError.
      message = { t: 'done', ok: false, error: toPlainError(error), activeMs: performance.now() - t0 };
    }
  } catch (error) {
    message = { t: 'done', ok: false, error: toPlainError(error), activeMs: performance.now() - t0 };
  }
  scope.postMessage(message);
}

scope.addEventListener('message', (event) => {
  const data = event.data;
  if (data.t === 'init') {
    kernels = initKernels(data.wasm === undefined ? { backend: 'ts' } : { backend: 'auto', wasm: data.wasm });
    kernels.then(
      () => {
        const info = kernelInfo();
        scope.postMessage({ t: 'ready', backend: info.wasmLoaded ? 'wasm' : 'ts', ...(info.reason ? { reason: info.reason } : {}) });
      },
      (error: unknown) => {
        // A module that does not instantiate here: the TS kernels do the same work.
        kernels = initKernels({ backend: 'ts' });
        void kernels.then(() => scope.postMessage({ t: 'ready', backend: 'ts', reason: String(error) }));
      },
    );
  } else if (data.t === 'task') {
    void run(data);
  }
});
