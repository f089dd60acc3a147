// The run handle's read side (task states, snapshot, suspended, metrics, timeline, Mermaid) and
// event delivery details, through the public API only.
import { describe, expect, it } from 'vitest';
import { workflow, type WorkflowEvent } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

describe('task states while a run goes on', () => {
  it('show exactly the fields each status has', async () => {
    const gate = deferred<string>();
    const h = workflow({ concurrency: 1 })
      .task({ id: 'bad', priority: 3, run: () => { throw new Error('boom'); } })
      .task({ id: 'skip', dependsOn: ['bad'], run: () => 1 })
      .task({ id: 'slow', priority: 2, run: () => gate.promise })
      .task({ id: 'later', priority: 1, run: () => 'l' })
      .task({ id: 'after', dependsOn: ['slow'], run: () => 'a' })
      .start({ runId: 'states' });
    expect(h.runId).toBe('states');
    expect(h.settled).toBe(false);
    await until((t, fn) => h.on(t, fn), () => h.task('slow')!.status === 'running');
    const bad = h.task('bad')!;
    expect(bad).toMatchObject({ id: 'bad', status: 'failed', attempts: 1 });
    expect((bad.error as Error).message).toBe('boom');
    expect(bad.endedAt! >= bad.startedAt!).toBe(true);
    expect('output' in bad).toBe(false);
    const skip = h.task('skip')!;
    expect(skip).toMatchObject({ status: 'skipped', attempts: 0 });
    expect(Object.keys(skip).sort()).toEqual(['attempts', 'endedAt', 'error', 'id', 'status']);
    const slow = h.task('slow')!;
    expect(Object.keys(slow).sort()).toEqual(['attempts', 'id', 'startedAt', 'status']);
    expect(Object.keys(h.task('later')!).sort()).toEqual(['attempts', 'id', 'status']);
    expect(h.task('later')!.status).toBe('ready');
    expect(h.task('after')!.status).toBe('pending');
    expect(h.task('nope')).toBeUndefined();
    expect(h.snapshot().map((t) => t.status)).toEqual(['failed', 'skipped', 'running', 'ready', 'pending']);
    expect(h.metrics()).toMatchObject({ running: 1, unfinished: 3 });
    expect(h.metrics().events).toEqual({ 'run:start': 1, 'task:ready': 3, 'task:start': 2, 'task:failed': 1, 'task:skipped': 1 });
    gate.resolve('s');
    const result = await h.result;
    expect(h.settled).toBe(true);
    expect(result.output('slow')).toBe('s');
    expect(result.output('bad')).toBeUndefined();
    expect(result.output('skip')).toBeUndefined();
    expect(result.output('nope')).toBeUndefined();
    expect(result.task('nope')).toBeUndefined();
    expect(result.counts).toEqual({ pending: 0, ready: 0, running: 0, retrying: 0, suspended: 0, succeeded: 3, failed: 1, skipped: 1, cancelled: 0 });
    expect(result.tasks).toBe(result.tasks);
    expect(result.durationMs).toBeCloseTo(result.endedAt - result.startedAt, 2);
    expect(result.tasks.every((t) => t.endedAt! <= result.endedAt)).toBe(true);
  });

  it('list suspended tasks until resumed', async () => {
    const h = workflow()
      .task({ id: 'a', run: (_, ctx) => ctx.suspend('a?') })
      .task({ id: 'b', run: (_, ctx) => ctx.suspend('b?') })
      .task({ id: 'c', run: () => 'c' })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.suspended().length === 2);
    expect(h.suspended()).toEqual(['a', 'b']);
    expect(h.metrics().running).toBe(0);
    h.resume('b', 'B');
    await until((t, fn) => h.on(t, fn), () => h.task('b')!.status === 'succeeded');
    expect(h.suspended()).toEqual(['a']);
    expect(() => h.resume('b')).toThrow('cannot resume task `b`: it is succeeded, not suspended');
    h.resume('a', 'A');
    const result = await h.result;
    expect([result.output('a'), result.output('b')]).toEqual(['A', 'B']);
    expect(h.suspended()).toEqual([]);
  });
});

