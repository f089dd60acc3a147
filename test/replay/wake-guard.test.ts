import { describe, expect, it } from 'vitest';
import { INITIAL_GUARD_MS, MAX_GUARD_MS, MIN_GUARD_MS, WakeGuard } from '../../src/replay/wake-guard.js';

const feed = (g: WakeGuard, samples: readonly number[], times = 1) => {
  for (let k = 0; k < times; k++) for (const s of samples) g.record(s);
  return g.ms;
};

describe('WakeGuard', () => {
  it('starts at the initial guard', () => {
    expect(new WakeGuard().ms).toBe(INITIAL_GUARD_MS);
  });

  it('settles next to a constant lateness, from below and from above', () => {
    expect(feed(new WakeGuard(), [0.03], 500)).toBeGreaterThan(0.029);
    expect(feed(new WakeGuard(), [0.03], 500)).toBeLessThan(0.035);
    expect(feed(new WakeGuard(), [0.2], 500)).toBeGreaterThan(0.199);
    expect(feed(new WakeGuard(), [0.2], 500)).toBeLessThan(0.205);
  });

  it('covers about 90% of the waits of a mixed lateness', () => {
    // 70% at 0.05 ms and 30% at 0.15 ms: the 90th percentile is 0.15.
    const mix = [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.15, 0.15, 0.15];
    const g = feed(new WakeGuard(), mix, 400);
    expect(g).toBeGreaterThan(0.14);
    expect(g).toBeLessThanOrEqual(0.155);
    // 95% at 0.05 ms: the rare slow wake-up is not worth spinning for.
    const mostlyFast = [...Array.from({ length: 19 }, () => 0.05), 0.15];
    expect(feed(new WakeGuard(), mostlyFast, 200)).toBeLessThan(0.06);
  });

  it('ignores waits so late they were preemptions, and stays within its bounds', () => {
    const g = new WakeGuard();
    feed(g, [5, 3, 0.3, Number.NaN], 100);
    expect(g.ms).toBe(INITIAL_GUARD_MS);
    expect(feed(g, [0, -0.01], 500)).toBe(MIN_GUARD_MS);
    expect(feed(g, [MAX_GUARD_MS], 500)).toBeLessThanOrEqual(MAX_GUARD_MS);
    expect(g.ms).toBeGreaterThan(MAX_GUARD_MS - 0.002);
  });
});
