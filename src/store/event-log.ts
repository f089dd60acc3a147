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

// A code with this bit set is followed by the event's extras (an object).
const WITH_EXTRAS = 0x40;

/**
 * Encodes one batch as one flat array, four values per event — `code, µs after the batch's first
 * event, taskId, attempt` — and, when `code` has bit 0x40, a fifth: the other fields. Flat, so
 * the encoder walks one array instead of allocating one per event; times come back to the µs.
 * @throws EncodeUnsupportedError when an event's field cannot be encoded (the caller retries with {@link safeEvents}).
 */
export function encodeEvents(batch: readonly WorkflowEvent[], t0: number): Uint8Array {
  const flat: unknown[] = [];
  for (let k = 0; k < batch.length; k++) {
    const e = batch[k];
    let extras: Record<string, unknown> | undefined;
    // The hot three (ready, start, succeeded) rarely carry extras: test the few they can have.
    const plain = e.type === 'task:start' || e.type === 'task:ready' || e.type === 'task:succeeded';
    if (!plain || e.agent !== undefined || e.deadline !== undefined || e.cpuMs !== undefined || e.error !== undefined) {
      for (const f of EXTRA_FIELDS) {
        const v = e[f];
        if (v !== undefined) (extras ??= {})[f] = v;
      }
    }
    const code = CODES.get(e.type) ?? 63;
    // Integer microseconds: 1 to 5 bytes instead of a float's 9.
    const dt = Math.round((e.time - t0) * 1000);
    if (extras === undefined) flat.push(code, dt, e.taskId ?? null, e.attempt ?? 0);
    else flat.push(code | WITH_EXTRAS, dt, e.taskId ?? null, e.attempt ?? 0, extras);
  }
  return encodeValue(flat);
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
  const flat = decodeValue(bytes) as unknown[];
  const out: WorkflowEvent[] = [];
  for (let k = 0; k < flat.length; ) {
    const code = flat[k] as number;
    const taskId = flat[k + 2] as string | null;
    const event: Record<string, unknown> = { type: LOG_EVENT_TYPES[code & ~WITH_EXTRAS] ?? 'unknown', time: t0 + (flat[k + 1] as number) / 1000, runId };
    if (taskId !== null) {
      event.taskId = taskId;
      event.attempt = flat[k + 3];
    }
    k += 4;
    if (code & WITH_EXTRAS) Object.assign(event, flat[k++]);
    out.push(event as unknown as WorkflowEvent);
  }
  return out;
}
