import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../src/index.js';
import { isWeftError } from '../../src/errors.js';
import { openStore } from '../../src/store/open-store.js';
import type { RunStore } from '../../src/store/store-api.js';
import { tempDir } from '../helpers/temp-dir.js';

let tmp: ReturnType<typeof tempDir>;
let store: RunStore;
beforeEach(() => {
  tmp = tempDir('weft-store-writer-');
  store = openStore({ path: tmp.file('w.db') });
  store.beginRun('r', { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined });
});
afterEach(() => {
  store.close();
  tmp.remove();
});

let clock = 0;
const ev = (type: WorkflowEvent['type'], taskId: string, extra: Partial<WorkflowEvent> = {}): WorkflowEvent =>
  ({ type, time: ++clock, runId: 'r', taskId, attempt: 1, ...extra }) as WorkflowEvent;

function changes(fn: () => void): number {
  // total_changes counts the rows each statement of this connection inserted or updated.
  const db = (store as unknown as { db: Database.Database }).db;
  const before = db.prepare('SELECT total_changes()').pluck().get() as number;
  fn();
  return (db.prepare('SELECT total_changes()').pluck().get() as number) - before;
}

describe('BatchWriter (through record)', () => {
  it('writes a task once per batch: ready + start + succeeded in one tick is one row write', () => {
    const store2 = openStore({ path: tmp.file('quiet.db'), events: false });
    store2.beginRun('r', { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined });
    const db = (store2 as unknown as { db: Database.Database }).db;
    const before = db.prepare('SELECT total_changes()').pluck().get() as number;
    store2.record([ev('task:ready', 'a'), ev('task:start', 'a'), ev('task:succeeded', 'a', { output: 1 }), ev('task:heartbeat', 'b')]);
    const after = db.prepare('SELECT total_changes()').pluck().get() as number;
    // One task row plus the lease renewal of the commit.
    expect(after - before).toBeLessThanOrEqual(2);
    expect(store2.tasks('r')).toMatchObject([{ id: 'a', status: 'succeeded', output: 1 }]);
    store2.close();
  });

  it('rows another connection wrote behind its back, and tasks whose first event in a batch is not their first: right rows all the same', () => {
    const db = (store as unknown as { db: Database.Database }).db;
    const rid = db.prepare("SELECT rid FROM weft_runs WHERE id = 'r'").pluck().get() as number;
    store.record([ev('task:start', 'seen')]); // the cursor exists now: rows added below are unknown to it
    const other = new Database(tmp.file('w.db'));
    const insert = other.prepare("INSERT INTO weft_tasks (run, id, status, attempts, agent) VALUES (?, ?, 'running', 1, 'x')");
    for (let i = 0; i < 40; i++) insert.run(rid, `t${String(i).padStart(2, '0')}`);
    other.close();
    // 40 starts the writer takes for new rows (a chunk of 32 conflicts), then ends with no row yet (it takes them for updates).
    store.record([...Array(40).keys()].map((i) => ev('task:start', `t${String(i).padStart(2, '0')}`, { attempt: 1 })));
    store.record([ev('task:succeeded', 'late', { output: 5 }), ev('task:retry', 'late2', { error: new Error('x') }), ev('task:succeeded', 'seen', { output: 1 })]);
    const tasks = new Map(store.tasks('r', { limit: 1000 }).map((t) => [t.id, t]));
    expect(tasks.size).toBe(43);
    for (let i = 0; i < 40; i++) expect(tasks.get(`t${String(i).padStart(2, '0')}`)).toMatchObject({ status: 'running', attempts: 1, agent: 'x' });
    expect(tasks.get('late')).toMatchObject({ status: 'succeeded', output: 5 });
    expect(tasks.get('late2')).toMatchObject({ status: 'retrying', error: { message: 'x' } });
    expect(tasks.get('seen')).toMatchObject({ status: 'succeeded', output: 1 });
    expect(tasks.get('seen')!.startedAt).toBeGreaterThan(0);
  });

  it('task:ready and heartbeats alone write no task row', () => {
    store.record([ev('task:ready', 'a'), ev('task:heartbeat', 'a', { progress: 0.5 })]);
    expect(store.tasks('r')).toEqual([]);
    expect(store.events('r').map((e) => e.type)).toEqual(['task:ready', 'task:heartbeat']);
    expect(store.events('r')[1]).toMatchObject({ progress: 0.5 });
    expect(changes(() => store.record([ev('task:ready', 'c')]))).toBeLessThanOrEqual(2);
  });

  it('a later batch keeps the columns it does not touch (started_at, parent, agent)', () => {
    store.record([ev('task:added', 'kid', { parent: 'boss', spec: { id: 'kid', agent: 'writer', input: { a: 1 } }, dependsOn: [] })]);
    store.record([ev('task:start', 'kid', { agent: 'writer' })]);
    const started = store.tasks('r')[0].startedAt;
    store.record([ev('task:succeeded', 'kid', { output: 'done' })]);
    expect(store.tasks('r')[0]).toMatchObject({ id: 'kid', status: 'succeeded', parent: 'boss', agent: 'writer', startedAt: started, output: 'done' });
  });

  it('a re-recorded task:added (a resume re-adding it) neither duplicates the addition nor resets the task', () => {
    const added = ev('task:added', 'kid', { parent: 'boss', spec: { id: 'kid', agent: 'writer' }, dependsOn: ['boss'] });
    store.record([added, ev('task:start', 'kid'), ev('task:succeeded', 'kid', { output: 5 })]);
    store.record([added]);
    expect(store.tasks('r')[0]).toMatchObject({ status: 'succeeded', output: 5 });
    store.endRun('r');
    const run = store.beginRun('r', { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined })!;
    expect(run.added).toEqual([{ id: 'kid', parent: 'boss', closure: false, spec: { id: 'kid', agent: 'writer' }, dependsOn: ['boss'] }]);
  });

  it('an added closure is flagged `closure: true` without a spec; agent tasks and worker tasks are data', () => {
    store.record([
      ev('task:added', 'c', { spec: { id: 'c', run: () => 1 }, dependsOn: [] }),
      ev('task:added', 'ag', { spec: { id: 'ag', agent: 'a', input: 1, run: () => 1 }, dependsOn: [] }),
      ev('task:added', 'wk', { spec: { id: 'wk', worker: { module: 'file:///w.js' } }, dependsOn: [] }),
      ev('task:added', 'fn', { spec: { id: 'fn', worker: { module: 'file:///w.js' }, retry: { retryOn: () => true } }, dependsOn: [] }),
      ev('dependency:added', 'c', { dependsOn: ['ag'] }),
    ]);
    store.endRun('r');
    const run = store.beginRun('r', { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined })!;
    expect(run.added.map((a) => [a.id, a.closure, a.spec === undefined])).toEqual([['c', true, true], ['ag', false, false], ['wk', false, false], ['fn', true, true]]);
    expect(run.added[1].spec).toEqual({ id: 'ag', agent: 'a', input: 1 });
    expect(run.edges).toEqual([{ taskId: 'c', dependsOn: ['ag'] }]);
    expect([...run.tasks.keys()].sort()).toEqual(['ag', 'c', 'fn', 'wk']);
    expect(run.tasks.get('c')?.status).toBe('pending');
  });

  it('an output that cannot be encoded: the task is recorded as succeeded with a STORE_ENCODE error and no output; the batch commits', () => {
    store.record([ev('task:succeeded', 'f', { output: { handler: () => 1 } }), ev('task:succeeded', 'g', { output: 2 })]);
    const [f, g] = store.tasks('r');
    expect(f.status).toBe('succeeded');
    expect(f).not.toHaveProperty('output');
    expect(isWeftError(f.error, 'STORE_ENCODE')).toBe(true);
    expect((f.error as Error).message).toMatch(/run `r` task `f`: the output cannot be stored: cannot encode a function \(handler\) at \$\.handler/);
    expect(g.output).toBe(2);
  });

  it('a reopened task (start after failed) loses its end time and output; failures keep the error; skipped tasks get a row', () => {
    store.record([ev('task:start', 'a'), ev('task:failed', 'a', { error: new Error('x') })]);
    store.record([ev('task:skipped', 'b', { error: new Error('dep a failed'), attempt: 0 })]);
    store.record([ev('task:start', 'a', { attempt: 1 })]);
    const [a, b] = store.tasks('r');
    expect(a.status).toBe('running');
    expect(a).not.toHaveProperty('endedAt');
    expect((a.error as Error).message).toBe('x');
    expect(b).toMatchObject({ status: 'skipped', attempts: 0 });
  });

  it('run:end sets the run status and end time; run:start (a resume) sets it back to running', () => {
    store.record([{ type: 'run:end', time: 99, runId: 'r', status: 'cancelled' }]);
    expect(store.runs()[0]).toMatchObject({ status: 'cancelled', endedAt: 99 });
    store.record([{ type: 'run:start', time: 100, runId: 'r' }]);
    expect(store.runs()[0].status).toBe('running');
    expect(store.runs()[0]).not.toHaveProperty('endedAt');
  });
});
