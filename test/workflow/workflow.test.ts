import { describe, expect, it } from 'vitest';
import { CycleDetectedError } from '../../src/errors.js';
import { workflow } from '../../src/workflow/index.js';

const noop = (): undefined => undefined;

describe('workflow definition and validation', () => {
  it('rejects bad options, naming the option and the value', () => {
    expect(() => workflow({ concurrency: 0 })).toThrow('Expected `concurrency` to be an integer >= 1, got `0` (number)');
    expect(() => workflow({ concurrency: 1.5 })).toThrow(RangeError);
    expect(() => workflow({ groups: { io: -1 } })).toThrow('Expected `groups.io` to be an integer >= 1, got `-1` (number)');
    expect(() => workflow({ name: '' })).toThrow('Expected `name` to be a non-empty string, got `""` (string)');
    expect(() => workflow({ backpressure: 'drop' as never })).toThrow("Expected `backpressure` to be one of 'wait', 'error', got `\"drop\"` (string)");
    expect(() => workflow({ tracer: {} as never })).toThrow('Expected `tracer` to be an OpenTelemetry Tracer');
    expect(workflow().options).toMatchObject({ name: 'workflow', concurrency: Infinity, maxPendingTasks: 100000, backpressure: 'wait' });
  });

  it('rejects bad tasks at once, naming the task and the field', () => {
    const wf = workflow({ groups: { io: 2 } });
    expect(() => wf.task({ id: '', run: noop })).toThrow('Expected `task.id` to be a non-empty string, got `""` (string)');
    expect(() => wf.task({ id: 'a', run: 5 as never })).toThrow('task `a`: Expected `run` to be a function, got `5` (number)');
    expect(() => wf.task({ id: 'a', run: noop, dependsOn: 'b' as never })).toThrow('task `a`: Expected `dependsOn` to be an array of task ids');
    expect(() => wf.task({ id: 'a', run: noop, timeoutMs: 0 })).toThrow('task `a`: Expected `timeoutMs` to be a number in (0, 2147483647], got `0` (number)');
    expect(() => wf.task({ id: 'a', run: noop, priority: NaN })).toThrow('task `a`: Expected `priority` to be a finite number, got `NaN` (number)');
    expect(() => wf.task({ id: 'a', run: noop, estimateMs: -1 })).toThrow('task `a`: Expected `estimateMs` to be a finite number >= 0');
    expect(() => wf.task({ id: 'a', run: noop, group: 'cpu' })).toThrow('task `a`: unknown concurrency group `cpu` (declared: io; declare it in `groups`)');
    expect(() => wf.task({ id: 'a', run: noop, retry: { maxAttempts: 0 } })).toThrow('task `a`: Expected `retry.maxAttempts` to be an integer in [1, 1000]');
    wf.task({ id: 'a', run: noop });
    expect(() => wf.task({ id: 'a', run: noop })).toThrow('Duplicate task id `a` (already defined at position 0)');
    expect(wf.size).toBe(1);
  });

  it('reports unknown dependencies and self-dependencies when validated or run', () => {
    const wf = workflow().task({ id: 'a', run: noop, dependsOn: ['ghost'] });
    expect(() => wf.validate()).toThrow('Task `a` depends on unknown task `ghost`');
    expect(() => wf.start()).toThrow(RangeError);
    const self = workflow().task({ id: 'me', run: noop, dependsOn: ['me'] });
    expect(() => self.validate()).toThrow('Task `me` depends on itself');
  });

  it('reports a cycle with its ids in order', () => {
    const wf = workflow()
      .task({ id: 'start', run: noop })
      .task({ id: 'a', run: noop, dependsOn: ['start', 'c'] })
      .task({ id: 'b', run: noop, dependsOn: ['a'] })
      .task({ id: 'c', run: noop, dependsOn: ['b'] });
    let error: unknown;
    try {
      wf.validate();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CycleDetectedError);
    const cycle = (error as CycleDetectedError).cycle as string[];
    expect([...cycle].sort()).toEqual(['a', 'b', 'c']);
    // In edge order: each id's successor in the list depends on it.
    const deps: Record<string, string[]> = { a: ['start', 'c'], b: ['a'], c: ['b'] };
    cycle.forEach((id, k) => expect(deps[cycle[(k + 1) % cycle.length]]).toContain(id));
    expect((error as Error).message).toMatch(/the graph has a cycle: [abc] -> [abc] -> [abc] -> [abc]/);
  });

  it('reports rate limiters and hooks that name nothing', () => {
    const wf = workflow().task({ id: 'a', run: noop, rateLimit: 'openai' });
    expect(() => wf.validate()).toThrow('task `a`: unknown rate limiter `openai` (declared: none; declare it in `rateLimits`)');
    const hooked = workflow().task({ id: 'a', run: noop }).onTaskComplete('zzz', noop);
    expect(() => hooked.validate()).toThrow('onTaskComplete: unknown task `zzz`');
    expect(() => workflow().onTaskComplete('a', 3 as never)).toThrow('Expected `handler` to be a function');
  });

  it('rejects bad run options', () => {
    const wf = workflow().task({ id: 'a', run: noop });
    expect(() => wf.start({ signal: {} as never })).toThrow('Expected `signal` to be an AbortSignal');
    expect(() => wf.start({ runId: '' })).toThrow('Expected `runId` to be a non-empty string');
  });

  it('exports its graph as a Mermaid flowchart with safe labels', () => {
    const wf = workflow()
      .task({ id: 'fetch "a"', run: noop })
      .task({ id: 'analyse', run: noop, dependsOn: ['fetch "a"'] });
    expect(wf.toMermaid()).toBe(['flowchart TD', '  t0["fetch #quot;a#quot;"]', '  t1["analyse"]', '  t0 --> t1'].join('\n'));
  });
});
