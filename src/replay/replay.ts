/**
 * Replaying a real workflow trace on the task engine: every task sleeps its recorded runtime
 * × `scale`, and the measured makespan is set beside the zero-overhead simulation of the same
 * priority policy, so what remains is the engine's own cost.
 *
 * @packageDocumentation
 */
import type { WorkflowTrace } from '../graph/wfcommons.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import { workflow, type RunResult } from '../workflow/index.js';
import { sharedSleepDriver, type SleepDriver } from './precise-sleep.js';
import { simulate } from './simulate.js';
import { makeSummary, type ReplaySummary } from './summary.js';

/** Progress of a replay, as {@link ReplayOptions.onProgress} receives it. */
export interface ReplayProgress {
  /** Tasks finished. */
  readonly done: number;
  /** Tasks in the trace. */
  readonly total: number;
  /** Tasks running now. */
  readonly running: number;
}

/** Options of {@link replayTrace}. */
export interface ReplayOptions {
  /**
   * Lanes: the workflow's concurrency.
   * @defaultValue 4
   */
  readonly workers?: number;
  /**
   * Milliseconds of replay per millisecond of recorded runtime: 0.001 turns 1 s into 1 ms. 0
   * replays every task as an immediate sleep, which measures the engine alone.
   * @defaultValue 0.001
   */
  readonly scale?: number;
  /** Cancels the replay; `replayTrace` then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called whenever a task starts or finishes (keep it cheap: it runs on the hot path). */
  readonly onProgress?: (progress: ReplayProgress) => void;
  /**
   * Before the measured run, warm up: run the trace with zero-length sleeps (repeatedly, until
   * about 5,000 tasks have run or 250 ms have passed), then once with its sleeps shrunk to an
   * ideal makespan of at most 25 ms. The measured run then meets JIT-optimised engine and sleep
   * code: a cold run of 100 tasks of ~1 ms spends several ms compiling, which would otherwise be
   * charged to the engine as overhead per task. The warm-up is not part of the makespan.
   * @defaultValue true
   */
  readonly warmup?: boolean;
  /**
   * The driver that times the tasks' sleeps (see `createSleepDriver`). One made with
   * `wait: null` never blocks the thread and spins event-loop turns before each deadline instead.
   * @defaultValue the shared driver behind `sleep`
   */
  readonly sleepDriver?: SleepDriver;
}

/** The defaults of {@link ReplayOptions}. */
export const DEFAULT_REPLAY_OPTIONS = Object.freeze({ workers: 4, scale: 0.001, warmup: true });

/** Task executions the warm-up aims for (see {@link ReplayOptions.warmup}). */
const WARMUP_TASKS = 5000;
/** The most time the zero-length warm-up runs may take, in ms. */
const WARMUP_BUDGET_MS = 250;
/** The ideal makespan of the real warm-up run, in ms (shorter traces run at their own scale). */
const WARMUP_REAL_MS = 25;

/**
 * The scaled duration of each task, in ms: what a replay sleeps and what the simulation
 * schedules (both from the same numbers, so ranks and ties agree exactly).
 */
export function replayDurations(trace: WorkflowTrace, scale: number): Float64Array {
  const d = new Float64Array(trace.runtimeSeconds.length);
  for (let i = 0; i < d.length; i++) d[i] = trace.runtimeSeconds[i] * 1000 * scale;
  return d;
}

/**
 * Builds a workflow from `trace` (one task per trace task, its parents as `dependsOn`, its
 * scaled runtime as both `estimateMs` and the time it sleeps), runs it on `workers` lanes and
 * returns the summary.
 *
 * @throws (as a rejection) `TypeError`/`RangeError` for a bad option, the signal's reason when
 *   cancelled, `CycleDetectedError` for a cyclic trace, and the first task error if the run fails.
 */
export async function replayTrace(trace: WorkflowTrace, options: ReplayOptions = {}): Promise<ReplaySummary> {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object', options));
  const workers = checkInteger('workers', options.workers ?? DEFAULT_REPLAY_OPTIONS.workers, 1);
  const scale = options.scale ?? DEFAULT_REPLAY_OPTIONS.scale;
  if (typeof scale !== 'number') throw new TypeError(expectedMessage('scale', 'a finite number >= 0', scale));
  if (!Number.isFinite(scale) || scale < 0) throw new RangeError(expectedMessage('scale', 'a finite number >= 0', scale));
  const { signal, onProgress } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError(expectedMessage('signal', 'an AbortSignal', signal));
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError(expectedMessage('onProgress', 'a function', onProgress));
  }
  const warmup = options.warmup ?? DEFAULT_REPLAY_OPTIONS.warmup;
  if (typeof warmup !== 'boolean') throw new TypeError(expectedMessage('warmup', 'a boolean', warmup));
  const driver = options.sleepDriver ?? sharedSleepDriver();
  if (typeof (driver as Partial<SleepDriver> | null)?.sleep !== 'function') {
    throw new TypeError(expectedMessage('sleepDriver', 'a SleepDriver', driver));
  }
  signal?.throwIfAborted();

  const durations = replayDurations(trace, scale);
  const simulation = simulate(trace.graph, durations, { workers });
  const replay = defineReplay(trace, durations, workers, driver);
  if (warmup) {
    // V8 optimises code only after it has run many times: first zero-length runs (the engine's
    // dispatch path) until a few thousand tasks have gone through or the budget is spent, then
    // one short real run (the sleep driver's timer and turn paths, with tasks overlapping).
    const zero = new Float64Array(durations.length);
    const until = performance.now() + WARMUP_BUDGET_MS;
    let tasksRun = 0;
    do {
      await replay(zero, signal, undefined);
      tasksRun += zero.length;
    } while (tasksRun < WARMUP_TASKS && performance.now() < until);
    const shrink = Math.min(1, WARMUP_REAL_MS / Math.max(simulation.idealMs, Number.MIN_VALUE));
    await replay(durations.map((d) => d * shrink), signal, undefined);
  }
  const makespanMs = await replay(durations, signal, onProgress);
  return makeSummary({ tasks: trace.ids.length, edges: trace.graph.targets.length, makespanMs, simulation });
}

