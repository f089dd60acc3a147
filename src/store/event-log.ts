// The append-only event log: one row per recorded batch, holding its events as one MessagePack
// array of compact tuples. One row per batch rather than per event: a 100K-task run is a handful
// of rows, each insert is one B-tree write, and the tuples repeat no field names. Outputs and
// added specs are left out (they are in weft_tasks and weft_additions); everything else stays.

import type { WorkflowEvent, WorkflowEventType } from '../workflow/types.js';
import { decodeValue, encodeValue } from './store-codec.js';

/** Event type codes of the file format (stable: new types are appended). */
export const LOG_EVENT_TYPES: readonly WorkflowEventType[] = [
  'run:start', 'task:ready', 'task:start', 'task:retry', 'task:suspended', 'task:resumed', 'task:succeeded', 'task:failed',
  'task:skipped', 'task:cancelled', 'run:end', 'task:added', 'dependency:added', 'task:heartbeat', 'task:stream', 'run:pressure',
];
const CODES = new Map(LOG_EVENT_TYPES.map((t, i) => [t, i]));

// The optional fields a log entry keeps, in the order of its sparse tail.
const EXTRA_FIELDS = ['agent', 'delta', 'error', 'delayMs', 'reason', 'payload', 'status', 'parent', 'deadline', 'dependsOn', 'progress', 'cpuMs', 'heapPeakBytes', 'pressure'] as const;

type Entry = [code: number, dt: number, taskId: string | null, attempt: number] | [number, number, string | null, number, Record<string, unknown>];

/**
 * Encodes one batch: each event as `[code, ms after the batch's first event, taskId, attempt,
 * extras?]`.
 * @throws EncodeUnsupportedError when an event's field cannot be encoded (the caller retries with {@link safeEvents}).
 */
export function encodeEvents(batch: readonly WorkflowEvent[], t0: number): Uint8Array {
  const entries: Entry[] = new Array(batch.length);
  for (let k = 0; k < batch.length; k++) {
    const e = batch[k];
    let extras: Record<string, unknown> | undefined;
    if (e.error !== undefined || e.agent !== undefined || e.type !== 'task:start' && e.type !== 'task:ready' && e.type !== 'task:succeeded') {
      for (const f of EXTRA_FIELDS) {
        const v = e[f];
        if (v !== undefined) (extras ??= {})[f] = v;
      }
    } else if (e.deadline !== undefined) extras = { deadline: e.deadline };
    const code = CODES.get(e.type) ?? -1;
    entries[k] = extras === undefined ? [code, e.time - t0, e.taskId ?? null, e.attempt ?? 0] : [code, e.time - t0, e.taskId ?? null, e.attempt ?? 0, extras];
  }
  return encodeValue(entries);
}

/** The batch with each unencodable field replaced by its string form (errors with odd payloads must still be logged). */
export function safeEvents(batch: readonly WorkflowEvent[]): WorkflowEvent[] {
  return batch.map((e) => {
    const copy: Record<string, unknown> = { ...e };
    for (const f of EXTRA_FIELDS) {
      if (copy[f] === undefined) continue;
      try {
        encodeValue(copy[f]);
      } catch {
        copy[f] = String(copy[f]);
      }
    }
    return copy as unknown as WorkflowEvent;
  });
}

/** Rebuilds the events of one log row. */
export function decodeEvents(bytes: Uint8Array, runId: string, t0: number): WorkflowEvent[] {
  const entries = decodeValue(bytes) as Entry[];
  return entries.map(([code, dt, taskId, attempt, extras]) => {
    const event: Record<string, unknown> = { type: LOG_EVENT_TYPES[code] ?? 'unknown', time: t0 + dt, runId };
    if (taskId !== null) {
      event.taskId = taskId;
      event.attempt = attempt;
    }
    if (extras !== undefined) Object.assign(event, extras);
    return event as unknown as WorkflowEvent;
  });
}
