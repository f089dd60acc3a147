// One run as the viewer's page shows it, built from what the store's read API returns: the tasks
// as rows of text, the attempts as Gantt bars, the edges the store knows, the end of the event log.

import type { RecordedTask } from '../store/durable-store.js';
import type { RunSummary, StoredEvent } from '../store/query-types.js';
import { attemptBars, since } from './attempt-bars.js';
import { errorText, valueText } from './to-text.js';
import type { EventView, RunView, TaskView } from './view-types.js';

/** Fields of an event shown as its type, time and task columns rather than in its detail. */
const COLUMNS = new Set(['type', 'time', 'runId', 'taskId', 'attempt']);

/** What {@link buildRunView} is given. */
export interface RunViewInput {
  readonly summary: RunSummary;
  /** The tasks shown, in id order. */
  readonly tasks: readonly RecordedTask[];
  /** The whole event log, oldest first. */
  readonly events: readonly StoredEvent[];
  /** The workflow's defined dependencies, by task id (`store.dependencies`). @default none */
  readonly dependencies?: Readonly<Record<string, readonly string[]>>;
  /** Events kept for the log (the last ones). */
  readonly maxEvents: number;
  /** Epoch ms the view is read at: where a running run's span ends. */
  readonly now: number;
}

/** Builds the view of one run. Pure: the same input gives the same view. */
export function buildRunView(input: RunViewInput): RunView {
  const { summary, tasks, events } = input;
  const t0 = summary.startedAt;
  const counts: Record<string, number> = {};
  for (const t of tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
  const { bars, lanes } = attemptBars(events, tasks, t0);
  const lastTime = events.length > 0 ? events[events.length - 1].time : t0;
  const end = summary.endedAt ?? (summary.status === 'running' ? Math.max(input.now, lastTime) : lastTime);
  let spanMs = Math.max(0, since(end, t0));
  for (const b of bars) spanMs = Math.max(spanMs, b.endMs ?? b.startMs);
  const from = Math.max(0, events.length - input.maxEvents);
  return {
    run: summary,
    counts,
    tasks: tasks.map((t) => taskView(t, t0)),
    bars,
    lanes,
    edges: edgesOf(tasks, events, input.dependencies ?? {}),
    events: events.slice(from).map((e, k) => eventView(e, from + k, t0)),
    eventsTotal: events.length,
    spanMs,
  };
}

function taskView(t: RecordedTask, t0: number): TaskView {
  const v: { -readonly [K in keyof TaskView]: TaskView[K] } = { id: t.id, status: t.status, attempts: t.attempts };
  if (t.agent !== undefined) v.agent = t.agent;
  if (t.parent !== undefined) v.parent = t.parent;
  if (t.startedAt !== undefined) v.startMs = since(t.startedAt, t0);
  if (t.endedAt !== undefined) v.endMs = since(t.endedAt, t0);
  if ('output' in t && t.output !== undefined) v.output = valueText(t.output);
  if (t.error !== undefined) v.error = errorText(t.error);
  if (t.suspended !== undefined) v.suspended = t.suspended.payload === undefined ? t.suspended.reason : `${t.suspended.reason}: ${valueText(t.suspended.payload)}`;
  return v;
}

function eventView(e: StoredEvent, seq: number, t0: number): EventView {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(e)) {
    if (COLUMNS.has(key) || value === undefined) continue;
    parts.push(`${key}: ${key === 'error' ? errorText(value) : valueText(value)}`);
  }
  const v: { -readonly [K in keyof EventView]: EventView[K] } = { seq, timeMs: since(e.time, t0), type: e.type, detail: parts.join('; ') };
  if (e.taskId !== undefined) v.taskId = e.taskId;
  // Events outside an attempt (ready, added) carry attempt 0.
  if (e.taskId !== undefined && e.attempt !== undefined && e.attempt > 0) v.attempt = e.attempt;
  return v;
}

/**
 * The run's edges the store records: the workflow's defined dependencies, dependencies of added
 * tasks and added dependencies (from the log), and who added a dynamic task without dependencies
 * (it cannot run before its parent).
 */
function edgesOf(tasks: readonly RecordedTask[], events: readonly StoredEvent[], defined: Readonly<Record<string, readonly string[]>>): [string, string][] {
  const ids = new Set(tasks.map((t) => t.id));
  const seen = new Set<string>();
  const edges: [string, string][] = [];
  const add = (from: string | undefined, to: string) => {
    if (from === undefined || !ids.has(from) || !ids.has(to) || from === to) return;
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push([from, to]);
  };
  for (const [to, from] of Object.entries(defined)) for (const d of from) add(d, to);
  for (const e of events) {
    if ((e.type !== 'task:added' && e.type !== 'dependency:added') || e.taskId === undefined) continue;
    for (const d of e.dependsOn ?? []) add(d, e.taskId);
  }
  // Who added a task is drawn only for a task that has no dependency: else it says nothing more.
  const hasDeps = new Set(edges.map(([, to]) => to));
  for (const t of tasks) if (!hasDeps.has(t.id)) add(t.parent, t.id);
  return edges;
}