/** Each task's parents' ids: the trace's CSR lists children, the workflow API wants parents. */
function parentIds(trace: WorkflowTrace): string[][] {
  const { ids, graph } = trace;
  const parents: string[][] = Array.from({ length: ids.length }, () => []);
  for (let v = 0; v < ids.length; v++) {
    for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) parents[graph.targets[e]].push(ids[v]);
  }
  return parents;
}

/** One run of a replay: sleeps `sleepMs[i]` in task `i`; resolves with the run's duration in ms. */
type ReplayRun = (
  sleepMs: Float64Array,
  signal: AbortSignal | undefined,
  onProgress: ((progress: ReplayProgress) => void) | undefined,
) => Promise<number>;

/**
 * Defines the trace's workflow once (one task per trace task, `estimateMs` the scaled runtime)
 * and returns a function that runs it. The warm-up and the measured run share the definition:
 * building and compiling a workflow of a thousand tasks per run allocated megabytes, and the
 * scavenge that followed fell into the measured run often enough (a 2-25 ms pause on a loaded
 * 2-core VM, up to 15% of a 150 ms replay).
 */
function defineReplay(trace: WorkflowTrace, estimates: Float64Array, workers: number, driver: SleepDriver): ReplayRun {
  const { ids } = trace;
  const n = ids.length;
  const parents = parentIds(trace);
  // What the tasks read, set by each run before it starts (runs never overlap).
  let sleepMs = estimates;
  let runSignal: AbortSignal = new AbortController().signal;
  let report: (() => void) | undefined;
  let done = 0;
  let running = 0;
  const counted = async (i: number) => {
    running++;
    report!();
    try {
      await driver.sleep(sleepMs[i], runSignal);
    } finally {
      running--;
    }
    done++;
    report!();
  };
  const wf = workflow({ name: trace.name, concurrency: workers });
  for (let i = 0; i < n; i++) {
    wf.task({
      id: ids[i],
      dependsOn: parents[i],
      // The same numbers as the simulation, so the engine's upward ranks and ties match it.
      estimateMs: estimates[i],
      // The sleeps listen to the run's signal, not `ctx.signal`: reading that makes the engine
      // create an AbortController per task, and the driver add and remove a listener on each,
      // ~9 µs of CPU per task on a 2-core VM (2% of a 0.5 ms task, paid on the lane's critical
      // path) for nothing the run's signal does not give (the driver keeps one listener per
      // signal, and cancelling the run aborts it).
      // Without a progress listener the sleep itself is the task's promise: no async wrapper,
      // one promise and two microtask hops fewer per task.
      run: () => (report === undefined ? driver.sleep(sleepMs[i], runSignal) : counted(i)),
    });
  }
  return async (ms, signal, onProgress) => {
    // An abort that lands between two runs (after a warm-up's end) must not start another.
    signal?.throwIfAborted();
    // Each run gets its own signal, unlinked from the caller's when the run ends: the caller's
    // signal outlives many runs (the warm-up) and must not collect a listener per run.
    const controller = new AbortController();
    sleepMs = ms;
    runSignal = controller.signal;
    done = 0;
    running = 0;
    report = onProgress === undefined ? undefined : () => onProgress({ done, total: n, running });
    const forward = () => controller.abort(signal!.reason);
    signal?.addEventListener('abort', forward, { once: true });
    let result: RunResult;
    try {
      result = await wf.start({ signal: controller.signal }).result;
    } finally {
      signal?.removeEventListener('abort', forward);
      // A run that ended otherwise (a failure) may leave sleeps behind: they end with it.
      if (!controller.signal.aborted) controller.abort(new DOMException('The replay run ended', 'AbortError'));
    }
    if (result.status === 'cancelled') throw signal?.reason ?? new DOMException('The replay was cancelled', 'AbortError');
    if (result.status !== 'succeeded') throw firstError(result) ?? new Error(`replay of ${trace.source} ended ${result.status}`);
    return result.durationMs;
  };
}

/** The first task error a failed run recorded. */
function firstError(result: RunResult): unknown {
  return result.tasks.find((t) => t.error !== undefined)?.error;
}
