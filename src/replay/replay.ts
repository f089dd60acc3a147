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
  const parents = parentIds(trace);
  if (warmup) {
    // V8 optimises code only after it has run many times: first zero-length runs (the engine's
    // dispatch path) until a few thousand tasks have gone through or the budget is spent, then
    // one short real run (the sleep driver's timer and turn paths, with tasks overlapping).
    const zero = new Float64Array(durations.length);
    const until = performance.now() + WARMUP_BUDGET_MS;
    let tasksRun = 0;
    do {
      await runOnce(trace, parents, zero, { workers, driver, signal });
      tasksRun += zero.length;
    } while (tasksRun < WARMUP_TASKS && performance.now() < until);
    const shrink = Math.min(1, WARMUP_REAL_MS / Math.max(simulation.idealMs, Number.MIN_VALUE));
    await runOnce(trace, parents, durations.map((d) => d * shrink), { workers, driver, signal });
  }
  const makespanMs = await runOnce(trace, parents, durations, { workers, driver, signal, onProgress });
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

/** How {@link runOnce} runs: the resolved options. */
interface RunSettings {
  readonly workers: number;
  readonly driver: SleepDriver;
  readonly signal: AbortSignal | undefined;
  readonly onProgress?: (progress: ReplayProgress) => void;
}

/** Builds the workflow, runs it and returns the run's duration in ms. */
async function runOnce(trace: WorkflowTrace, parents: readonly string[][], durations: Float64Array, settings: RunSettings): Promise<number> {
  const { workers, driver, signal, onProgress } = settings;
  // An abort that lands between two runs (after a warm-up's end) must not start another.
  signal?.throwIfAborted();
  const { ids } = trace;
  const n = ids.length;
  // Each run gets its own signal, unlinked from the caller's when the run ends: the caller's
  // signal outlives many runs (the warm-up) and must not collect a listener per run.
  const controller = new AbortController();
  const runSignal = controller.signal;
  const wf = workflow({ name: trace.name, concurrency: workers });
  let done = 0;
  let running = 0;
  const report = onProgress === undefined ? undefined : () => onProgress({ done, total: n, running });
  for (let i = 0; i < n; i++) {
    const ms = durations[i];
    wf.task({
      id: ids[i],
      dependsOn: parents[i],
      // The same numbers as the simulation, so the engine's upward ranks and ties match it.
      estimateMs: ms,
      // The sleeps listen to the run's signal, not `ctx.signal`: reading that makes the engine
      // create an AbortController per task, and the driver add and remove a listener on each,
      // ~9 µs of CPU per task on a 2-core VM (2% of a 0.5 ms task, paid on the lane's critical
      // path) for nothing the run's signal does not give (the driver keeps one listener per
      // signal, and cancelling the run aborts it).
      run: async () => {
        running++;
        report?.();
        try {
          await driver.sleep(ms, runSignal);
        } finally {
          running--;
        }
        done++;
        report?.();
      },
    });
  }
  const forward = () => controller.abort(signal!.reason);
  signal?.addEventListener('abort', forward, { once: true });
  let result: RunResult;
  try {
    result = await wf.start({ signal: runSignal }).result;
  } finally {
    signal?.removeEventListener('abort', forward);
    // A run that ended otherwise (a failure) may leave sleeps behind: they end with it.
    if (!runSignal.aborted) controller.abort(new DOMException('The replay run ended', 'AbortError'));
  }
  if (result.status === 'cancelled') throw signal?.reason ?? new DOMException('The replay was cancelled', 'AbortError');
  if (result.status !== 'succeeded') throw firstError(result) ?? new Error(`replay of ${trace.source} ended ${result.status}`);
  return result.durationMs;
}

/** The first task error a failed run recorded. */
function firstError(result: RunResult): unknown {
  return result.tasks.find((t) => t.error !== undefined)?.error;
}
