import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram } from '../../src/observe/histogram.js';

describe('Histogram', () => {
  it('reports quantiles within 1/16 relative error (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 100000, noNaN: true }), { minLength: 1, maxLength: 400 }), fc.constantFrom(0.5, 0.9, 0.99), (xs, q) => {
        const h = new Histogram();
        xs.forEach((x) => h.record(x));
        const sorted = [...xs].sort((a, b) => a - b);
        const exact = sorted[Math.ceil(q * sorted.length) - 1];
        expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(exact / 16 + 1e-12);
      }),
    );
  });

  it('summarises count, min, max and mean exactly', () => {
    const h = new Histogram();
    expect(h.summary()).toEqual({ count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 });
    [1, 2, 3, 10].forEach((x) => h.record(x));
    expect(h.summary()).toMatchObject({ count: 4, min: 1, max: 10, mean: 4 });
    h.record(-5);
    expect(h.summary().min).toBe(0);
  });
});
