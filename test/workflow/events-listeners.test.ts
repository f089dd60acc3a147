// Listeners and iterators of a run's events as they come and go while the run goes on: who still
// hears what after an unsubscribe, iterators that end or are returned, a listener that throws.
import { describe, expect, it } from 'vitest';
import { workflow, type WorkflowEvent } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

/** A chain of `n` tasks, each waiting for its gate: the test lets them finish one by one. */
function gatedChain(n: number) {
  const gates = Array.from({ length: n }, () => deferred());
  const wf = workflow();
  for (let k = 0; k < n; k++) wf.task({ id: `t${k}`, dependsOn: k > 0 ? [`t${k - 1}`] : [], run: () => gates[k].promise });
  return { wf, gates };
}

describe('unsubscribing', () => {
  it('removes only that listener, even when called twice, while the others go on hearing each event once', async () => {
    const { wf, gates } = gatedChain(3);
    const h = wf.start();
    const heard: string[] = [];
    const offA = h.on('task:start', (e) => heard.push(`a ${e.taskId!}`));
    h.on('task:start', (e) => heard.push(`b ${e.taskId!}`));
    h.on('task:start', (e) => heard.push(`c ${e.taskId!}`));
    await until((t, fn) => h.on(t, fn), () => h.task('t0')!.status === 'running');
    offA();
    offA();
    gates[0].resolve();
    await until((t, fn) => h.on(t, fn), () => h.task('t1')!.status === 'running');
    gates[1].resolve();
    gates[2].resolve();
    await h.result;
    expect(heard).toEqual(['a t0', 'b t0', 'c t0', 'b t1', 'c t1', 'b t2', 'c t2']);
  });

  it('of a typed listener leaves a "*" listener hearing every later event', async () => {
    const { wf, gates } = gatedChain(2);
    const h = wf.start();
    const all: string[] = [];
    h.on('*', (e) => all.push(`${e.type} ${e.taskId ?? ''}`.trim()));
    const offTyped = h.on('task:succeeded', () => {});
    await until((t, fn) => h.on(t, fn), () => h.task('t0')!.status === 'running');
    offTyped();
    gates[0].resolve();
    gates[1].resolve();
    await h.result;
    expect(all.slice(-3)).toEqual(['task:start t1', 'task:succeeded t1', 'run:end']);
  });

  it('of the only listener leaves an iterator hearing every later event', async () => {
    const { wf, gates } = gatedChain(2);
    const h = wf.start();
    const iterated: string[] = [];
    const it = h.events();
    const reading = (async () => {
      for await (const e of it) iterated.push(`${e.type} ${e.taskId ?? ''}`.trim());
    })();
    const off = h.on('task:start', (e) => {
      if (e.taskId === 't0') {
        off();
        gates[0].resolve();
      }
    });
    await until((t, fn) => h.on(t, fn), () => h.task('t1')!.status === 'running');
    gates[1].resolve();
    await h.result;
    await reading;
    expect(iterated.slice(-3)).toEqual(['task:start t1', 'task:succeeded t1', 'run:end']);
  });
});

describe('iterators', () => {
  it('answer next() calls still pending when the run ends with done', async () => {
    const gate = deferred();
    const h = workflow().task({ id: 'a', run: () => gate.promise }).start();
    const it = h.events();
    // More calls than the run has events left: the extra ones end.
    const calls = Array.from({ length: 12 }, () => it.next());
    gate.resolve();
    await h.result;
    const results = await Promise.all(calls);
    const events = results.filter((r) => !r.done).map((r) => (r.value as WorkflowEvent).type);
    expect(events).toEqual(['run:start', 'task:ready', 'task:start', 'task:succeeded', 'run:end']);
    expect(results.slice(events.length)).toEqual(Array.from({ length: 12 - events.length }, () => ({ value: undefined, done: true })));
  });

  it('once returned, hear nothing more of the run', async () => {
    const { wf, gates } = gatedChain(2);
    const h = wf.start();
    const it = h.events();
    expect((await it.next()).value).toMatchObject({ type: 'run:start' });
    await it.return!();
    gates[0].resolve();
    gates[1].resolve();
    await h.result;
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });
});

describe('a listener that throws', () => {
  it('is reported as an uncaught error, and the run and the other listeners go on', async () => {
    const reported = deferred<unknown>();
    const saved = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.once('uncaughtException', (error) => reported.resolve(error));
    try {
      const h = workflow().task({ id: 'a', run: () => 'A' }).task({ id: 'b', dependsOn: ['a'], run: () => 'B' }).start();
      const after: string[] = [];
      h.on('task:succeeded', (e) => {
        if (e.taskId === 'a') throw new Error('listener broke');
      });
      h.on('task:succeeded', (e) => after.push(e.taskId!));
      const result = await h.result;
      expect(result.status).toBe('succeeded');
      expect(after).toEqual(['a', 'b']);
      expect(((await reported.promise) as Error).message).toBe('listener broke');
    } finally {
      for (const l of saved) process.on('uncaughtException', l);
    }
  });
});
