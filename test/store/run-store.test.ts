import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { workflow, type WorkflowEvent } from '../../src/index.js';
import { isWeftError, NonRetryableError } from '../../src/errors.js';
import { openStore } from '../../src/store/open-store.js';
import type { RunStore } from '../../src/store/store-api.js';
import type { RunMeta } from '../../src/store/durable-store.js';
import { tempDir } from '../helpers/temp-dir.js';

const META: RunMeta = { workflow: 'report', definitionHash: 'h1', definition: { a: 'da', b: 'db' }, input: { topic: 'x' } };

let tmp: ReturnType<typeof tempDir>;
let store: RunStore;
beforeEach(() => {
  tmp = tempDir('weft-store-');
  store = openStore({ path: tmp.file('runs.db') });
});
afterEach(() => {
  store.close();
  tmp.remove();
});

const ev = (type: WorkflowEvent['type'], taskId: string | undefined, extra: Partial<WorkflowEvent> = {}): WorkflowEvent =>
  ({ type, time: 1000, runId: 'r1', ...(taskId === undefined ? {} : { taskId, attempt: 1 }), ...extra }) as WorkflowEvent;

describe('openStore', () => {
  it('creates a real SQLite file in WAL mode with incremental auto-vacuum', () => {
    const db = new Database(tmp.file('runs.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    db.close();
  });

  it('reopens its own file', () => {
    store.beginRun('r1', META);
    store.close();
    store = openStore({ path: tmp.file('runs.db') });
    expect(store.runs().map((r) => r.runId)).toEqual(['r1']);
  });
});

describe('beginRun / endRun', () => {
  it('records a new run (undefined) and returns it recorded on the next begin, after endRun', () => {
    expect(store.beginRun('r1', META)).toBeUndefined();
    store.record([ev('run:start', undefined), ev('task:start', 'a', { deadline: 5000 }), ev('task:succeeded', 'a', { output: { n: 1 } }), ev('task:start', 'b')]);
    store.endRun('r1');
    const run = store.beginRun('r1', { ...META, definitionHash: 'changed' });
    expect(run).toMatchObject({ runId: 'r1', workflow: 'report', definitionHash: 'h1', definition: { a: 'da', b: 'db' }, input: { topic: 'x' }, status: 'interrupted' });
    expect(run!.tasks.get('a')).toEqual({ id: 'a', status: 'succeeded', attempts: 1, output: { n: 1 }, startedAt: 1000, endedAt: 1000, deadline: 5000 });
    expect(run!.tasks.get('b')).toMatchObject({ id: 'b', status: 'running', attempts: 1 });
    expect(run!.tasks.get('b')).not.toHaveProperty('endedAt');
  });

  it('reads tasks stopped by one reason back with one error, decoded once (its name, message, code and stack kept)', () => {
    store.beginRun('r1', META);
    const reason = Object.assign(new Error('drained'), { code: 'RUN_INTERRUPTED' });
    const other = new RangeError('own failure');
    store.record([ev('run:start', undefined), ...['a', 'b', 'c'].map((id) => ev('task:cancelled', id, { error: reason })), ev('task:failed', 'd', { error: other })]);
    store.endRun('r1');
    const run = store.beginRun('r1', META)!;
    const a = run.tasks.get('a')!.error as Error & { code: string };
    expect(a).toBeInstanceOf(Error);
    expect([a.message, a.code, a.stack]).toEqual(['drained', 'RUN_INTERRUPTED', reason.stack]);
    expect(run.tasks.get('b')!.error).toBe(a);
    expect(run.tasks.get('c')!.error).toBe(a);
    const d = run.tasks.get('d')!.error as Error;
    expect(d).toBeInstanceOf(RangeError);
    expect([d.message, d.stack]).toEqual(['own failure', other.stack]);
  });

  it('refuses a run this store already holds, and one held by a live other store (RUN_LEASED naming run, file and holder)', () => {
    store.beginRun('r1', META);
    expect(() => store.beginRun('r1', META)).toThrow(/run `r1` .* is held by .*\(this store\)/);
    const other = openStore({ path: tmp.file('runs.db') });
    try {
      let error: unknown;
      try {
        other.beginRun('r1', META);
      } catch (e) {
        error = e;
      }
      expect(isWeftError(error, 'RUN_LEASED')).toBe(true);
      expect((error as Error).message).toContain(tmp.file('runs.db'));
      expect(error).toMatchObject({ runId: 'r1', holder: store.owner });
      store.endRun('r1');
      expect(other.beginRun('r1', META)?.runId).toBe('r1');
    } finally {
      other.close();
    }
  });

  it('takes over a lease whose heartbeat is older than leaseTimeoutMs', () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date', 'setInterval', 'clearInterval'] });
    try {
      const a = openStore({ path: tmp.file('lease.db'), leaseTimeoutMs: 3000 });
      const b = openStore({ path: tmp.file('lease.db'), leaseTimeoutMs: 3000 });
      a.beginRun('r1', META);
      // a's heartbeat timer renews it while time passes...
      vi.advanceTimersByTime(10_000);
      expect(() => b.beginRun('r1', META)).toThrow(/RUN_LEASED|is held by/);
      // ...until a stops renewing (its process froze): then b may take it.
      (a as unknown as { stopTimer(): void }).stopTimer();
      vi.setSystemTime(Date.now() + 3000);
      expect(b.beginRun('r1', META)?.runId).toBe('r1');
      b.close();
      a.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('releases the leases it holds on close', () => {
    store.beginRun('r1', META);
    store.close();
    store = openStore({ path: tmp.file('runs.db') });
    expect(store.beginRun('r1', META)?.status).toBe('interrupted');
  });
});

describe('record', () => {
  it('commits one batch in one transaction: a batch that fails part-way leaves nothing', () => {
    store.beginRun('r1', META);
    const bad = { type: 'task:succeeded', time: 1, runId: 'r1', taskId: 'a', attempt: 1, get output(): unknown { throw new Error('boom'); } } as unknown as WorkflowEvent;
    const added = ev('task:added', 'x', { spec: { id: 'x' }, dependsOn: [] });
    expect(() => store.record([ev('task:start', 'w'), added, ev('dependency:added', 'x', { dependsOn: ['w'] }), bad])).toThrow('boom');
    expect(store.tasks('r1')).toEqual([]);
    expect(store.events('r1')).toEqual([]);
    const db = new Database(tmp.file('runs.db'), { readonly: true });
    expect(db.prepare('SELECT (SELECT count(*) FROM weft_additions) + (SELECT count(*) FROM weft_edges)').pluck().get()).toBe(0);
    db.close();
    store.record([added]);
    expect(store.tasks('r1').map((t) => t.id)).toEqual(['x']);
  });

  it('keeps the last state of each task, with errors round-tripping (name, message, code, cause)', () => {
    store.beginRun('r1', META);
    const cause = new TypeError('root cause');
    store.record([ev('task:start', 'a'), ev('task:retry', 'a', { error: new Error('flaky', { cause }), delayMs: 5 })]);
    expect(store.tasks('r1')[0]).toMatchObject({ status: 'retrying' });
    store.record([ev('task:start', 'a', { attempt: 2 }), ev('task:failed', 'a', { attempt: 2, error: new NonRetryableError('gave up', { cause }) })]);
    const [a] = store.tasks('r1');
    expect(a).toMatchObject({ status: 'failed', attempts: 2 });
    const error = a.error as Error & { code: string; cause: Error };
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.message, error.code]).toEqual(['NonRetryableError', 'gave up', 'NON_RETRYABLE']);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.cause.message).toBe('root cause');
  });

  it('records suspension (reason, payload) and resumption', () => {
    store.beginRun('r1', META);
    store.record([ev('task:start', 'a'), ev('task:suspended', 'a', { reason: 'approve', payload: { amount: 3 } })]);
    expect(store.tasks('r1')[0]).toMatchObject({ status: 'suspended', suspended: { reason: 'approve', payload: { amount: 3 } } });
    store.record([ev('task:resumed', 'a')]);
    const [a] = store.tasks('r1');
    expect(a.status).toBe('running');
    expect(a).not.toHaveProperty('suspended');
  });

  it('records a run of the engine end to end, including run:end', async () => {
    const wf = workflow({ name: 'report', recorders: [store] });
    wf.task({ id: 'plan', run: () => ['a', 'b'] });
    wf.task({ id: 'write', dependsOn: ['plan'], run: (input) => (input.plan as string[]).join('+') });
    store.beginRun('e2e', { ...META, input: undefined });
    const result = await wf.run({ runId: 'e2e' });
    store.endRun('e2e');
    expect(result.status).toBe('succeeded');
    expect(store.runs()[0]).toMatchObject({ runId: 'e2e', status: 'succeeded', tasks: 2 });
    expect(store.tasks('e2e').map((t) => [t.id, t.status, t.output])).toEqual([['plan', 'succeeded', ['a', 'b']], ['write', 'succeeded', 'a+b']]);
    const types = store.events('e2e').map((e) => e.type);
    expect(types[0]).toBe('run:start');
    expect(types.at(-1)).toBe('run:end');
    expect(types.filter((t) => t === 'task:succeeded')).toHaveLength(2);
  });

  it('records a run it was not begun for (a plain recorder)', () => {
    store.record([{ type: 'run:start', time: 7, runId: 'loose' }, { type: 'task:start', time: 8, runId: 'loose', taskId: 'a', attempt: 1 }]);
    expect(store.runs()[0]).toMatchObject({ runId: 'loose', workflow: '', status: 'running', startedAt: 7, tasks: 1 });
  });
});

describe('closed and read-only stores', () => {
  it('close is idempotent; use after close is INVALID_STATE', () => {
    store.close();
    store.close();
    expect(() => store.record([ev('run:start', undefined)])).toThrow(/closed/);
  });

  it('a read-only store answers queries and refuses writes', () => {
    store.beginRun('r1', META);
    store.endRun('r1');
    const ro = openStore({ path: tmp.file('runs.db'), readonly: true });
    expect(ro.runs()).toHaveLength(1);
    expect(() => ro.beginRun('r2', META)).toThrow(/read-only/);
    ro.close();
  });
});
