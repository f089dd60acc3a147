import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bullPriority, jobIdOf, pack, unpack } from '../../src/scale/job-protocol.js';

describe('job protocol', () => {
  it("orders BullMQ priorities as weft's, within BullMQ's range (1 first .. 2^21 - 1)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        const pa = bullPriority(a);
        const pb = bullPriority(b);
        expect(Number.isInteger(pa) && pa >= 1 && pa <= 2_097_151).toBe(true);
        // Higher weft priority: a BullMQ priority no later (equal only where the log scale cannot tell them apart).
        if (a > b) expect(pa).toBeLessThanOrEqual(pb);
      }),
    );
    // Ranks a task apart are told apart in the range DAG ranks live in.
    expect(bullPriority(11)).toBeLessThan(bullPriority(10));
    expect(bullPriority(1001)).toBeLessThan(bullPriority(1000));
    expect(bullPriority(0)).toBeLessThan(bullPriority(-1));
  });

  it('job ids: the same for the same attempt, distinct otherwise, and never with `:`', () => {
    expect(jobIdOf('run:1', 'a/b', 2)).toBe(jobIdOf('run:1', 'a/b', 2));
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(), fc.string(), fc.string(), fc.nat(), (r1, t1, a1, r2, t2, a2) => {
        const x = jobIdOf(r1, t1, a1);
        expect(x.includes(':')).toBe(false);
        expect(/^\d+$/.test(x)).toBe(false);
        if (r1 !== r2 || t1 !== t2 || a1 !== a2) expect(x).not.toBe(jobIdOf(r2, t2, a2));
      }),
    );
  });

  it('values cross whole: Dates, typed arrays, undefined, errors with their code and cause', () => {
    const error = Object.assign(new TypeError('bad', { cause: new Error('root') }), { code: 'X_CODE', detail: [1, 2] });
    const back = unpack(pack({ at: new Date(5), bytes: new Uint8Array([1, 2]), none: undefined, error })) as Record<string, unknown>;
    expect(back.at).toEqual(new Date(5));
    expect(back.bytes).toEqual(new Uint8Array([1, 2]));
    expect('none' in back && back.none === undefined).toBe(true);
    const e = back.error as TypeError & { code: string; detail: number[]; cause: Error };
    expect(e).toBeInstanceOf(TypeError);
    expect([e.message, e.code, e.detail, e.cause.message]).toEqual(['bad', 'X_CODE', [1, 2], 'root']);
  });
});
