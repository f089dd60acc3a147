import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../src/index.js';
import { taskSelect, type TaskQuery } from '../../src/store/queries.js';
import { openStore } from '../../src/store/open-store.js';
import type { RunStore } from '../../src/store/store-api.js';
import { tempDir } from '../helpers/temp-dir.js';

let tmp: ReturnType<typeof tempDir>;
let store: RunStore;

beforeAll(() => {
  tmp = tempDir('weft-store-queries-');
  store = openStore({ path: tmp.file('q.db') });
  const runs: [string, string, 'succeeded' | 'failed' | undefined][] = [['a1', 'alpha', 'succeeded'], ['a2', 'alpha', 'failed'], ['b1', 'beta', undefined]];
  runs.forEach(([runId, workflow, status], k) => {
    store.beginRun(runId, { workflow, definitionHash: 'h', definition: {}, input: undefined });
    const batch: WorkflowEvent[] = [];
    for (let i = 0; i < 30; i++) {
      const taskId = `t${String(i).padStart(2, '0')}`;
      const agent = i % 3 === 0 ? 'writer' : undefined;
      if (i >= 20) batch.push({ type: 'task:added', time: 1, runId, taskId, attempt: 0, parent: 't00', spec: { id: taskId }, dependsOn: [] });
      batch.push({ type: 'task:start', time: 1, runId, taskId, attempt: 1, agent });
      batch.push(i % 5 === 4 ? { type: 'task:failed', time: 2, runId, taskId, attempt: 1, agent, error: new Error('no') } : { type: 'task:succeeded', time: 2, runId, taskId, attempt: 1, agent, output: i });
    }
    if (status !== undefined) batch.push({ type: 'run:end', time: 3, runId, status });
    store.record(batch);
    if (status !== undefined) store.endRun(runId);
    // Distinct start times: runs list newest first.
    (store as unknown as { db: Database.Database }).db.prepare('UPDATE weft_runs SET started_at = ? WHERE id = ?').run(1000 + k, runId);
  });
});
afterAll(() => {
  store.close();
  tmp.remove();
});

describe('store.runs', () => {
  it('lists runs newest first with their task counts', () => {
    expect(store.runs().map((r) => [r.runId, r.workflow, r.status, r.tasks])).toEqual([
      ['b1', 'beta', 'running', 30],
      ['a2', 'alpha', 'failed', 30],
      ['a1', 'alpha', 'succeeded', 30],
    ]);
    expect(store.runs()[0].leaseOwner).toBe(store.owner);
    expect(store.runs()[1]).not.toHaveProperty('leaseOwner');
  });

  it('filters by status and workflow, and pages', () => {
    expect(store.runs({ workflow: 'alpha' }).map((r) => r.runId)).toEqual(['a2', 'a1']);
    expect(store.runs({ status: 'failed' }).map((r) => r.runId)).toEqual(['a2']);
    expect(store.runs({ limit: 1, offset: 1 }).map((r) => r.runId)).toEqual(['a2']);
    expect(store.runs({ workflow: 'none' })).toEqual([]);
  });

  it('looks one run up by id, with the other filters', () => {
    expect(store.runs({ runId: 'a2' }).map((r) => [r.runId, r.status, r.tasks])).toEqual([['a2', 'failed', 30]]);
    expect(store.runs({ runId: 'a2', status: 'succeeded' })).toEqual([]);
    expect(store.runs({ runId: 'none' })).toEqual([]);
  });

  it('validates its query', () => {
    expect(() => store.runs({ status: 'done' as never })).toThrow("Expected `status` to be one of 'running', 'succeeded', 'failed', 'cancelled', 'interrupted', got `\"done\"` (string)");
    expect(() => store.runs({ limit: 0 })).toThrow('Expected `limit` to be an integer >= 1, got `0` (number)');
    expect(() => store.runs({ offset: -1 })).toThrow('Expected `offset` to be an integer >= 0, got `-1` (number)');
    expect(() => store.runs({ runId: 7 as never })).toThrow('Expected `runId` to be a string, got `7` (number)');
  });
});

