import { describe, expect, it } from 'vitest';
import type { RecordedTask, StoredEvent } from '../../src/index.js';
import { attemptBars } from '../../src/view/attempt-bars.js';

const T0 = 1_000_000;
const ev = (type: StoredEvent['type'], ms: number, taskId?: string, attempt?: number): StoredEvent => ({ type, time: T0 + ms, runId: 'r', ...(taskId !== undefined && { taskId, attempt: attempt ?? 1 }) });

describe('attemptBars', () => {
  it('makes one bar per attempt, ended by the event that ended it, and a retried task has two', () => {
    const { bars, lanes } = attemptBars(
      [
        ev('run:start', 0),
        ev('task:start', 1, 'a'),
        ev('task:retry', 5, 'a', 1),
        ev('task:start', 7, 'a', 2),
        ev('task:succeeded', 9, 'a', 2),
        ev('task:start', 10, 'b'),
        ev('task:failed', 12, 'b'),
        ev('task:start', 13, 'c'),
        ev('task:suspended', 14, 'c'),
      ],
      [],
      T0,
    );
    expect(bars.map((b) => [b.taskId, b.attempt, b.startMs, b.endMs, b.status])).toEqual([
      ['a', 1, 1, 5, 'failed'],
      ['a', 2, 7, 9, 'succeeded'],
      ['b', 1, 10, 12, 'failed'],
      ['c', 1, 13, 14, 'suspended'],
    ]);
    expect(lanes).toBe(1); // never two at once
  });

  it('puts overlapping attempts in as many lanes as ran at once, each bar in the lowest free lane', () => {
    const { bars, lanes } = attemptBars(
      [
        ev('task:start', 0, 'a'),
        ev('task:start', 1, 'b'),
        ev('task:start', 2, 'c'),
        ev('task:succeeded', 3, 'b'),
        ev('task:start', 4, 'd'), // b's lane (1) is free again; a and c still run
        ev('task:succeeded', 5, 'a'),
        ev('task:succeeded', 6, 'c'),
        ev('task:succeeded', 7, 'd'),
        ev('task:start', 8, 'e'),
      ],
      [],
      T0,
    );
    expect(Object.fromEntries(bars.map((b) => [b.taskId, b.lane]))).toEqual({ a: 0, b: 1, c: 2, d: 1, e: 0 });
    expect(lanes).toBe(3);
    // e is still running: no end yet.
    expect(bars.at(-1)).toEqual({ taskId: 'e', attempt: 1, lane: 0, startMs: 8, status: 'running' });
  });

  it('keeps a running bar in its lane: a later bar never takes it', () => {
    const { bars } = attemptBars([ev('task:start', 0, 'long'), ev('task:start', 1, 'x'), ev('task:succeeded', 2, 'x'), ev('task:start', 3, 'y')], [], T0);
    expect(bars.map((b) => [b.taskId, b.lane])).toEqual([
      ['long', 0],
      ['x', 1],
      ['y', 1],
    ]);
  });

  it('ends the attempts still open at run:end as cancelled', () => {
    const { bars } = attemptBars([ev('task:start', 0, 'a'), ev('task:start', 0, 'b'), ev('task:succeeded', 2, 'a'), ev('run:end', 3)], [], T0);
    expect(bars.map((b) => [b.taskId, b.endMs, b.status])).toEqual([
      ['a', 2, 'succeeded'],
      ['b', 3, 'cancelled'],
    ]);
  });

  it('falls back on the task rows when the log has no attempts (a store with events: false)', () => {
    const tasks: RecordedTask[] = [
      { id: 'late', status: 'succeeded', attempts: 1, startedAt: T0 + 5, endedAt: T0 + 9 },
      { id: 'early', status: 'failed', attempts: 3, startedAt: T0 + 1, endedAt: T0 + 6 },
      { id: 'never', status: 'pending', attempts: 0 },
      { id: 'now', status: 'running', attempts: 1, startedAt: T0 + 7 },
    ];
    const { bars, lanes } = attemptBars([], tasks, T0);
    expect(bars).toEqual([
      { taskId: 'early', attempt: 3, lane: 0, startMs: 1, endMs: 6, status: 'failed' },
      { taskId: 'late', attempt: 1, lane: 1, startMs: 5, endMs: 9, status: 'succeeded' },
      { taskId: 'now', attempt: 1, lane: 0, startMs: 7, status: 'running' },
    ]);
    expect(lanes).toBe(2);
  });

  it('has one lane for a run with no attempts yet', () => {
    expect(attemptBars([ev('run:start', 0)], [], T0)).toEqual({ bars: [], lanes: 1 });
  });
});
