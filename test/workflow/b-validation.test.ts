// Every option and task field, rejected with its name, the expected shape and the error class;
// and the boundary values that must still be accepted.
import { describe, expect, it } from 'vitest';
import { workflow } from '../../src/workflow/index.js';

const noop = (): void => {};

/** The error `fn` throws (fails the test when it does not throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('workflow options', () => {
  it.each([
    [null, TypeError, 'Expected `options` to be an options object, got `null`'],
    ['fast', TypeError, 'Expected `options` to be an options object, got `"fast"` (string)'],
    [{ name: 5 }, TypeError, 'Expected `name` to be a non-empty string, got `5` (number)'],
    [{ groups: 3 }, TypeError, 'Expected `groups` to be an object of group caps, got `3` (number)'],
    [{ rateLimits: 'x' }, TypeError, 'Expected `rateLimits` to be an object of rate limit options'],
    [{ tracer: { startSpan: 1 } }, TypeError, 'Expected `tracer` to be an OpenTelemetry Tracer'],
    [{ tracer: null }, TypeError, 'Expected `tracer` to be an OpenTelemetry Tracer'],
    [{ maxPendingTasks: 0 }, RangeError, 'Expected `maxPendingTasks` to be an integer >= 1, got `0` (number)'],
    [{ memory: {} }, TypeError, 'Expected `memory` to be a Memory (createMemory)'],
    [{ memory: null }, TypeError, 'Expected `memory` to be a Memory (createMemory)'],
    [{ memory: 'db' }, TypeError, 'Expected `memory` to be a Memory (createMemory)'],
    [{ memory: { recall: noop } }, TypeError, 'Expected `memory` to be a Memory (createMemory)'],
    [{ memory: { endRun: noop } }, TypeError, 'Expected `memory` to be a Memory (createMemory)'],
  ])('rejects %j', (options, type, message) => {
    const error = thrown(() => workflow(options as never));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain(message);
  });

  it('accepts unlimited caps and the smallest finite ones', () => {
    expect(() => workflow({ concurrency: Infinity, maxPendingTasks: Infinity, groups: { io: Infinity, one: 1 } })).not.toThrow();
    expect(() => workflow({ concurrency: 1, maxPendingTasks: 1, tracer: { startSpan: noop } as never, memory: { recall: noop, endRun: noop } as never })).not.toThrow();
  });
});

describe('task specs', () => {
  const wf = () => workflow({ groups: { io: 2 } });

  it.each([
    [null, TypeError, 'Expected `task` to be a task spec object, got `null`'],
    [7, TypeError, 'Expected `task` to be a task spec object, got `7` (number)'],
    [{ id: 5, run: noop }, TypeError, 'Expected `task.id` to be a non-empty string, got `5` (number)'],
    [{ id: 'a', run: noop, dependsOn: [''] }, TypeError, 'task `a`: Expected `dependsOn[0]` to be a task id string, got `""` (string)'],
    [{ id: 'a', run: noop, dependsOn: ['b', 3] }, TypeError, 'task `a`: Expected `dependsOn[1]` to be a task id string, got `3` (number)'],
    [{ id: 'a', run: noop, priority: 'high' }, RangeError, 'task `a`: Expected `priority` to be a finite number, got `"high"` (string)'],
    [{ id: 'a', run: noop, priority: Infinity }, RangeError, 'task `a`: Expected `priority` to be a finite number, got `Infinity` (number)'],
    [{ id: 'a', run: noop, estimateMs: Infinity }, RangeError, 'task `a`: Expected `estimateMs` to be a finite number >= 0, got `Infinity` (number)'],
    [{ id: 'a', run: noop, timeoutMs: 2 ** 31 }, RangeError, 'task `a`: Expected `timeoutMs` to be a number in (0, 2147483647], got `2147483648` (number)'],
    [{ id: 'a', run: noop, timeoutMs: '5' }, RangeError, 'task `a`: Expected `timeoutMs` to be a number in (0, 2147483647], got `"5"` (string)'],
    [{ id: 'a', run: noop, timeoutMs: Number.NaN }, RangeError, 'task `a`: Expected `timeoutMs` to be a number in (0, 2147483647]'],
    [{ id: 'a', run: noop, rememberOutput: 'yes' }, TypeError, 'task `a`: Expected `rememberOutput` to be a boolean or remember options, got `"yes"` (string)'],
    [{ id: 'a', run: noop, rememberOutput: null }, TypeError, 'task `a`: Expected `rememberOutput` to be a boolean or remember options, got `null`'],
    [{ id: 'a', run: noop, critical: 'yes' }, TypeError, 'task `a`: Expected `critical` to be a boolean, got `"yes"` (string)'],
    [{ id: 'a', run: noop, rateLimit: '' }, TypeError, 'task `a`: Expected `rateLimit` to be a rate limiter name, got `""` (string)'],
    [{ id: 'a', run: noop, rateLimit: 5 }, TypeError, 'task `a`: Expected `rateLimit` to be a rate limiter name, got `5` (number)'],
    [{ id: 'a', run: noop, retry: { jitter: 3 } }, RangeError, 'task `a`: Expected `retry.jitter` to be a number in [0, 1], got `3` (number)'],
    [{ id: 'a', run: noop, retry: 'often' }, TypeError, 'task `a`: Expected `retry` to be a retry policy object, got `"often"` (string)'],
  ])('rejects %j', (spec, type, message) => {
    const error = thrown(() => wf().task(spec as never));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain(message);
  });

  it('names no groups when none are declared', () => {
    expect(() => workflow().task({ id: 'a', run: noop, group: 'io' })).toThrow('task `a`: unknown concurrency group `io` (declared: none; declare it in `groups`)');
    expect(() => workflow({ groups: { io: 1, net: 2 } }).task({ id: 'a', run: noop, group: 'gpu' })).toThrow('(declared: io, net;');
  });

  it('accepts the boundary values', () => {
    expect(() =>
      wf()
        .task({ id: 'a', run: noop, timeoutMs: 2 ** 31 - 1, estimateMs: 0, priority: -1e9, critical: false, rememberOutput: false, dependsOn: [] })
        .task({ id: 'b', run: noop, timeoutMs: 0.5, rememberOutput: { scope: 'long-term' }, group: 'io', critical: true })
        .validate(),
    ).not.toThrow();
  });

  it('applies the same checks to tasks added while running, naming the task', async () => {
    const errors: string[] = [];
    const result = await workflow()
      .task({
        id: 'adder',
        run: async (_, ctx) => {
          for (const spec of [{ id: 'x', run: noop, timeoutMs: 0 }, { id: 'y', run: noop, group: 'io' }, { id: 'z', run: noop, rateLimit: 'nope' }]) {
            await ctx.addTask(spec).catch((e: Error) => errors.push(`${e.constructor.name}: ${e.message}`));
          }
        },
      })
      .run();
    expect(result.status).toBe('succeeded');
    expect(errors).toEqual([
      'RangeError: task `x`: Expected `timeoutMs` to be a number in (0, 2147483647], got `0` (number)',
      'RangeError: task `y`: unknown concurrency group `io` (declared: none; declare it in `groups`)',
      "RangeError: task `z`: unknown rate limiter `nope` (declare it in the workflow's `rateLimits`)",
    ]);
    expect(result.tasks).toHaveLength(1);
  });
});
