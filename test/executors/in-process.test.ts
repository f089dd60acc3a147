import { describe, expect, it } from 'vitest';
import type { Attempt } from '../../src/executors/executor.js';
import { inProcessExecutor } from '../../src/executors/in-process.js';
import { workflow } from '../../src/workflow/index.js';

describe('inProcessExecutor', () => {
  it('calls the task function with the attempt input and context, returning its value as it is', () => {
    const seen: unknown[] = [];
    const attempt = {
      input: { a: 1 },
      context: { tag: 'ctx' },
      task: { id: 't', run: (input: unknown, ctx: unknown) => (seen.push(input, ctx), 42) },
    } as unknown as Attempt;
    expect(inProcessExecutor.execute(attempt)).toBe(42); // synchronously: no promise per task
    expect(seen).toEqual([{ a: 1 }, { tag: 'ctx' }]);
    expect(inProcessExecutor.name).toBe('in-process');
    expect(Object.isFrozen(inProcessExecutor)).toBe(true);
  });

  it('lets a synchronous throw through, for the engine to count as the attempt’s failure', () => {
    const attempt = { task: { run: () => { throw new Error('boom'); } } } as unknown as Attempt;
    expect(() => inProcessExecutor.execute(attempt)).toThrow('boom');
  });

  it('is the default executor of a workflow', async () => {
    const wf = workflow().task({ id: 'a', run: () => 'x' });
    expect(wf.options.executor).toBe(inProcessExecutor);
    expect((await wf.run()).output('a')).toBe('x');
  });
});
