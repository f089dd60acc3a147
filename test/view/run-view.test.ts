import { describe, expect, it } from 'vitest';
import type { RecordedTask, RunSummary, StoredEvent } from '../../src/index.js';
import { buildRunView } from '../../src/view/run-view.js';

const T0 = 2_000_000;
const summary: RunSummary = { runId: 'r', workflow: 'w', status: 'succeeded', startedAt: T0, endedAt: T0 + 50, tasks: 4 };
const tasks: RecordedTask[] = [
  { id: 'plan', status: 'succeeded', attempts: 1, startedAt: T0 + 1, endedAt: T0 + 2, output: ['a', 'b'] },
  { id: 'a', status: 'succeeded', attempts: 1, parent: 'plan', startedAt: T0 + 3, endedAt: T0 + 4, output: 'done' },
  { id: 'b', status: 'failed', attempts: 2, parent: 'plan', agent: 'writer', error: Object.assign(new Error('bad'), { code: 'LLM_BAD_RESPONSE' }) },
  { id: 'ask', status: 'suspended', attempts: 1, suspended: { reason: 'approve', payload: { amount: 3 } } },
];
const events: StoredEvent[] = [
  { type: 'run:start', time: T0, runId: 'r' },
  { type: 'task:start', time: T0 + 1, runId: 'r', taskId: 'plan', attempt: 1 },
  { type: 'task:added', time: T0 + 1.5, runId: 'r', taskId: 'a', attempt: 0, parent: 'plan', dependsOn: ['plan'] },
  { type: 'task:added', time: T0 + 1.6, runId: 'r', taskId: 'b', attempt: 0, parent: 'plan', dependsOn: [] },
  { type: 'dependency:added', time: T0 + 1.7, runId: 'r', taskId: 'b', attempt: 0, dependsOn: ['a', 'gone'] },
  { type: 'task:succeeded', time: T0 + 2, runId: 'r', taskId: 'plan', attempt: 1 },
  { type: 'task:failed', time: T0 + 9, runId: 'r', taskId: 'b', attempt: 2, error: new Error('bad', { cause: new Error('<b>why</b>') }) },
  { type: 'run:end', time: T0 + 50, runId: 'r', status: 'failed' },
];

describe('buildRunView', () => {
  const view = buildRunView({ summary, tasks, events, maxEvents: 3, now: T0 + 1000 });

  it('turns every stored value into text: outputs, errors with their code, suspensions', () => {
    expect(view.tasks).toEqual([
      { id: 'plan', status: 'succeeded', attempts: 1, startMs: 1, endMs: 2, output: "[ 'a', 'b' ]" },
      { id: 'a', status: 'succeeded', attempts: 1, parent: 'plan', startMs: 3, endMs: 4, output: 'done' },
      { id: 'b', status: 'failed', attempts: 2, parent: 'plan', agent: 'writer', error: 'LLM_BAD_RESPONSE: bad' },
      { id: 'ask', status: 'suspended', attempts: 1, suspended: 'approve: { amount: 3 }' },
    ]);
    expect(view.counts).toEqual({ succeeded: 2, failed: 1, suspended: 1 });
  });

  it('draws the edges the store records: added dependencies, and the parent of an added task without any', () => {
    // plan → a (a's dependency), a → b (added later); b's dependency on a task the run lacks is dropped.
    expect(view.edges).toEqual([
      ['plan', 'a'],
      ['a', 'b'],
    ]);
    const parentOnly = buildRunView({ summary, tasks, events: events.filter((e) => e.type !== 'dependency:added'), maxEvents: 0, now: T0 });
    expect(parentOnly.edges).toEqual([
      ['plan', 'a'],
      ['plan', 'b'],
    ]);
  });

  it('draws the defined dependencies too, once each, leaving out tasks the view lacks', () => {
    const defined = buildRunView({ summary, tasks, events, dependencies: { a: ['plan'], ask: ['plan', 'missing'], b: ['a'] }, maxEvents: 0, now: T0 });
    expect(defined.edges).toEqual([
      ['plan', 'a'],
      ['plan', 'ask'],
      ['a', 'b'],
    ]);
  });

  it('keeps the last maxEvents events, numbered in the whole log, with their other fields as text', () => {
    expect(view.eventsTotal).toBe(8);
    expect(view.events).toEqual([
      { seq: 5, timeMs: 2, type: 'task:succeeded', taskId: 'plan', attempt: 1, detail: '' },
      { seq: 6, timeMs: 9, type: 'task:failed', taskId: 'b', attempt: 2, detail: 'error: Error: bad\ncaused by Error: <b>why</b>' },
      { seq: 7, timeMs: 50, type: 'run:end', detail: 'status: failed' },
    ]);
    const all = buildRunView({ summary, tasks, events, maxEvents: 100, now: T0 });
    // Attempt 0 (events outside an attempt) is left out.
    expect(all.events[2]).toEqual({ seq: 2, timeMs: 1.5, type: 'task:added', taskId: 'a', detail: "parent: plan; dependsOn: [ 'plan' ]" });
  });

  it('spans an ended run to its end, a running one to now, an interrupted one to its last event', () => {
    expect(view.spanMs).toBe(50);
    const running = buildRunView({ summary: { ...summary, status: 'running', endedAt: undefined }, tasks, events: events.slice(0, 7), maxEvents: 0, now: T0 + 1000 });
    expect(running.spanMs).toBe(1000);
    const interrupted = buildRunView({ summary: { ...summary, status: 'interrupted', endedAt: undefined }, tasks, events: events.slice(0, 7), maxEvents: 0, now: T0 + 1000 });
    expect(interrupted.spanMs).toBe(9);
    expect(view.bars.map((b) => b.taskId)).toEqual(['plan']);
  });
});
