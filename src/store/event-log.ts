// The append-only event log: one row per recorded batch, holding its events as one MessagePack
// array of compact tuples. One row per batch rather than per event: a 100K-task run is a handful
// of rows, each insert is one B-tree write, and the tuples repeat no field names. Outputs and
// added specs are left out (they are in weft_tasks and weft_additions); everything else stays.

import type { WorkflowEvent, WorkflowEventType } from '../workflow/types.js';
import { MAX_NUMBER_BYTES, writeNumber } from '../codec/numbers.js';
import { writeUtf8 } from '../codec/strings.js';
import { decodeValue, encodeValue } from './store-codec.js';

/** Event type codes of the file format (stable: new types are appended). */
export const LOG_EVENT_TYPES: readonly WorkflowEventType[] = [
  'run:start', 'task:ready', 'task:start', 'task:retry', 'task:suspended', 'task:resumed', 'task:succeeded', 'task:failed',
  'task:skipped', 'task:cancelled', 'run:end', 'task:added', 'dependency:added', 'task:heartbeat', 'task:stream', 'run:pressure',
  // Appended, never inserted: a code is on disk. Logs written before it have task:stalled as 63 ('unknown').
  'task:stalled',
];
const CODES = new Map(LOG_EVENT_TYPES.map((t, i) => [t, i]));

// The optional fields a log entry keeps, in the order of its sparse tail.
const EXTRA_FIELDS = ['agent', 'delta', 'error', 'delayMs', 'reason', 'payload', 'status', 'parent', 'deadline', 'dependsOn', 'progress', 'cpuMs', 'heapPeakBytes', 'pressure'] as const;

// A code with this bit set is followed by the event's extras (an object).
const WITH_EXTRAS = 0x40;

/**
 * Encodes one batch as one flat array, four values per event — `code, µs after the batch's first
 * event, taskId, attempt` — and, when `code` has bit 0x40, a fifth: the other fields. Flat, so
 * the tuples repeat no field names; times come back to the µs. The MessagePack is written here,
 * straight into one buffer (the codec only for extras): building the flat array first and then
 * walking it was most of the log's cost, a million values for a 100K-task run.
 * @throws EncodeUnsupportedError when an event's field cannot be encoded (the caller retries with {@link safeEvents}).
 */
export function encodeEvents(batch: readonly WorkflowEvent[], t0: number): Uint8Array {
  const w = writer;
  w.pos = HEADER;
  w.lastError = undefined;
  w.lastErrorBytes = undefined;
  let values = 0;
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
    w.ensure(32);
    w.buf[w.pos++] = extras === undefined ? code : code | WITH_EXTRAS;
    // Integer microseconds: 1 to 5 bytes instead of a float's 9.
    w.number(Math.round((e.time - t0) * 1000));
    const taskId = e.taskId as unknown;
    if (typeof taskId === 'string') w.string(taskId);
    else w.value(taskId ?? null);
    const attempt = (e.attempt ?? 0) as unknown;
    if (typeof attempt === 'number') w.number(attempt);
    else w.value(attempt);
    values += 4;
    if (extras !== undefined) {
      w.extras(extras);
      values++;
    }
  }
  return w.finish(values);
}

/** Bytes reserved in front of the events for the array header (written last, when the count is known). */
const HEADER = 5;
const textEncoder = new TextEncoder();

/** The log's working buffer, reused across batches (one encode at a time: nothing here calls back). */
class LogWriter {
  buf = new Uint8Array(1 << 16);
  view = new DataView(this.buf.buffer);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const old = this.buf;
    this.buf = new Uint8Array(Math.max(old.length * 2, this.pos + n));
    this.view = new DataView(this.buf.buffer);
    this.buf.set(old.subarray(0, this.pos));
  }

  number(v: number): void {
    this.ensure(MAX_NUMBER_BYTES);
    this.pos = writeNumber(this.buf, this.view, this.pos, v, false);
  }

  string(s: string): void {
    const len = s.length;
    this.ensure(5 + len * 3);
    // The header sized for ASCII (bytes = units); moved when more bytes come out, as the codec does.
    const reserved = len < 32 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 5;
    const start = this.pos + reserved;
    const n = len < 64 ? writeUtf8(s, this.buf, start) : textEncoder.encodeInto(s, this.buf.subarray(start)).written;
    const header = n < 32 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
    if (header !== reserved) this.buf.copyWithin(this.pos + header, start, start + n);
    const b = this.buf;
    const p = this.pos;
    if (header === 1) b[p] = 0xa0 | n;
    else if (header === 2) {
      b[p] = 0xd9;
      b[p + 1] = n;
    } else if (header === 3) {
      b[p] = 0xda;
      this.view.setUint16(p + 1, n);
    } else {
      b[p] = 0xdb;
      this.view.setUint32(p + 1, n);
    }
    this.pos += header + n;
  }

  // The extras `{ error }` last written: a drain's or a cancel's thousands of events share one error.
  lastError: unknown;
  lastErrorBytes: Uint8Array | undefined;

  /** An event's extras; `{ error }` alone with the previous event's error object is copied, not encoded again. */
  extras(extras: Record<string, unknown>): void {
    let only: unknown;
    for (const key in extras) {
      if (key !== 'error' || only !== undefined) return this.value(extras);
      only = extras.error;
    }
    if (only === this.lastError && this.lastErrorBytes !== undefined) return this.bytes(this.lastErrorBytes);
    const bytes = encodeValue(extras);
    this.lastError = only;
    this.lastErrorBytes = bytes;
    this.bytes(bytes);
  }

  /** Anything else, through the store's codec. */
  value(v: unknown): void {
    this.bytes(encodeValue(v));
  }

  private bytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** The array of `values` values written since the header: a copy (the buffer is reused). */
  finish(values: number): Uint8Array {
    const b = this.buf;
    let at: number;
    if (values < 16) {
      at = HEADER - 1;
      b[at] = 0x90 | values;
    } else if (values < 0x10000) {
      at = HEADER - 3;
      b[at] = 0xdc;
      this.view.setUint16(at + 1, values);
    } else {
      at = 0;
      b[0] = 0xdd;
      this.view.setUint32(1, values);
    }
    const out = b.slice(at, this.pos);
    // A buffer grown for one huge batch is not kept for life.
    if (this.buf.length > 1 << 24) {
      this.buf = new Uint8Array(1 << 16);
      this.view = new DataView(this.buf.buffer);
    }
    return out;
  }
}

const writer = new LogWriter();

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
