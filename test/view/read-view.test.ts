import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWeftError, openStore, workflow, type RunStore, type WorkflowEvent } from '../../src/index.js';
import { ViewReader } from '../../src/view/read-view.js';
import { tempDir } from '../helpers/temp-dir.js';

// The viewer's reads on a real store file, opened read-only as the viewer opens it.
const tmp = tempDir('weft-read-view-');
const db = tmp.file('runs.db');
const meta = { workflow: 'bulk', definitionHash: 'h', definition: {}, input: undefined };
let store: RunStore;

beforeAll(() => {
  const writer = openStore({ path: db });
  for (const runId of ['old', 'middle', 'big']) {
    writer.beginRun(runId, meta);
    const t0 = Date.now();
    const n = runId === 'big' ? 2500 : 2;
    const batch: WorkflowEvent[] = [{ type: 'run:start', time: t0, runId }];
    for (let i = 0; i < n; i++) {
      const taskId = `t${String(i).padStart(5, '0')}`;
      batch.push({ type: 'task:start', time: t0 + i, runId, taskId, attempt: 1 }, { type: 'task:succeeded', time: t0 + i + 0.5, runId, taskId, attempt: 1, output: i });
    }
    batch.push({ type: 'run:end', time: t0 + n, runId, status: 'succeeded' });
    writer.record(batch);
    writer.endRun(runId);
  }
  writer.close();
  store = openStore({ path: db, readonly: true });
});

afterAll(() => {
  store.close();
  tmp.remove();
});

describe('ViewReader', () => {
  it('lists the newest runs, up to maxRuns', () => {
    const reader = new ViewReader(store, { maxRuns: 2, maxTasks: 10, maxEvents: 10 });
    const { path, runs } = reader.runs();
    expect(path).toBe(db);
    expect(runs.map((r) => r.runId)).toEqual(['big', 'middle']);
  });

  it('reads a run’s tasks page by page up to maxTasks, and every attempt for the Gantt chart', () => {
    const reader = new ViewReader(store, { maxRuns: 10, maxTasks: 2200, maxEvents: 5 });
    const view = reader.run('big');
    expect(view.run.tasks).toBe(2500);
    expect(view.tasks).toHaveLength(2200);
    expect(view.tasks.at(-1)!.id).toBe('t02199');
    expect(view.bars).toHaveLength(2500);
    expect(view.events).toHaveLength(5);
    expect(view.eventsTotal).toBe(5002);
    expect(new ViewReader(store, { maxRuns: 10, maxTasks: 5000, maxEvents: 5 }).run('big').tasks).toHaveLength(2500);
  });

  it('finds the row of a run that is not in the list it was given', () => {
    const reader = new ViewReader(store, { maxRuns: 1, maxTasks: 10, maxEvents: 0 });
    const listed = reader.runs().runs;
    expect(listed.map((r) => r.runId)).toEqual(['big']);
    expect(reader.run('old', listed).run).toMatchObject({ runId: 'old', workflow: 'bulk', status: 'succeeded', tasks: 2 });
  });

  it('throws RUN_NOT_FOUND for a run the store does not hold', () => {
    const reader = new ViewReader(store, { maxRuns: 1, maxTasks: 10, maxEvents: 0 });
    let error: unknown;
    try {
      reader.run('nope');
    } catch (e) {
      error = e;
    }
    expect(isWeftError(error, 'RUN_NOT_FOUND')).toBe(true);
  });
});

describe('ViewReader on a run of workflow({ store })', () => {
  it('draws the workflow\'s defined dependencies, which the store keeps once per definition', async () => {
    const path = tmp.file('defined.db');
    const writer = openStore({ path });
    const wf = workflow({ name: 'diamond', store: writer });
    wf.task({ id: 'a', run: () => 1 });
    wf.task({ id: 'b', dependsOn: ['a'], run: () => 2 });
    wf.task({ id: 'c', dependsOn: ['a'], run: (_input, ctx) => ctx.addTask({ id: 'e', run: () => 5 }) });
    wf.task({ id: 'd', dependsOn: ['b', 'c'], run: () => 4 });
    await wf.run({ runId: 'diamond-1' });
    writer.close();
    const readonly = openStore({ path, readonly: true });
    try {
      const view = new ViewReader(readonly, { maxRuns: 10, maxTasks: 10, maxEvents: 0 }).run('diamond-1');
      expect(view.run).toMatchObject({ runId: 'diamond-1', workflow: 'diamond', status: 'succeeded', tasks: 5 });
      expect(view.edges.map(([from, to]) => `${from}>${to}`).sort()).toEqual(['a>b', 'a>c', 'b>d', 'c>d', 'c>e']);
    } finally {
      readonly.close();
    }
  });

  it('shows defined tasks that have no row yet as pending, with their edges', async () => {
    const path = tmp.file('pending.db');
    const writer = openStore({ path });
    // The store records after the workflow's own recorders, in the same synchronous loop: once
    // this one has seen the suspension, the store has committed it when the await returns.
    let suspended!: () => void;
    const seen = new Promise<void>((resolve) => (suspended = resolve));
    const wf = workflow({ name: 'blocked', store: writer, recorders: [{ record: (batch) => batch.some((e) => e.type === 'task:suspended') && suspended() }] });
    wf.task({ id: 'ask', run: (_input, ctx) => ctx.suspend('approve') });
    wf.task({ id: 'act', dependsOn: ['ask'], run: () => 1 });
    wf.task({ id: 'tell', dependsOn: ['act'], run: () => 2 });
    const handle = wf.start({ runId: 'blocked-1' });
    await seen;
    const readonly = openStore({ path, readonly: true });
    try {
      const view = new ViewReader(readonly, { maxRuns: 10, maxTasks: 10, maxEvents: 0 }).run('blocked-1');
      expect(view.run.tasks).toBe(1); // only 'ask' has a row
      expect(view.tasks.map((t) => [t.id, t.status, t.attempts])).toEqual([
        ['act', 'pending', 0],
        ['ask', 'suspended', 1],
        ['tell', 'pending', 0],
      ]);
      expect(view.edges).toEqual([
        ['ask', 'act'],
        ['act', 'tell'],
      ]);
      // A limit below the rows recorded adds nothing (rows past the limit are unknown to the reader).
      expect(new ViewReader(readonly, { maxRuns: 10, maxTasks: 1, maxEvents: 0 }).run('blocked-1').tasks.map((t) => t.id)).toEqual(['ask']);
    } finally {
      readonly.close();
      handle.cancel();
      await handle.result;
      writer.close();
    }
  });
});
