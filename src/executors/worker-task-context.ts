// What a worker task function receives as its second argument, in its thread: the attempt's
// identity, its signal (aborted by a message from the pool), weft's kernels, and the task
// context's calls, each sent to the engine's context on the thread's link. Reports go one way;
// `addTask`, `addDependency` and `suspend` wait for the engine's answer (so they return
// promises here, `addDependency` too).

import { getHeapStatistics } from 'node:v8';
import type { Kernels } from '../kernels/index.js';
import type { TaskJob, ThreadCall, ThreadMessage } from './worker-protocol.js';
import { checkAmount, checkUsage } from '../internal/validate.js';

/** A job running in this thread, as the link sees it. */
export interface LiveJob {
  readonly controller: AbortController;
  /** Pending calls by sequence number. */
  readonly calls: Map<number, (ok: boolean, value: unknown) => void>;
  settle(seq: number, ok: boolean, value: unknown): void;
}


/** A task's context in a worker thread (see README "Worker threads"). */
export class WorkerTaskContext {
  readonly taskId: string;
  readonly attempt: number;
  readonly runId: string;
  readonly runInput: unknown;
  readonly deadline: number | undefined;
  readonly resumeData: unknown;
  readonly signal: AbortSignal;
  /** The workflow's memory lives in the main thread: not reachable from here. */
  readonly memory = undefined;
  /** Agent tasks: the agent's name, the dependencies' outputs, the instance borrowed for the task (a clone). */
  readonly agent: string | undefined;
  readonly deps: Readonly<Record<string, unknown>> | undefined;
  readonly instance: unknown;
  /** The largest committed heap size seen (at the start, heartbeats and the end). */
  heapPeak = getHeapStatistics().total_heap_size;
  private seq = 0;
  private readonly id: number;

  constructor(
    job: TaskJob,
    readonly kernels: Kernels,
    private readonly live: LiveJob,
    private readonly post: (m: ThreadMessage) => void,
  ) {
    this.id = job.id;
    this.taskId = job.taskId;
    this.attempt = job.attempt;
    this.runId = job.runId;
    this.runInput = job.runInput;
    this.deadline = job.deadline;
    this.resumeData = job.resumeData;
    this.signal = live.controller.signal;
    this.agent = job.agent?.name;
    this.deps = job.agent?.deps;
    this.instance = job.agent?.instance;
    // An attempt told to stop (with the pool's cancelGraceMs) stops waiting for its calls too.
    this.signal.addEventListener('abort', () => {
      for (const settle of live.calls.values()) settle(false, this.signal.reason);
      live.calls.clear();
    });
  }

  heartbeat(progress?: unknown): void {
    this.sampleHeap();
    this.post({ t: 'heartbeat', id: this.id, progress });
  }

  reportTokens(tokens: number): void {
    this.post({ t: 'tokens', id: this.id, n: checkAmount('tokens', tokens) });
  }

  reportBytes(bytes: number): void {
    this.post({ t: 'bytes', id: this.id, n: checkAmount('bytes', bytes) });
  }

  reportUsage(usage: { promptTokens: number; completionTokens: number; costUsd?: number }): void {
    const checked = checkUsage(usage);
    this.post({ t: 'usage', id: this.id, usage: checked });
  }

  stream(delta: string): void {
    if (typeof delta !== 'string') throw new TypeError(`Expected \`delta\` to be a string, got \`${String(delta)}\` (${typeof delta})`);
    this.post({ t: 'stream', id: this.id, delta });
  }

  /** Adds a task to the run: data only (`{ id, agent, input }` or `{ id, worker }`, no functions). */
  addTask(spec: unknown): Promise<void> {
    const run = (spec as { run?: unknown } | null)?.run;
    if (typeof run === 'function') {
      return Promise.reject(new TypeError(`task \`${this.taskId}\`: a task added from a worker thread must be data (\`{ id, agent, input }\` or \`{ id, worker }\`), not a \`run\` function`));
    }
    return this.call('addTask', [spec]) as Promise<void>;
  }

  addDependency(taskId: string, dependsOn: string): Promise<void> {
    return this.call('addDependency', [taskId, dependsOn]) as Promise<void>;
  }

  /** Suspends the task until `resume(taskId, data)`: the attempt waits here, on its thread, and gets `data`. */
  suspend(reason: string, payload?: unknown): Promise<unknown> {
    return this.call('suspend', [reason, payload]);
  }

  sampleHeap(): void {
    const size = getHeapStatistics().total_heap_size;
    if (size > this.heapPeak) this.heapPeak = size;
  }

  private call(call: ThreadCall, args: unknown[]): Promise<unknown> {
    if (this.signal.aborted) return Promise.reject(this.signal.reason);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      try {
        this.post({ t: 'call', id: this.id, seq, call, args });
      } catch (error) {
        // A function or another value structured clone cannot carry.
        reject(new TypeError(`task \`${this.taskId}\`: ${call}() from a worker thread takes data only: ${(error as Error).message}`, { cause: error }));
        return;
      }
      this.live.calls.set(seq, (ok, value) => {
        this.live.calls.delete(seq);
        if (ok) resolve(value);
        else reject(value);
      });
    });
  }
}
