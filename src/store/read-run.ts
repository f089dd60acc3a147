// Reading a recorded run back: its row, every task's last state, its additions and edges (what a
// resume needs, in one go), and the row-to-object mapping that queries share.

import type { Database, Statement } from 'better-sqlite3';
import type { TaskSpec, TaskStatus } from '../workflow/types.js';
import type { BlobStore } from './blobs.js';
import type { RecordedAddition, RecordedRun, RecordedRunStatus, RecordedTask } from './durable-store.js';
import { decodeValue } from './store-codec.js';
import { TaskBulkReader } from './read-tasks.js';
import { fromSlot } from './value-slot.js';

/** The task columns read, in this order (rows are read raw). */
export const TASK_COLUMNS = 'id, status, attempts, output, output_blob, error, started_at, ended_at, deadline, parent, agent, suspended';

/** A raw row of {@link TASK_COLUMNS}. */
export type TaskRow = [
  id: string, status: string, attempts: number, output: Buffer | null, outputBlob: number | null, error: Buffer | null,
  startedAt: number | null, endedAt: number | null, deadline: number | null, parent: string | null, agent: string | null, suspended: Buffer | null,
];

/** A run's row as read. */
export interface RunRow {
  rid: number;
  id: string;
  workflow: string;
  definition_hash: string;
  definition: Buffer;
  status: RecordedRunStatus;
  input: Buffer | null;
  started_at: number;
  ended_at: number | null;
  lease_owner: string | null;
  lease_at: number | null;
}

/**
 * Builds a {@link RecordedTask} from its row (fields absent rather than undefined). With
 * `errors`, equal error bytes decode once and their tasks share the error, as they did when
 * recorded: the tasks a cancel or a drain stopped carry one reason, and a resume of 50,000 of
 * them should not rebuild it 50,000 times.
 */
export function toRecordedTask(row: TaskRow, blobs: BlobStore, errors?: Map<string, unknown>): RecordedTask {
  const [id, status, attempts, output, outputBlob, error, startedAt, endedAt, deadline, parent, agent, suspended] = row;
  const task: { -readonly [K in keyof RecordedTask]: RecordedTask[K] } = { id, status: status as TaskStatus, attempts };
  if (output !== null || outputBlob !== null) task.output = fromSlot(output, outputBlob, blobs);
  if (error !== null) task.error = errors === undefined ? decodeValue(error) : sharedError(error, errors);
  if (startedAt !== null) task.startedAt = startedAt;
  if (endedAt !== null) task.endedAt = endedAt;
  if (deadline !== null) task.deadline = deadline;
  if (suspended !== null) {
    const [reason, payload] = decodeValue(suspended) as [string, unknown];
    task.suspended = payload === undefined ? { reason } : { reason, payload };
  }
  if (agent !== null) task.agent = agent;
  if (parent !== null) task.parent = parent;
  return task;
}

function sharedError(bytes: Buffer, errors: Map<string, unknown>): unknown {
  const key = bytes.toString('latin1');
  if (errors.has(key)) return errors.get(key);
  const error = decodeValue(bytes);
  errors.set(key, error);
  return error;
}

/** Reads whole runs back (statements prepared once). */
export class RunReader {
  private readonly tasks: TaskBulkReader;
  private readonly additions: Statement;
  private readonly edges: Statement;

  /**
   * @param db - the store's connection
   * @param blobs - where large outputs are
   */
  constructor(
    db: Database,
    blobs: BlobStore,
  ) {
    this.tasks = new TaskBulkReader(db, blobs);
    this.additions = db.prepare('SELECT id, parent, closure, spec, depends_on FROM weft_additions WHERE run = ? ORDER BY seq').raw(true);
    this.edges = db.prepare('SELECT task, depends_on FROM weft_edges WHERE run = ? ORDER BY seq').raw(true);
  }

  /** Everything recorded of the run in `row`. */
  read(row: RunRow): RecordedRun {
    const tasks = this.tasks.read(row.rid);
    const added = (this.additions.all(row.rid) as [string, string | null, number, Buffer | null, Buffer][]).map(([id, parent, closure, spec, deps]) => {
      const a: { -readonly [K in keyof RecordedAddition]: RecordedAddition[K] } = { id, closure: closure === 1, dependsOn: decodeValue(deps) as string[] };
      if (parent !== null) a.parent = parent;
      if (spec !== null) a.spec = decodeValue(spec) as Omit<TaskSpec, 'run'>;
      return a;
    });
    const edges = (this.edges.all(row.rid) as [string, Buffer][]).map(([taskId, deps]) => ({ taskId, dependsOn: decodeValue(deps) as string[] }));
    const run = {
      runId: row.id,
      workflow: row.workflow,
      definitionHash: row.definition_hash,
      definition: undefined as unknown as Record<string, string>,
      status: row.status,
      input: row.input === null ? undefined : decodeValue(row.input),
      startedAt: row.started_at,
      tasks,
      added,
      edges,
    };
    // Decoded when asked for: a resume reads it only to name what changed (one key per task).
    let definition: Record<string, string> | undefined;
    Object.defineProperty(run, 'definition', { enumerable: true, get: () => (definition ??= decodeValue(row.definition) as Record<string, string>) });
    return run;
  }
}
