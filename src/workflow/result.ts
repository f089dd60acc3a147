// Results, snapshots and the timeline, read from the run's arrays on demand: a run of a million
// tasks does not build a million result objects unless someone asks for them.

import { NO_USAGE } from '../agents/usage.js';
import type { RunCore } from './run-core.js';
import { STATUS_NAMES } from './state.js';
import type { RunResult, RunStatus, TaskResult, TaskStatus } from './types.js';

/** One task's result (or current state) from the run's arrays. */
export function taskResult(run: RunCore, i: number): TaskResult {
  const s = run.s;
  const status = STATUS_NAMES[s.status[i]];
  const started = s.attempts[i] > 0;
  const final = s.status[i] >= 6;
  return {
    id: run.graph.ids[i],
    status,
    ...(status === 'succeeded' ? { output: s.outputs[i] } : {}),
    ...(run.hasError(i) ? { error: run.errorOf(i) } : {}),
    attempts: s.attempts[i],
    ...(started ? { startedAt: run.epoch(s.t0[i]) } : {}),
    ...(final ? { endedAt: run.epoch(s.t1[i]) } : {}),
  };
}

/** The tasks in memory (archived ones are left out), in slot order. */
export function liveTasks(run: RunCore): TaskResult[] {
  const out: TaskResult[] = [];
  for (let i = 0; i < run.graph.n; i++) if (!run.graph.isFree(i)) out.push(taskResult(run, i));
  return out;
}

/** Tasks per status. */
export function countStatuses(run: RunCore): Record<TaskStatus, number> {
  const counts: Record<TaskStatus, number> = { pending: 0, ready: 0, running: 0, retrying: 0, suspended: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
  const status = run.s.status;
  for (let i = 0; i < run.graph.n; i++) counts[STATUS_NAMES[status[i]]]++;
  // Empty slots still read `succeeded`; every archived task did succeed.
  counts.succeeded += run.graph.archived - run.graph.freeSlots;
  return counts;
}

/** The result of a settled run (or, with `status` given, a snapshot of a live one). */
export function runResult(run: RunCore, status: RunStatus): RunResult {
  let tasks: TaskResult[] | undefined;
  let counts: Record<TaskStatus, number> | undefined;
  const end = run.settled ? run.endedAt : performance.now() - run.origin;
  return {
    runId: run.runId,
    status,
    startedAt: run.epoch(run.startedAt),
    endedAt: run.epoch(end),
    durationMs: end - run.startedAt,
    get counts() {
      return (counts ??= countStatuses(run));
    },
    get tasks() {
      return (tasks ??= liveTasks(run));
    },
    task(id: string) {
      const i = run.graph.indexOf(id);
      return i === undefined ? undefined : taskResult(run, i);
    },
    output(id: string) {
      const i = run.graph.indexOf(id);
      return i !== undefined && run.s.status[i] === 6 ? run.s.outputs[i] : undefined;
    },
    get usage() {
      return run.usage?.summary() ?? NO_USAGE;
    },
  };
}

/** One bar of a run's Gantt chart. */
export interface TimelineEntry {
  readonly id: string;
  /** The lane (0-based) the task ran on: lanes are reused as tasks end. */
  readonly lane: number;
  /** Ms from the run's start to the last attempt's start. */
  readonly start: number;
  /** Ms from the run's start to the task's end. */
  readonly end: number;
  readonly status: TaskStatus;
}

/** Per-lane Gantt data of a run. */
export interface Timeline {
  readonly runId: string;
  /** Lanes used (the most tasks that ran at once). */
  readonly lanes: number;
  readonly durationMs: number;
  readonly entries: readonly TimelineEntry[];
}

/** Gantt data: every task that started, placed on the lowest free lane (interval partitioning). */
export function timeline(run: RunCore): Timeline {
  const s = run.s;
  const t0 = run.startedAt;
  const started: number[] = [];
  for (let i = 0; i < run.graph.n; i++) if (s.attempts[i] > 0 && s.status[i] >= 6 && !run.graph.isFree(i)) started.push(i);
  started.sort((a, b) => s.t0[a] - s.t0[b] || a - b);
  const laneEnd: number[] = [];
  const entries: TimelineEntry[] = [];
  for (const i of started) {
    let lane = laneEnd.findIndex((end) => end <= s.t0[i]);
    if (lane < 0) lane = laneEnd.push(0) - 1;
    laneEnd[lane] = s.t1[i];
    entries.push({ id: run.graph.ids[i], lane, start: s.t0[i] - t0, end: s.t1[i] - t0, status: STATUS_NAMES[s.status[i]] });
  }
  const end = run.settled ? run.endedAt : performance.now() - run.origin;
  return { runId: run.runId, lanes: laneEnd.length, durationMs: end - t0, entries };
}