describe('store.tasks', () => {
  it('pages a run\'s tasks in id order (100 by default)', () => {
    expect(store.tasks('a1')).toHaveLength(30);
    expect(store.tasks('a1', { limit: 3, offset: 2 }).map((t) => t.id)).toEqual(['t02', 't03', 't04']);
  });

  it('filters by status, parent and agent (combined)', () => {
    expect(store.tasks('a1', { status: 'failed' }).map((t) => t.id)).toEqual(['t04', 't09', 't14', 't19', 't24', 't29']);
    expect(store.tasks('a1', { parent: 't00' }).map((t) => t.id)).toEqual(['t20', 't21', 't22', 't23', 't24', 't25', 't26', 't27', 't28', 't29']);
    expect(store.tasks('a1', { agent: 'writer', status: 'succeeded' }).map((t) => t.id)).toEqual(['t00', 't03', 't06', 't12', 't15', 't18', 't21', 't27']);
    expect(store.tasks('a1', { agent: 'writer', parent: 't00', status: 'failed' }).map((t) => t.id)).toEqual(['t24']);
  });

  it('returns the decoded output and error', () => {
    const [t03] = store.tasks('a1', { offset: 3, limit: 1 });
    expect(t03).toMatchObject({ id: 't03', status: 'succeeded', output: 3, agent: 'writer' });
    expect((store.tasks('a1', { status: 'failed', limit: 1 })[0].error as Error).message).toBe('no');
  });

  it('uses the indexes for its filters', () => {
    const db = (store as unknown as { db: Database.Database }).db;
    const plan = (query: TaskQuery) => {
      const { sql, args } = taskSelect(1, query);
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
    };
    expect(plan({ status: 'failed' })).toMatch(/weft_tasks_status/);
    expect(plan({ parent: 't00' })).toMatch(/weft_tasks_parent/);
    expect(plan({ agent: 'writer' })).toMatch(/weft_tasks_agent/);
    // Succeeded tasks are left out of the status index: the primary key's run prefix serves them.
    expect(plan({ status: 'succeeded' })).toMatch(/USING PRIMARY KEY \(run=\?\)/);
  });

  it('an unknown run: RUN_NOT_FOUND naming the run and the file', () => {
    expect(() => store.tasks('zz')).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND', runId: 'zz', message: `run \`zz\` is not recorded in ${tmp.file('q.db')}` }));
    expect(() => store.events('zz')).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));
  });

  it('validates its query', () => {
    expect(() => store.tasks('a1', { status: 'done' as never })).toThrow(/Expected `status` to be one of 'pending'/);
    expect(() => store.tasks('a1', { parent: 3 as never })).toThrow('Expected `parent` to be a string, got `3` (number)');
    expect(() => store.tasks('', {})).toThrow('Expected `runId` to be a non-empty string, got `""` (string)');
  });
});

describe('store.events', () => {
  it('reads the log back in order, paged', () => {
    const all = store.events('a2');
    expect(all).toHaveLength(30 * 2 + 10 + 1);
    expect(all.at(-1)).toMatchObject({ type: 'run:end', status: 'failed', runId: 'a2', time: 3 });
    expect(store.events('a2', { offset: 1, limit: 2 })).toEqual(all.slice(1, 3));
  });
});

describe('store.dependencies', () => {
  it('keeps a definition\'s dependencies once, however many runs share it, and gives them back per run', () => {
    const dependencies = { write: ['plan'], check: ['plan', 'write'] };
    const graph = { plan: [], write: ['plan'], check: ['plan', 'write'] };
    for (const runId of ['d1', 'd2']) {
      store.beginRun(runId, { workflow: 'deps', definitionHash: 'hd', definition: { plan: 'x', write: 'y', check: 'z' }, dependencies, input: undefined });
      store.endRun(runId);
    }
    expect(store.dependencies('d1')).toEqual(graph);
    expect(Object.keys(store.dependencies('d2'))).toEqual(['plan', 'write', 'check']); // definition order
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.prepare("SELECT count(*) FROM weft_definitions WHERE hash = 'hd'").pluck().get()).toBe(1);
  });

  it('a run begun without a definition or dependencies (a plain recorder\'s) has none; an unknown run: RUN_NOT_FOUND', () => {
    expect(store.dependencies('a1')).toEqual({});
    store.beginRun('v1-like', { workflow: 'w', definitionHash: 'hv', definition: { x: '1', y: '2' }, input: undefined });
    store.endRun('v1-like');
    expect(store.dependencies('v1-like')).toEqual({ x: [], y: [] });
    expect(() => store.dependencies('none')).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));
  });
});
