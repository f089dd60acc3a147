import { describe, expect, it } from 'vitest';
import { workflow, type WorkflowEvent } from '../../src/workflow/index.js';

describe('run events', () => {
  it('arrive in order for listeners attached right after start(), with timestamps', async () => {
    const wf = workflow()
      .task({ id: 'a', run: async () => 1 })
      .task({ id: 'b', dependsOn: ['a'], retry: { maxAttempts: 2, initialDelayMs: 0 }, run: (_, ctx) => { if (ctx.attempt === 1) throw new Error('once'); return 2; } });
    const h = wf.start({ runId: 'ev' });
    const events: WorkflowEvent[] = [];
    h.on('*', (e) => events.push(e));
    const onlyStarts: string[] = [];
    const off = h.on('task:start', (e) => onlyStarts.push(e.taskId!));
    await h.result;
    off();
    expect(events.map((e) => `${e.type}${e.taskId ? ` ${e.taskId}` : ''}`)).toEqual([
      'run:start',
      'task:ready a',
      'task:start a',
      'task:succeeded a',
      'task:ready b',
      'task:start b',
      'task:retry b',
      'task:ready b',
      'task:start b',
      'task:succeeded b',
      'run:end',
    ]);
    expect(events.every((e) => e.runId === 'ev')).toBe(true);
    expect(events.at(-1)!.status).toBe('succeeded');
    expect(events.find((e) => e.type === 'task:retry')).toMatchObject({ attempt: 1, delayMs: 0 });
    for (let k = 1; k < events.length; k++) expect(events[k].time).toBeGreaterThanOrEqual(events[k - 1].time);
    expect(Math.abs(events[0].time - Date.now())).toBeLessThan(60_000);
    expect(onlyStarts).toEqual(['a', 'b', 'b']);
  });

  it('as an async iterator that ends after run:end', async () => {
    const h = workflow().task({ id: 'x', run: () => 'x' }).task({ id: 'y', run: () => { throw new Error('y'); } }).start();
    const types: string[] = [];
    for await (const e of h.events()) types.push(e.type);
    expect(types[0]).toBe('run:start');
    expect(types.at(-1)).toBe('run:end');
    expect(types.filter((t) => t === 'task:failed')).toHaveLength(1);
    // Iterating a finished run ends at once.
    const late: string[] = [];
    for await (const e of h.events()) late.push(e.type);
    expect(late).toEqual([]);
  });

  it('count every event and record latency histograms even without listeners', async () => {
    const wf = workflow();
    for (let k = 0; k < 100; k++) wf.task({ id: `t${k}`, run: async () => k });
    const h = wf.start();
    await h.result;
    const m = h.metrics();
    expect(m.events).toMatchObject({ 'run:start': 1, 'task:ready': 100, 'task:start': 100, 'task:succeeded': 100, 'run:end': 1 });
    expect(m.runMs.count).toBe(100);
    expect(m.queueWaitMs.count).toBe(100);
    expect(m.runMs.p99).toBeGreaterThanOrEqual(m.runMs.p50);
    expect(m.unfinished).toBe(0);
  });

  it('reject a listener that is not a function', () => {
    const h = workflow().task({ id: 'a', run: () => 1 }).start();
    expect(() => h.on('task:start', 5 as never)).toThrow('Expected `listener` to be a function');
    h.cancel();
  });
});
