// A DurableStore kept in memory, for the engine's unit tests: it records event batches and folds
// them into the RecordedRun a resume gets, so a test can "crash" a run after any batch (keep the
// batches up to there) and resume it in a fresh workflow. Transactions run on a real SQLite
// connection (better-sqlite3, in memory), with their journal row in the same transaction. The
// real store (openStore) is tested against SQLite files in test/store.
import Database from 'better-sqlite3';
import type { DurableStore, RecordedAddition, RecordedRun, RecordedTask, RunMeta } from '../../src/store/durable-store.js';
import type { TaskSpec, TaskStatus, WorkflowEvent } from '../../src/workflow/types.js';

const STATUS: Partial<Record<WorkflowEvent['type'], TaskStatus>> = {
  'task:ready': 'ready',
  'task:start': 'running',
  'task:retry': 'retrying',
  'task:suspended': 'suspended',
  'task:resumed': 'ready',
  'task:succeeded': 'succeeded',
  'task:failed': 'failed',
  'task:skipped': 'skipped',
  'task:cancelled': 'cancelled',
};

/** Errors as a store keeps them: plain data with name, message and code. */
function plain(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const e = error as { name?: string; message?: string; code?: string };
  return { name: e.name, message: e.message, code: e.code };
}

/** Folds recorded batches into the RecordedRun a store returns from beginRun. */
export function foldRun(runId: string, meta: RunMeta, batches: readonly (readonly WorkflowEvent[])[]): RecordedRun {
  const tasks = new Map<string, RecordedTask>();
  const added: RecordedAddition[] = [];
  const edges: { taskId: string; dependsOn: readonly string[] }[] = [];
  let status: RecordedRun['status'] = 'running';
  for (const e of batches.flat()) {
    if (e.type === 'run:end') status = e.status!;
    if (e.type === 'run:start') status = 'running';
    if (e.taskId === undefined) continue;
    const prev: RecordedTask = tasks.get(e.taskId) ?? { id: e.taskId, status: 'pending', attempts: 0 };
    if (e.type === 'task:added') {
      const { run, ...data } = e.spec as TaskSpec;
      const closure = run !== undefined && data.agent === undefined && data.worker === undefined;
      added.push({ id: e.taskId, parent: e.parent, spec: closure ? undefined : data, closure, dependsOn: e.dependsOn ?? [] });
      tasks.set(e.taskId, { ...prev, parent: e.parent });
      continue;
    }
    if (e.type === 'dependency:added') edges.push({ taskId: e.taskId, dependsOn: e.dependsOn ?? [] });
    const next = STATUS[e.type];
    if (next === undefined) continue;
    tasks.set(e.taskId, {
      ...prev,
      status: next,
      attempts: e.attempt ?? prev.attempts,
      ...(e.type === 'task:start' && { startedAt: e.time, deadline: e.deadline }),
      ...(e.type === 'task:succeeded' && { output: e.output, endedAt: e.time }),
      ...(e.error !== undefined && next !== 'retrying' && { error: plain(e.error), endedAt: e.time }),
      ...(e.type === 'task:suspended' ? { suspended: { reason: e.reason!, payload: e.payload } } : { suspended: undefined }),
    });
  }
  return { runId, workflow: meta.workflow, definitionHash: meta.definitionHash, definition: meta.definition, status, input: meta.input, startedAt: 0, tasks, added, edges };
}

/** A store in memory (see the file's comment). */
export interface MemoryDurableStore extends DurableStore {
  /** Every batch recorded, by run. */
  readonly batches: Map<string, WorkflowEvent[][]>;
  /** The meta each run began with. */
  readonly metas: Map<string, RunMeta>;
  readonly journal: Map<string, unknown>;
  readonly db: Database.Database;
  /** Runs that began and have not ended (their lease is held). */
  readonly leased: Set<string>;
  readonly calls: string[];
}

/** Opens a store in memory; `recorded` answers beginRun for the runs it names (a crashed run handed over as data). */
export function memoryDurableStore(recorded: ReadonlyMap<string, RecordedRun> = new Map()): MemoryDurableStore {
  const batches = new Map<string, WorkflowEvent[][]>();
  const metas = new Map<string, RunMeta>();
  const journal = new Map<string, unknown>();
  const leased = new Set<string>();
  const calls: string[] = [];
  const db = new Database(':memory:');
  db.exec('CREATE TABLE journal (k TEXT PRIMARY KEY, v TEXT)');
  const key = (runId: string, taskId: string, k: string): string => `${runId}/${taskId}/${k}`;
  return {
    path: ':memory:',
    batches,
    metas,
    journal,
    db,
    leased,
    calls,
    record(batch) {
      const runId = batch[0].runId;
      batches.set(runId, [...(batches.get(runId) ?? []), [...batch]]);
    },
    beginRun(runId, meta) {
      calls.push(`begin ${runId}`);
      if (leased.has(runId)) throw new Error(`run ${runId} is leased`);
      leased.add(runId);
      const given = recorded.get(runId);
      const known = metas.get(runId);
      if (known === undefined) metas.set(runId, meta);
      if (given !== undefined) return given;
      return known === undefined ? undefined : foldRun(runId, known, batches.get(runId) ?? []);
    },
    endRun(runId) {
      calls.push(`end ${runId}`);
      leased.delete(runId);
    },
    readStep(runId, taskId, k) {
      const id = key(runId, taskId, k);
      if (journal.has(id)) return { value: journal.get(id) };
      const row = db.prepare('SELECT v FROM journal WHERE k = ?').get(id) as { v: string } | undefined;
      return row === undefined ? undefined : { value: JSON.parse(row.v) };
    },
    writeStep(runId, taskId, k, value) {
      journal.set(key(runId, taskId, k), value);
    },
    transaction(runId, taskId, k, fn) {
      const id = key(runId, taskId, k);
      return db.transaction(() => {
        const row = db.prepare('SELECT v FROM journal WHERE k = ?').get(id) as { v: string } | undefined;
        if (row !== undefined) return JSON.parse(row.v);
        const value = fn(db);
        db.prepare('INSERT INTO journal (k, v) VALUES (?, ?)').run(id, JSON.stringify(value ?? null));
        return value;
      })();
    },
    close() {
      if (db.open) db.close();
    },
  };
}

/** The recorded run of `runId` as it stood after its first `upTo` batches (a crash there). */
export function crashedAt(store: MemoryDurableStore, runId: string, upTo: number): RecordedRun {
  return foldRun(runId, store.metas.get(runId)!, store.batches.get(runId)!.slice(0, upTo));
}
