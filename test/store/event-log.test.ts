import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../src/index.js';
import { LOG_EVENT_TYPES, decodeEvents, encodeEvents, safeEvents } from '../../src/store/event-log.js';
import { encodeValue } from '../../src/store/store-codec.js';

const batch: WorkflowEvent[] = [
  { type: 'run:start', time: 100, runId: 'r' },
  { type: 'task:ready', time: 100.5, runId: 'r', taskId: 'a', attempt: 0 },
  { type: 'task:start', time: 101, runId: 'r', taskId: 'a', attempt: 1, deadline: 5101, agent: 'writer' },
  { type: 'task:retry', time: 102, runId: 'r', taskId: 'a', attempt: 1, error: Object.assign(new Error('429'), { code: 'RATE_LIMITED' }), delayMs: 50, agent: 'writer' },
  { type: 'task:succeeded', time: 103, runId: 'r', taskId: 'a', attempt: 2, output: 'not logged', cpuMs: 1.5 },
  { type: 'task:added', time: 104, runId: 'r', taskId: 'b', attempt: 0, parent: 'a', dependsOn: ['a'], spec: { id: 'b', run: () => 1 } },
  { type: 'run:end', time: 105, runId: 'r', status: 'succeeded' },
];

describe('event log', () => {
  it('round-trips a batch, leaving out outputs and specs (kept in the task and addition rows)', () => {
    const back = decodeEvents(encodeEvents(batch, 100), 'r', 100);
    expect(back).toHaveLength(batch.length);
    expect(back[2]).toEqual({ type: 'task:start', time: 101, runId: 'r', taskId: 'a', attempt: 1, deadline: 5101, agent: 'writer' });
    expect(back[3]).toMatchObject({ type: 'task:retry', delayMs: 50, error: { message: '429', code: 'RATE_LIMITED' } });
    expect(back[4]).toEqual({ type: 'task:succeeded', time: 103, runId: 'r', taskId: 'a', attempt: 2, cpuMs: 1.5 });
    expect(back[5]).toEqual({ type: 'task:added', time: 104, runId: 'r', taskId: 'b', attempt: 0, parent: 'a', dependsOn: ['a'] });
    expect(back[6]).toEqual({ type: 'run:end', time: 105, runId: 'r', status: 'succeeded' });
  });

  it('is compact: a no-op task\'s three events take under 40 bytes', () => {
    const many: WorkflowEvent[] = [];
    for (let i = 0; i < 1000; i++) {
      for (const type of ['task:ready', 'task:start', 'task:succeeded'] as const) many.push({ type, time: 100 + i / 100, runId: 'r', taskId: `t${i}`, attempt: 1, output: i });
    }
    expect(encodeEvents(many, 100).length / 1000).toBeLessThan(40);
  });

  it('writes the bytes the codec writes for the flat array (files stay readable by older weft)', () => {
    const long = 'x'.repeat(40);
    const drained = Object.assign(new Error('drained'), { code: 'RUN_INTERRUPTED' });
    const events: WorkflowEvent[] = [
      ...batch,
      ...['c1', 'c2', 'c3'].map((taskId) => ({ type: 'task:cancelled', time: 100.25, runId: 'r', taskId, attempt: 0, error: drained }) as WorkflowEvent),
      { type: 'task:cancelled', time: 100.25, runId: 'r', taskId: 'c4', attempt: 0, error: drained, agent: 'w' },
      { type: 'task:cancelled', time: 100.25, runId: 'r', taskId: 'c5', attempt: 0, error: drained },
      { type: 'task:start', time: 99.9996, runId: 'r', taskId: 'é-ü-𝄞', attempt: 3 },
      { type: 'task:ready', time: 100 + 5000, runId: 'r', taskId: long, attempt: 0 },
      { type: 'task:ready', time: 100 + 70_000_000, runId: 'r', taskId: 'y'.repeat(300), attempt: 1.5 },
      { type: 'task:ready', time: 100, runId: 'r', taskId: 'z'.repeat(70_000), attempt: 70_000 },
      { type: 'task:heartbeat', time: 101, runId: 'r', taskId: 'a', attempt: 1, progress: { done: 1 } },
    ];
    const codes = new Map(LOG_EVENT_TYPES.map((t, i) => [t, i]));
    const fields = ['agent', 'delta', 'error', 'delayMs', 'reason', 'payload', 'status', 'parent', 'deadline', 'dependsOn', 'progress', 'cpuMs', 'heapPeakBytes', 'pressure'] as const;
    for (const n of [1, 3, 4, 9, events.length]) {
      const some = events.slice(0, n);
      const flat: unknown[] = [];
      for (const e of some) {
        const extras: Record<string, unknown> = {};
        for (const f of fields) if (e[f] !== undefined) extras[f] = e[f];
        const has = Object.keys(extras).length > 0;
        flat.push((codes.get(e.type) ?? 63) | (has ? 0x40 : 0), Math.round((e.time - 100) * 1000), e.taskId ?? null, e.attempt ?? 0);
        if (has) flat.push(extras);
      }
      expect(Buffer.from(encodeEvents(some, 100)).equals(Buffer.from(encodeValue(flat)))).toBe(true);
    }
    const back = decodeEvents(encodeEvents(events, 100), 'r', 100);
    expect(back.map((e) => e.taskId)).toEqual(events.map((e) => e.taskId));
    expect(back[events.length - 2]).toMatchObject({ attempt: 70_000 });
  });

  it('keeps the file format\'s type codes stable', () => {
    expect(LOG_EVENT_TYPES.slice(0, 3)).toEqual(['run:start', 'task:ready', 'task:start']);
    expect(LOG_EVENT_TYPES.indexOf('run:pressure')).toBe(15);
    expect(LOG_EVENT_TYPES.indexOf('task:stalled')).toBe(16);
  });

  it('keeps a stall as `task:stalled` with its error (it was read back as `unknown`)', () => {
    const stalled: WorkflowEvent = { type: 'task:stalled', time: 100, runId: 'r', taskId: 'a', attempt: 1, error: Object.assign(new Error('silent'), { code: 'TASK_STALLED' }) };
    const [back] = decodeEvents(encodeEvents([stalled], 100), 'r', 100);
    expect(back).toMatchObject({ type: 'task:stalled', taskId: 'a', attempt: 1, error: { message: 'silent', code: 'TASK_STALLED' } });
  });

  it('safeEvents replaces a field the codec refuses by its string form', () => {
    const odd = [{ type: 'task:heartbeat', time: 1, runId: 'r', taskId: 'a', attempt: 1, progress: { tick: () => 0 } }] as WorkflowEvent[];
    expect(() => encodeEvents(odd, 1)).toThrow(/cannot encode a function/);
    expect(decodeEvents(encodeEvents(safeEvents(odd), 1), 'r', 1)[0]).toMatchObject({ progress: '[object Object]' });
  });
});
