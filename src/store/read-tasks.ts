// Reading every task of a run back for a resume, in a few statements instead of one row at a
// time: better-sqlite3 costs about a microsecond per row and per value it hands to JS, which was
// most of a 100K-task resume. Each page of rows comes back as one row of aggregates: JSON arrays
// of the scalar columns (strings escaped, reals printed so they read back exactly), and the small
// inline outputs as one hex string that, behind a MessagePack array header, decodes in one call.
// Errors are read once per distinct value (a drain or a cancel gives thousands of tasks one
// error) and matched to their tasks by length, falling back to a byte compare when two distinct
// errors have the same length. Rare or large values (suspended payloads, big inline outputs,
// blobs) are read per task, as before.

import type { Database, Statement } from 'better-sqlite3';
import type { TaskStatus } from '../workflow/types.js';
import type { BlobStore } from './blobs.js';
import type { RecordedTask } from './durable-store.js';
import { decodeValue } from './store-codec.js';

// Rows per aggregate: bounds the strings a page builds (ids, and ≤ HEX_MAX-byte outputs as hex).
const PAGE_ROWS = 16_384;
// Inline outputs up to this size travel in the page's hex string; larger ones are read alone.
const HEX_MAX = 4096;

type Mutable = { -readonly [K in keyof RecordedTask]: RecordedTask[K] };

/** The bulk read statements of one connection. */
export class TaskBulkReader {
  private readonly page: Statement;
  private readonly distinctErrors: Statement;
  private readonly errorsOfLengths: Statement;
  private readonly one: Statement;

  /**
   * @param db - the store's connection
   * @param blobs - where large outputs are
   */
  constructor(
    db: Database,
    private readonly blobs: BlobStore,
  ) {
    // The subquery's ORDER BY is the primary key's order: every aggregate sees the rows in it.
    this.page = db
      .prepare(
        `SELECT count(*), max(id), json_group_array(id), json_group_array(status), json_group_array(attempts),
           json_group_array(started_at), json_group_array(ended_at), json_group_array(deadline),
           json_group_array(length(output)), group_concat(CASE WHEN length(output) <= ${HEX_MAX} THEN hex(output) END, ''),
           json_group_array(output_blob), json_group_array(length(error)), json_group_array(suspended IS NOT NULL),
           json_group_array(parent), json_group_array(agent)
         FROM (SELECT * FROM weft_tasks WHERE run = @rid AND id > @after ORDER BY id LIMIT ${PAGE_ROWS})`,
      )
      .raw(true);
    this.distinctErrors = db.prepare('SELECT DISTINCT error FROM weft_tasks WHERE run = ? AND error IS NOT NULL').pluck();
    this.errorsOfLengths = db
      .prepare('SELECT id, error FROM weft_tasks WHERE run = ? AND error IS NOT NULL AND length(error) IN (SELECT value FROM json_each(?))')
      .raw(true);
    this.one = db.prepare('SELECT output, suspended FROM weft_tasks WHERE run = ? AND id = ?').raw(true);
  }

  /** Every task of run `rid` by id (in id order), equal errors decoded once and shared. */
  read(rid: number): Map<string, RecordedTask> {
    const tasks = new Map<string, RecordedTask>();
    const errors = this.errorIndex(rid);
    const late: [Mutable, number][] = []; // tasks whose error length two distinct errors share
    const alone: Mutable[] = []; // tasks with a suspended payload or an inline output too big for the hex string
    let after = '';
    for (;;) {
      const row = this.page.get({ rid, after }) as PageRow;
      if (row[0] === 0) break;
      after = row[1] as string;
      this.decodePage(row, tasks, errors, late, alone);
      if (row[0] < PAGE_ROWS) break;
    }
    if (late.length > 0) this.matchErrors(rid, late);
    for (const task of alone) this.readAlone(rid, task);
    return tasks;
  }

  /** Distinct errors by byte length: the decoded error when the length is unique, else `AMBIGUOUS`. */
  private errorIndex(rid: number): Map<number, unknown> {
    const byLength = new Map<number, unknown>();
    for (const bytes of this.distinctErrors.iterate(rid) as Iterable<Buffer>) {
      byLength.set(bytes.length, byLength.has(bytes.length) ? AMBIGUOUS : decodeValue(bytes));
    }
    return byLength;
  }

