// The Gantt chart's bars: one per attempt, read from the event log (a task that ran three times
// is three bars), each put in the lowest lane free when it started. The lanes are then the run's
// concurrent slots as they were used: greedy assignment in start order needs exactly as many
// lanes as the most attempts that overlapped, and a bar keeps its lane as later events arrive
// (a running bar's end only becomes known, never earlier than it was taken to be).

import type { RecordedTask } from '../store/durable-store.js';
import type { StoredEvent } from '../store/query-types.js';
import type { BarView } from './view-types.js';

/** The status an attempt ended in, by the event that ended it. */
const ENDS: Readonly<Record<string, string>> = {
  'task:succeeded': 'succeeded',
  'task:failed': 'failed',
  'task:retry': 'failed',
  'task:cancelled': 'cancelled',
  'task:suspended': 'suspended',
};

/** ms after the run's start, to the µs (the log's precision): shorter JSON than a double's 17 digits. */
export const since = (time: number, t0: number) => Math.round((time - t0) * 1000) / 1000;

interface OpenBar {
  taskId: string;
  attempt: number;
  startMs: number;
  endMs?: number;
  status: string;
}

/**
 * The attempts of a run as bars, times in ms after `t0` (epoch ms). From the event log when it
 * has `task:start`s; else (a store opened with `events: false`) one bar per started task, from
 * its row.
 */
export function attemptBars(events: readonly StoredEvent[], tasks: readonly RecordedTask[], t0: number): { bars: BarView[]; lanes: number } {
  const bars: OpenBar[] = [];
  const open = new Map<string, OpenBar>();
  for (const e of events) {
    if (e.type === 'run:end') {
      // Whatever was still open when the run ended was stopped with it.
      for (const bar of open.values()) Object.assign(bar, { endMs: since(e.time, t0), status: 'cancelled' });
      open.clear();
      continue;
    }
    if (e.taskId === undefined) continue;
    if (e.type === 'task:start') {
      const bar: OpenBar = { taskId: e.taskId, attempt: e.attempt ?? 0, startMs: since(e.time, t0), status: 'running' };
      bars.push(bar);
      open.set(e.taskId, bar);
      continue;
    }
    const status = ENDS[e.type];
    const bar = open.get(e.taskId);
    if (status === undefined || bar === undefined) continue;
    bar.endMs = since(e.time, t0);
    bar.status = status;
    open.delete(e.taskId);
  }
  if (bars.length === 0) {
    for (const t of tasks) {
      if (t.startedAt === undefined) continue;
      const bar: OpenBar = { taskId: t.id, attempt: t.attempts, startMs: since(t.startedAt, t0), status: t.status };
      if (t.endedAt !== undefined) bar.endMs = since(t.endedAt, t0);
      bars.push(bar);
    }
    bars.sort((a, b) => a.startMs - b.startMs);
  }
  return assignLanes(bars);
}

/** Puts each bar (in start order) in the lowest lane whose last bar had ended by its start. */
function assignLanes(bars: readonly OpenBar[]): { bars: BarView[]; lanes: number } {
  const laneEnds: number[] = [];
  const out: BarView[] = bars.map((b) => {
    let lane = laneEnds.findIndex((end) => end <= b.startMs);
    if (lane === -1) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = b.endMs ?? Infinity;
    const bar: { -readonly [K in keyof BarView]: BarView[K] } = { taskId: b.taskId, attempt: b.attempt, lane, startMs: b.startMs, status: b.status };
    if (b.endMs !== undefined) bar.endMs = b.endMs;
    return bar;
  });
  return { bars: out, lanes: Math.max(1, laneEnds.length) };
}