describe('timeline', () => {
  it('places finished tasks on the lowest free lane, in start order', async () => {
    const gates = { a: deferred(), b: deferred(), c: deferred() };
    const h = workflow({ concurrency: 2 })
      .task({ id: 'a', priority: 3, run: () => gates.a.promise })
      .task({ id: 'b', priority: 2, run: () => gates.b.promise })
      .task({ id: 'c', priority: 1, run: () => gates.c.promise })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('b')!.status === 'running');
    expect(h.timeline().entries).toEqual([]);
    gates.a.resolve();
    await until((t, fn) => h.on(t, fn), () => h.task('c')!.status === 'running');
    gates.c.resolve();
    await until((t, fn) => h.on(t, fn), () => h.task('c')!.status === 'succeeded');
    gates.b.resolve();
    const result = await h.result;
    const tl = h.timeline();
    expect(tl.runId).toBe(result.runId);
    expect(tl.lanes).toBe(2);
    expect(tl.entries.map((e) => [e.id, e.lane, e.status])).toEqual([['a', 0, 'succeeded'], ['b', 1, 'succeeded'], ['c', 0, 'succeeded']]);
    const [a, b, c] = tl.entries;
    expect(a.start).toBeGreaterThanOrEqual(0);
    expect(a.end).toBeLessThanOrEqual(c.start);
    expect(c.end).toBeLessThanOrEqual(b.end);
    expect(tl.durationMs).toBeCloseTo(result.durationMs, 6);
    expect(b.end).toBeLessThanOrEqual(tl.durationMs);
  });

  it('one lane for a chain', async () => {
    const h = workflow()
      .task({ id: 'x', run: async () => 1 })
      .task({ id: 'y', dependsOn: ['x'], run: async () => 2 })
      .start();
    await h.result;
    expect(h.timeline()).toMatchObject({ lanes: 1, entries: [{ id: 'x', lane: 0 }, { id: 'y', lane: 0 }] });
  });
});

describe('Mermaid of a run', () => {
  it('styles each node by its status, with dependencies as edges', async () => {
    const h = workflow()
      .task({ id: 'ok', run: () => 1 })
      .task({ id: 'bad', dependsOn: ['ok'], run: () => { throw new Error('x'); } })
      .task({ id: 'skipped', dependsOn: ['bad'], run: () => 1 })
      .start();
    await h.result;
    const m = h.toMermaid();
    expect(m).toContain('t0["ok"]:::succeeded');
    expect(m).toContain('t1["bad"]:::failed');
    expect(m).toContain('t2["skipped"]:::skipped');
    expect(m).toContain('t0 --> t1');
    expect(m).toContain('t1 --> t2');
    // One style per status a node can show, after the nodes and edges.
    const styles = m.split('\n').filter((line) => line.startsWith('  classDef '));
    expect(styles.map((line) => line.split(' ')[3])).toEqual(['succeeded', 'failed', 'skipped', 'cancelled', 'running', 'suspended']);
    for (const line of styles) expect(line).toMatch(/^ {2}classDef [a-z]+ fill:#[0-9a-f]{3,6},stroke:#[0-9a-f]{6}(,stroke-dasharray:3)?$/);
    expect(m.split('\n').at(-7)).toBe('  t1 --> t2');
  });
});

describe('event delivery', () => {
  it('typed listeners before catch-all ones; unsubscribing mid-dispatch keeps the others', async () => {
    const calls: string[] = [];
    const h = workflow().task({ id: 'a', run: () => 1 }).start();
    h.on('*', (e) => e.type === 'task:start' && calls.push('all'));
    // eslint-disable-next-line prefer-const
    let offFirst: () => void;
    offFirst = h.on('task:start', () => {
      calls.push('first');
      offFirst();
    });
    h.on('task:start', () => calls.push('second'));
    const offNever = h.on('task:succeeded', () => calls.push('never'));
    offNever();
    offNever();
    await h.result;
    expect(calls).toEqual(['first', 'second', 'all']);
  });

  it('an iterator hands pending next() calls successive events, and return() ends it', async () => {
    const gate = deferred();
    const h = workflow().task({ id: 'a', run: () => gate.promise }).start();
    const it1 = h.events();
    const first = it1.next();
    const second = it1.next();
    const third = it1.next();
    expect((await first).value.type).toBe('run:start');
    expect((await second).value.type).toBe('task:ready');
    expect((await third).value).toMatchObject({ type: 'task:start', taskId: 'a' });
    const pending = it1.next();
    await it1.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(await it1.next()).toEqual({ value: undefined, done: true });
    const it2 = h.events();
    gate.resolve();
    const rest: WorkflowEvent[] = [];
    for await (const e of it2) rest.push(e);
    expect(rest.map((e) => e.type)).toEqual(['task:succeeded', 'run:end']);
    const afterEnd = h.events();
    expect(await afterEnd.next()).toEqual({ value: undefined, done: true });
    expect(afterEnd[Symbol.asyncIterator]()).toBe(afterEnd);
  });

  it('builds no events without listeners, yet counts them', async () => {
    const h = workflow().task({ id: 'a', run: () => 1 }).start();
    const off = h.on('task:start', () => {});
    off();
    const seen: string[] = [];
    await h.result;
    h.on('*', (e) => seen.push(e.type));
    expect(seen).toEqual([]);
    expect(h.metrics().events['task:succeeded']).toBe(1);
  });
});