  private decodePage(row: PageRow, tasks: Map<string, RecordedTask>, errors: Map<number, unknown>, late: [Mutable, number][], alone: Mutable[]): void {
    const n = row[0];
    const [ids, statuses, attempts, started, ended, deadlines, outLengths] = [row[2], row[3], row[4], row[5], row[6], row[7], row[8]].map(parse) as [
      string[], TaskStatus[], number[], (number | null)[], (number | null)[], (number | null)[], (number | null)[],
    ];
    const [outBlobs, errLengths, suspended, parents, agents] = [row[10], row[11], row[12], row[13], row[14]].map(parse) as [
      (number | null)[], (number | null)[], number[], (string | null)[], (string | null)[],
    ];
    const outputs = decodeOutputs(row[9], outLengths);
    let o = 0;
    for (let k = 0; k < n; k++) {
      const id = ids[k];
      const task: Mutable = { id, status: statuses[k], attempts: attempts[k] };
      const length = outLengths[k];
      if (length !== null) {
        if (length <= HEX_MAX) task.output = outputs[o++];
        else alone.push(task);
      } else if (outBlobs[k] !== null) task.output = this.blob(outBlobs[k] as number);
      const errLength = errLengths[k];
      if (errLength !== null) {
        const error = errors.get(errLength);
        if (error === AMBIGUOUS) late.push([task, errLength]);
        else task.error = error;
      }
      if (started[k] !== null) task.startedAt = started[k] as number;
      if (ended[k] !== null) task.endedAt = ended[k] as number;
      if (deadlines[k] !== null) task.deadline = deadlines[k] as number;
      if (suspended[k] === 1 && (length === null || length <= HEX_MAX)) alone.push(task);
      if (agents[k] !== null) task.agent = agents[k] as string;
      if (parents[k] !== null) task.parent = parents[k] as string;
      tasks.set(id, task);
    }
  }

  /** Errors of lengths two distinct errors share: read per task, equal bytes decoded once. */
  private matchErrors(rid: number, late: [Mutable, number][]): void {
    const lengths = [...new Set(late.map(([, length]) => length))];
    const byId = new Map(late.map(([task]) => [task.id, task]));
    const decoded = new Map<string, unknown>();
    for (const [id, bytes] of this.errorsOfLengths.iterate(rid, JSON.stringify(lengths)) as Iterable<[string, Buffer]>) {
      const task = byId.get(id);
      if (task === undefined) continue;
      const key = bytes.toString('latin1');
      if (!decoded.has(key)) decoded.set(key, decodeValue(bytes));
      task.error = decoded.get(key);
    }
  }

  /** A task's large inline output or suspended payload, read on its own. */
  private readAlone(rid: number, task: Mutable): void {
    const [output, suspended] = this.one.get(rid, task.id) as [Buffer | null, Buffer | null];
    if (output !== null && output.length > HEX_MAX) task.output = decodeValue(output);
    if (suspended === null) return;
    const [reason, payload] = decodeValue(suspended) as [string, unknown];
    task.suspended = payload === undefined ? { reason } : { reason, payload };
  }

  private blob(id: number): unknown {
    const bytes = this.blobs.get(id);
    return bytes === undefined ? undefined : decodeValue(bytes);
  }
}

/** A page's aggregates, in the SELECT's order. */
type PageRow = [number, string | null, ...(string | null)[]];

const AMBIGUOUS: unknown = Symbol('ambiguous');

const parse = (json: string | number | null | undefined): unknown[] => JSON.parse(json as string) as unknown[];

/** The page's hex-carried outputs (in row order), decoded as one MessagePack array. */
function decodeOutputs(hex: string | null | undefined, lengths: readonly (number | null)[]): unknown[] {
  if (hex === null || hex === undefined || hex === '') return [];
  const body = Buffer.from(hex, 'hex');
  let count = 0;
  for (const length of lengths) if (length !== null && length <= HEX_MAX) count++;
  const bytes = Buffer.allocUnsafe(5 + body.length);
  bytes[0] = 0xdd; // array 32
  bytes.writeUInt32BE(count, 1);
  body.copy(bytes, 5);
  try {
    return decodeValue(bytes) as unknown[];
  } catch {
    // One level deeper than the values alone: an output nested to the codec's depth limit decodes only by itself.
    const out: unknown[] = [];
    let at = 0;
    for (const length of lengths) {
      if (length === null || length > HEX_MAX) continue;
      out.push(decodeValue(body.subarray(at, at + length)));
      at += length;
    }
    return out;
  }
}
