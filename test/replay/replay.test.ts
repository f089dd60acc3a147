import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { parseTrace, type WorkflowTrace } from '../../src/graph/wfcommons.js';
import { createSleepDriver } from '../../src/replay/precise-sleep.js';
import { replayDurations, replayTrace, type ReplayProgress } from '../../src/replay/replay.js';
import { simulate } from '../../src/replay/simulate.js';

const file = fileURLToPath(new URL('../../examples/traces/montage-chameleon-2mass-01d-001.json', import.meta.url));
const montage = parseTrace(readFileSync(file, 'utf8'), file);

/** A small trace document: tasks `[id, runtime, parents]`. */
function trace(tasks: [string, number, string[]][]): WorkflowTrace {
  return parseTrace({
    name: 'tiny',
    workflow: {
      specification: { tasks: tasks.map(([id, , parents]) => ({ id, parents, children: [] })) },
      execution: { tasks: tasks.map(([id, runtimeInSeconds]) => ({ id, runtimeInSeconds })) },
    },
  });
}

describe('replayTrace', () => {
  it('replays a real trace and reports the summary against the simulation of the same policy', async () => {
    // scale 0.0002: the montage trace's 363 s of work become ~73 ms, ~20 ms on 4 lanes.
    const s = await replayTrace(montage, { scale: 0.0002, warmup: false });
    const sim = simulate(montage.graph, replayDurations(montage, 0.0002), { workers: 4 });
    expect(s).toMatchObject({
      tasks: 103,
      edges: 231,
      workers: 4,
      idealMs: sim.idealMs,
      criticalPathMs: sim.criticalPathMs,
      totalWorkMs: sim.totalWorkMs,
      lowerBoundMs: sim.lowerBoundMs,
    });
    // Sleeps never end early and no more than 4 run at once, so no run beats the lower bound.
    expect(s.makespanMs).toBeGreaterThanOrEqual(s.lowerBoundMs);
    expect(s.efficiency).toBeCloseTo(s.idealMs / s.makespanMs, 12);
    expect(s.overheadUsPerTask).toBeCloseTo(((s.makespanMs - s.idealMs) * 1000) / 103, 9);
  });

  it('reports progress: every task starts and ends, never more running than workers', async () => {
    const seen: ReplayProgress[] = [];
    await replayTrace(montage, { workers: 3, scale: 0.0001, onProgress: (p) => seen.push(p), warmup: false });
    expect(seen).toHaveLength(2 * 103);
    expect(seen.every((p) => p.total === 103 && p.running >= 0 && p.running <= 3)).toBe(true);
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual({ done: 103, total: 103, running: 0 });
    expect(Math.max(...seen.map((p) => p.running))).toBe(3);
  });

  it('on a single lane takes at least the total work', async () => {
    const order: number[] = [];
    const t = trace([
      ['a', 0.5, []],
      ['b', 0.2, ['a']],
      ['c', 0.1, []],
      ['d', 0.3, ['b', 'c']],
    ]);
    const s = await replayTrace(t, { workers: 1, onProgress: (p) => order.push(p.done), warmup: false });
    expect(s).toMatchObject({ tasks: 4, edges: 3, workers: 1 });
    expect(s.idealMs).toBeCloseTo(1.1, 12);
    expect(s.totalWorkMs).toBeCloseTo(1.1, 12);
    expect(s.criticalPathMs).toBeCloseTo(1, 12);
    expect(s.makespanMs).toBeGreaterThanOrEqual(s.totalWorkMs);
    expect(order.at(-1)).toBe(4);
  });

  it('replays an empty trace and scale 0 (the engine alone)', async () => {
    const empty = await replayTrace(trace([]), { warmup: false });
    expect(empty).toMatchObject({ tasks: 0, edges: 0, idealMs: 0, overheadUsPerTask: 0 });
    const zero = await replayTrace(montage, { scale: 0 });
    expect(zero).toMatchObject({ tasks: 103, idealMs: 0, criticalPathMs: 0, lowerBoundMs: 0, efficiency: 0 });
    expect(zero.overheadUsPerTask).toBeGreaterThan(0);
  });

  it('warms up without counting it (the default), with the caller\'s signal left clean', async () => {
    const ac = new AbortController();
    const seen: ReplayProgress[] = [];
    const s = await replayTrace(montage, { scale: 0.0001, signal: ac.signal, onProgress: (p) => seen.push(p) });
    // Only the measured run reports progress.
    expect(seen).toHaveLength(2 * 103);
    expect(s.tasks).toBe(103);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('cancels: aborting the signal rejects with its reason and stops the sleeping tasks', async () => {
    const ac = new AbortController();
    const reason = new Error('enough');
    let started = 0;
    const run = replayTrace(montage, {
      scale: 1, // 363 s of work: only cancellation ends this in time
      signal: ac.signal,
      warmup: false,
      onProgress: (p) => {
        if (p.running > 0 && started++ === 0) ac.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
  });

  it('times the sleeps with the driver it is given (one that never blocks, here)', async () => {
    const driver = createSleepDriver({ wait: null });
    const s = await replayTrace(montage, { scale: 0.0001, warmup: false, sleepDriver: driver });
    expect(s.makespanMs).toBeGreaterThanOrEqual(s.lowerBoundMs);
    expect(driver.stats()).toMatchObject({ resolved: 103, waits: 0, pending: 0 });
  });

  it("gives every sleep of a run the run's one signal, and aborts it once the run is over", async () => {
    const inner = createSleepDriver();
    const signals = new Set<AbortSignal | undefined>();
    const recording = { sleep: (ms: number, signal?: AbortSignal) => (signals.add(signal), inner.sleep(ms, signal)), stats: () => inner.stats() };
    await replayTrace(montage, { scale: 0.00005, warmup: false, sleepDriver: recording });
    expect(signals.size).toBe(1);
    const [signal] = signals;
    expect(signal).toBeInstanceOf(AbortSignal);
    // No sleep outlives its run: one that did would end now, not hold the process.
    expect(signal!.aborted).toBe(true);
    expect(inner.stats()).toMatchObject({ pending: 0, resolved: 103 });
  });

  it('rejects at once for an already aborted signal', async () => {
    const reason = new Error('before');
    await expect(replayTrace(montage, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('refuses a cyclic trace with CYCLE_DETECTED', async () => {
    const cyclic = trace([
      ['a', 1, ['b']],
      ['b', 1, ['a']],
    ]);
    const error = await replayTrace(cyclic).catch((e: unknown) => e);
    expect(isWeftError(error, 'CYCLE_DETECTED')).toBe(true);
  });

  it('validates its options with the standard message', async () => {
    await expect(replayTrace(montage, { workers: 0 })).rejects.toThrow(new RangeError('Expected `workers` to be an integer >= 1, got `0` (number)'));
    await expect(replayTrace(montage, { scale: -1 })).rejects.toThrow(new RangeError('Expected `scale` to be a finite number >= 0, got `-1` (number)'));
    await expect(replayTrace(montage, { scale: '1' as unknown as number })).rejects.toThrow(
      new TypeError('Expected `scale` to be a finite number >= 0, got `"1"` (string)'),
    );
    await expect(replayTrace(montage, { signal: {} as AbortSignal })).rejects.toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `{}` (object)'));
    await expect(replayTrace(montage, { onProgress: 1 as never })).rejects.toThrow(new TypeError('Expected `onProgress` to be a function, got `1` (number)'));
    await expect(replayTrace(montage, { warmup: 'yes' as never })).rejects.toThrow(new TypeError('Expected `warmup` to be a boolean, got `"yes"` (string)'));
    await expect(replayTrace(montage, { sleepDriver: {} as never })).rejects.toThrow(
      new TypeError('Expected `sleepDriver` to be a SleepDriver, got `{}` (object)'),
    );
    await expect(replayTrace(montage, null as never)).rejects.toThrow(new TypeError('Expected `options` to be an object, got `null` (null)'));
  });
});
