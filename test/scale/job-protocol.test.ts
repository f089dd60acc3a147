import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bullPriority, decodeOutcome, decodeTask, encodeOutcome, encodeTask, jobIdOf, pack, unpack, type RemoteTask } from '../../src/scale/job-protocol.js';

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

  it('tasks cross whole as arrays: every field back as it was, `null` and `undefined` told apart', () => {
    const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const value = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.string(), fc.dictionary(fc.string(), fc.integer()));
    const task: fc.Arbitrary<RemoteTask> = fc.record({
      runId: fc.string(),
      taskId: fc.string(),
      attempt: fc.nat(),
      input: value,
      agent: opt(fc.string()),
      deps: opt(fc.dictionary(fc.string(), value)),
      module: opt(fc.string()),
      export: opt(fc.string()),
      maxMemoryMb: opt(fc.nat()),
      cpuQuotaMs: opt(fc.nat()),
      deadline: opt(fc.nat()),
      rateLimit: opt(fc.string()),
      group: opt(fc.string()),
      runInput: value,
      resumeData: value,
    });
    fc.assert(
      fc.property(task, (t) => {
        const back = decodeTask(encodeTask(t));
        // toEqual: an object comes back with a plain prototype; `null` and `undefined` still differ for it.
        for (const k of Object.keys(t) as (keyof RemoteTask)[]) expect(back[k], k).toEqual(t[k]);
      }),
    );
    // A trivial agent task is small: field names do not travel.
    expect(encodeTask({ runId: 'run-1', taskId: 't123', attempt: 1, agent: 'inc', input: 123, deps: {}, runInput: undefined, resumeData: undefined, deadline: undefined }).length).toBeLessThanOrEqual(32);
  });

  it('a malformed task or outcome is refused with what was expected', () => {
    expect(() => decodeTask(pack({ runId: 'r', taskId: 't', attempt: 1 }))).toThrow(/not a weft task \(expected \[runId, taskId, attempt, input/);
    expect(() => decodeTask(pack(['r', 't']))).toThrow(/not a weft task/);
    expect(() => decodeTask(pack([1, 't', 1, 0]))).toThrow(/not a weft task/);
    expect(() => decodeOutcome(pack({ ok: true, value: 1 }))).toThrow(/not a weft outcome \(expected \[ok, value\]\)/);
    expect(() => decodeOutcome(pack([2, 1]))).toThrow(/not a weft outcome/);
  });

  it('outcomes cross whole: a value, or an error with its class and code', () => {
    expect(decodeOutcome(encodeOutcome(true, { n: 1, at: new Date(3) }))).toStrictEqual({ ok: true, value: { n: 1, at: new Date(3) } });
    expect(decodeOutcome(encodeOutcome(true, undefined))).toStrictEqual({ ok: true, value: undefined });
    const back = decodeOutcome(encodeOutcome(false, Object.assign(new RangeError('no'), { code: 'E_NO' })));
    expect(back.ok).toBe(false);
    const error = (back as { error: RangeError & { code: string } }).error;
    expect(error).toBeInstanceOf(RangeError);
    expect([error.message, error.code]).toEqual(['no', 'E_NO']);
  });
});
