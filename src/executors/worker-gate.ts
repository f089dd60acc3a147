// The engine's side of worker tasks, one per run that has any: a ready worker task is started
// only when a pool thread is free; otherwise it waits here, in the run's priority order, and the
// pool wakes the run when a thread frees up. So the one queue that orders work is the engine's
// (piscina's FIFO never holds a task behind a busy thread while another is idle). The gate knows
// pools only as TaskPool: without the workflow's own, it asks for the process-wide one, which
// exists where Node's pool module was loaded (the Node entry), never in a browser bundle.

import { TaskHeap } from '../scheduler/task-heap.js';
import type { TaskSpec } from '../workflow/types.js';
import type { Executor } from './executor.js';
import { inProcessExecutor } from './in-process.js';
import { InvalidStateError } from '../errors.js';
import { loadDefaultTaskPool, type TaskPool } from './task-pool.js';

/** What the gate needs of its run (RunCore). */
export interface GateHost {
  readonly settled: boolean;
  readonly s: { readonly status: Uint8Array; readonly priority: Float64Array };
  readonly heap: { push(i: number): void };
  readonly graph: { readonly specs: readonly TaskSpec[] };
  readonly wf: { readonly options: { readonly workerPool: TaskPool | undefined; readonly executor: Executor } };
  pump(): void;
}

// The READY code of workflow/state.ts (imported there from here would be a circle).
const READY = 1;

// An agent task with `worker` runs on the pool when the workflow runs its tasks here (the default
// executor: the pool's executor keeps the agent's schemas, `$ref`s and instances on this thread);
// a workflow with an executor of its own hands it that, to run the agent elsewhere. An executor
// that runs tasks elsewhere as data (BullMQ) takes every `worker` task.
function onThread(spec: { readonly worker?: unknown; readonly agent?: string }, executor: Executor): boolean {
  return spec.worker !== undefined && executor.runsWorkerTasks !== true && (spec.agent === undefined || executor === inProcessExecutor);
}

/** @internal Dispatch of one run's worker tasks. */
export class WorkerGate {
  private pool: TaskPool | undefined;
  private loading = false;
  private readonly waiting: TaskHeap;
  private registered = false;

  constructor(private readonly run: GateHost) {
    this.pool = run.wf.options.workerPool;
    this.waiting = new TaskHeap(() => run.s.priority);
  }

  /** A gate for `run` if any of its tasks has `worker`. */
  static forRun(run: GateHost): WorkerGate | undefined {
    const specs = run.graph.specs;
    for (let i = 0; i < specs.length; i++) if (onThread(specs[i], run.wf.options.executor)) return new WorkerGate(run);
    return undefined;
  }

  /** The executor of task `i`, when it runs on a thread. */
  executorFor(i: number): Executor | undefined {
    return onThread(this.run.graph.specs[i], this.run.wf.options.executor) ? this.pool!.executor : undefined;
  }

  /** Whether ready task `i` may start now; if not, it waits here for a thread. */
  admit(i: number): boolean {
    if (!onThread(this.run.graph.specs[i], this.run.wf.options.executor)) return true;
    const pool = this.pool;
    // A closed pool takes the task too: its attempt fails at once, rather than wait for ever.
    if (pool !== undefined && (pool.idle > 0 || pool.isClosed)) return true;
    this.waiting.push(i);
    if (pool === undefined) this.load();
    else if (!this.registered) {
      this.registered = true;
      pool.onIdle(() => this.wake());
    }
    return false;
  }

  private load(): void {
    if (this.loading) return;
    this.loading = true;
    const loading = loadDefaultTaskPool() ?? Promise.reject(new InvalidStateError('a task has `worker` but the workflow has no `workerPool` and there is no process-wide pool here (in a browser, pass `workflow({ workerPool: createWebWorkerPool() })`)'));
    loading.then(
      (pool) => {
        this.pool = pool;
        this.wake();
      },
      // The waiting tasks are not left waiting for ever: a pool that fails every attempt with why.
      (error: unknown) => {
        this.pool = failingPool(error);
        this.wake();
      },
    );
  }

  /** A thread is free: the best waiting task goes back to the ready heap. */
  private wake(): void {
    this.registered = false;
    const run = this.run;
    if (run.settled) return;
    const status = run.s.status;
    let moved = false;
    while (this.waiting.size > 0 && !moved) {
      const j = this.waiting.pop();
      if (status[j] !== READY) continue; // cancelled or re-queued meanwhile
      run.heap.push(j);
      moved = true;
    }
    if (moved) run.pump();
    // Still waiting (the thread went to a task of higher priority, or there are several): wait for the next.
    if (this.waiting.size > 0 && !this.registered && !run.settled) {
      const pool = this.pool!;
      if (pool.idle > 0 || pool.isClosed) {
        this.wake();
        return;
      }
      this.registered = true;
      pool.onIdle(() => this.wake());
    }
  }
}

/** A closed pool whose attempts fail with `error`: what the gate uses when no pool can be had. */
function failingPool(error: unknown): TaskPool {
  return {
    executor: {
      name: 'no-worker-pool',
      execute: () => {
        throw error;
      },
    },
    idle: 0,
    isClosed: true,
    onIdle: () => () => {},
    close: () => {},
  };
}
