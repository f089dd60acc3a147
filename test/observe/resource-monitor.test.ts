// Pressure on injected readings (a sampler), on a fake clock: the engine starts fewer tasks
// while the reading is over a threshold, says so with run:pressure, and resumes when it eases.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNodeSampler, DEFAULT_PRESSURE_OPTIONS, resolvePressure, watchResources, type ResourceSample, type ResourceSampler } from '../../src/observe/resource-monitor.js';
import { workflow } from '../../src/workflow/index.js';
import type { WorkflowEvent } from '../../src/workflow/types.js';
import { deferred } from '../helpers/deferred.js';

class Readings implements ResourceSampler {
  now: ResourceSample = { heapRatio: 0.1, loopDelayMs: 1, cpu: 0.5 };
  calls = 0;
  sample(): ResourceSample {
    this.calls++;
    return this.now;
  }
}

describe('workflow({ pressure })', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts fewer tasks while the heap is near its limit, and all of them again once it eases', async () => {
    const readings = new Readings();
    const gates = Array.from({ length: 6 }, () => deferred<string>());
    let wf = workflow({ concurrency: 4, pressure: { sampler: readings, intervalMs: 100, concurrency: 1 } });
    gates.forEach((g, k) => (wf = wf.task({ id: `t${k}`, run: () => g.promise })));
    const h = wf.start();
    const events: WorkflowEvent[] = [];
    h.on('run:pressure', (e) => events.push(e));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.metrics().running).toBe(4);

    readings.now = { heapRatio: 0.95, loopDelayMs: 1, cpu: 0.5 };
    await vi.advanceTimersByTimeAsync(100);
    expect(events).toHaveLength(1);
    expect(events[0].pressure).toEqual({ active: true, over: ['heap'], heapRatio: 0.95, loopDelayMs: 1, cpu: 0.5 });
    // Two finish; under pressure, no new task starts while one is still running.
    gates[0].resolve('a');
    gates[1].resolve('b');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.metrics().running).toBe(2);

    readings.now = { heapRatio: 0.5, loopDelayMs: 1, cpu: 0.5 };
    await vi.advanceTimersByTimeAsync(100);
    expect(events.map((e) => e.pressure!.active)).toEqual([true, false]);
    expect(events[1].pressure!.over).toEqual([]);
    expect(h.metrics().running).toBe(4);
    for (const g of gates) g.resolve('x');
    expect((await h.result).status).toBe('succeeded');
  });

  it('counts a lagging event loop as pressure, and emits once per change, not per reading', async () => {
    const readings = new Readings();
    const gate = deferred<void>();
    const h = workflow({ pressure: { sampler: readings, intervalMs: 50, loopDelayMs: 40 } }).task({ id: 'a', run: () => gate.promise }).start();
    const events: WorkflowEvent[] = [];
    h.on('run:pressure', (e) => events.push(e));
    readings.now = { heapRatio: 0.1, loopDelayMs: 45, cpu: 1 };
    await vi.advanceTimersByTimeAsync(200);
    expect(readings.calls).toBe(4);
    expect(events.map((e) => e.pressure!.over)).toEqual([['loopDelay']]);
    gate.resolve();
    await h.result;
    // The run is over: it no longer listens, and with no listener left the timer stops.
    await vi.advanceTimersByTimeAsync(200);
    expect(readings.calls).toBe(4);
  });

  it('is off by default, and `true` means the documented defaults', () => {
    expect(workflow().options.pressure).toBeUndefined();
    expect(resolvePressure(true)).toEqual({ ...DEFAULT_PRESSURE_OPTIONS, sampler: undefined });
    expect(DEFAULT_PRESSURE_OPTIONS).toEqual({ heapRatio: 0.9, loopDelayMs: 100, concurrency: 1, intervalMs: 250 });
  });

  it('validates its options', () => {
    expect(() => workflow({ pressure: { heapRatio: 0 } })).toThrow(new RangeError('Expected `pressure.heapRatio` to be a finite number > 0, got `0` (number)'));
    expect(() => workflow({ pressure: { concurrency: 0 } })).toThrow(new RangeError('Expected `pressure.concurrency` to be an integer >= 1, got `0` (number)'));
    expect(() => workflow({ pressure: { sampler: {} as never } })).toThrow(new TypeError('Expected `pressure.sampler` to be a ResourceSampler (an object with a sample() method), got `{}` (object)'));
    expect(() => workflow({ pressure: 'yes' as never })).toThrow(new TypeError('Expected `pressure` to be a boolean or pressure options, got `"yes"` (string)'));
  });
});

describe('the Node sampler', () => {
  it('reads the heap against its limit, the event-loop delay and the CPU', async () => {
    const sampler = await createNodeSampler();
    const end = performance.now() + 30;
    while (performance.now() < end); // CPU to measure
    const s = sampler.sample();
    expect(s.heapRatio).toBeGreaterThan(0);
    expect(s.heapRatio).toBeLessThan(1);
    expect(s.loopDelayMs).toBeGreaterThanOrEqual(0);
    expect(s.cpu).toBeGreaterThan(0);
  });

  it('shares one timer per sampler and interval between watchers', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const readings = new Readings();
      const seen: number[] = [];
      const stopA = watchResources(readings, 10, () => seen.push(1));
      const stopB = watchResources(readings, 10, () => seen.push(2));
      await vi.advanceTimersByTimeAsync(10);
      expect(readings.calls).toBe(1);
      expect(seen).toEqual([1, 2]);
      stopA();
      stopB();
    } finally {
      vi.useRealTimers();
    }
  });
});
