// What the viewer's server sends its page, as JSON: every value from the store (outputs, errors,
// event fields) arrives already turned into text, so the page has nothing to interpret and only
// sets textContent. Types only: the page (page/) and the server both import them.

import type { RunSummary } from '../store/query-types.js';

/** One task's row in the viewer's table. Times are ms from the run's start. */
export interface TaskView {
  readonly id: string;
  readonly status: string;
  readonly attempts: number;
  readonly agent?: string;
  /** The task that added it (dynamic tasks). */
  readonly parent?: string;
  readonly startMs?: number;
  readonly endMs?: number;
  /** The output as text (a string as it is, anything else as `util.inspect` shows it). */
  readonly output?: string;
  /** The error as one line per cause: `CODE: message`. */
  readonly error?: string;
  /** `reason: payload` while the task is suspended. */
  readonly suspended?: string;
}

/** One attempt on the Gantt chart: the lane is the concurrent slot it ran in. */
export interface BarView {
  readonly taskId: string;
  readonly attempt: number;
  readonly lane: number;
  readonly startMs: number;
  /** Undefined while the attempt runs. */
  readonly endMs?: number;
  readonly status: string;
}

/** One entry of the event log. */
export interface EventView {
  /** Its index in the run's log (0 = the first event). */
  readonly seq: number;
  readonly timeMs: number;
  readonly type: string;
  readonly taskId?: string;
  readonly attempt?: number;
  /** The event's other fields as `key: text`, joined by `; `. */
  readonly detail: string;
}

/** One run as the page shows it. */
export interface RunView {
  readonly run: RunSummary;
  /** Tasks by status, over the tasks shown. */
  readonly counts: Readonly<Record<string, number>>;
  /** The tasks, in id order (at most `ViewerOptions.maxTasks`; `run.tasks` is the total). */
  readonly tasks: readonly TaskView[];
  readonly bars: readonly BarView[];
  /** Lanes of the Gantt chart: the most attempts that ran at once. */
  readonly lanes: number;
  /** Edges `[from, to]` between shown tasks: added dependencies, and who added a task. */
  readonly edges: readonly (readonly [string, string])[];
  /** The last events of the log (at most `ViewerOptions.maxEvents`). */
  readonly events: readonly EventView[];
  /** Events in the whole log. */
  readonly eventsTotal: number;
  /** How long the run has taken so far, ms (to its end, or to when the view was read). */
  readonly spanMs: number;
}

/** The list of runs, as the page shows it. */
export interface RunsView {
  /** The store's file. */
  readonly path: string;
  readonly runs: readonly RunSummary[];
}
