import { describe, expect, it } from 'vitest';
import { createAgentRegistry, defineAgent, workflow, type WorkflowOptions } from '../../src/index.js';
import { z } from 'zod';

// Options and task specs that are not what they should be: each gets an error naming the field.
const bad = (options: Record<string, unknown>) => () => workflow(options as WorkflowOptions);
const noop = { record() {} };

describe('workflow options', () => {
  it('refuses options that are not what they name', () => {
    expect(bad({ groups: 5 })).toThrow('Expected `groups` to be an object of group caps, got `5`');
    expect(bad({ rateLimits: 'x' })).toThrow('Expected `rateLimits` to be an object of rate limit options');
    expect(bad({ agents: {} })).toThrow('Expected `agents` to be an agent registry (createAgentRegistry)');
    expect(bad({ executor: {} })).toThrow('Expected `executor` to be an Executor (an object with an execute(attempt) method)');
    expect(bad({ executor: null })).toThrow('Expected `executor` to be an Executor');
    expect(bad({ recorders: {} })).toThrow('Expected `recorders` to be an array of Recorders');
    expect(bad({ memory: { recall() {} } })).toThrow('Expected `memory` to be a Memory (createMemory)');
    expect(bad({ memory: null })).toThrow('Expected `memory` to be a Memory');
  });

  it('checks each recorder, the store and the worker pool for the methods the engine calls', () => {
    expect(bad({ recorders: [noop, null] })).toThrow('Expected `recorders[1]` to be a Recorder (an object with a record(batch) method), got `null`');
    expect(bad({ recorders: [noop, { record: 1 }] })).toThrow('Expected `recorders[1]` to be a Recorder');
    expect(bad({ recorders: ['r'] })).toThrow('Expected `recorders[0]` to be a Recorder');
    expect(() => workflow({ recorders: [noop] })).not.toThrow();
    const store = { beginRun() {}, record() {}, readStep() {} };
    expect(() => workflow({ store } as never)).not.toThrow();
    for (const partial of [null, 'db', { record() {}, readStep() {} }, { beginRun() {}, readStep() {} }, { beginRun() {}, record() {} }]) {
      expect(bad({ store: partial })).toThrow('Expected `store` to be a durable store (openStore({ path }))');
    }
    for (const pool of [null, 'p', { onIdle() {} }, { executor: {} , onIdle() {} }, { executor: { execute() {} } }]) {
      expect(bad({ workerPool: pool })).toThrow('Expected `workerPool` to be a worker pool');
    }
  });

  it('counts the groups an agent registry adds against the limit', () => {
    const agents = createAgentRegistry([defineAgent({ name: 'w', input: z.string(), output: z.string(), concurrency: 2, run: (s) => s })]);
    expect(() => workflow({ agents })).not.toThrow();
  });
});

describe('task specs', () => {
  it('names the task, or says there is no id', () => {
    const wf = workflow();
    expect(() => wf.task({ id: 'x' } as never)).toThrow('task `x`: Expected `run` (a function), `worker` (a module\'s export) or `agent` (an agent\'s name), got none');
    expect(() => wf.task({ id: '' } as never)).toThrow(/^Expected `run` \(a function\)/);
    expect(() => wf.task({} as never)).toThrow(/^Expected `run` \(a function\)/);
    expect(() => wf.task({ id: '', agent: 'a' } as never)).toThrow('Expected `task.id` to be a non-empty string, got `""`');
    expect(() => wf.task({ id: 3, agent: 'a' } as never)).toThrow('Expected `task.id` to be a non-empty string, got `3`');
    expect(() => wf.task(null as never)).toThrow('Expected `task` to be a task spec object, got `null`');
    expect(() => wf.task('t' as never)).toThrow('Expected `task` to be a task spec object');
    expect(() => wf.task({ id: 'i', input: 1, run: () => 1 } as never)).toThrow("task `i`: `input` is an agent task's");
  });

  it('checks stall options and groups, naming the task', () => {
    const wf = workflow({ groups: { io: 2 } });
    expect(() => wf.task({ id: 's', stallTimeoutMs: 2 ** 31, run: () => 1 })).toThrow('task `s`: Expected `stallTimeoutMs` to be a number in (0, 2147483647]');
    expect(() => wf.task({ id: 's', stallTimeoutMs: 0, run: () => 1 })).toThrow('Expected `stallTimeoutMs` to be a number in (0, 2147483647]');
    expect(() => wf.task({ id: 's', stallTimeoutMs: '5' as never, run: () => 1 })).toThrow('Expected `stallTimeoutMs`');
    expect(() => wf.task({ id: 's', stallTimeoutMs: 2 ** 31 - 1, run: () => 1 })).not.toThrow();
    expect(() => wf.task({ id: 'o', onStall: 'explode' as never, run: () => 1 })).toThrow("Expected `onStall` to be one of");
    expect(() => wf.task({ id: 'g', group: 'net', run: () => 1 })).toThrow('task `g`: unknown concurrency group `net` (declared: io; declare it in `groups`)');
    expect(() => workflow().task({ id: 'g', group: 'net', run: () => 1 })).toThrow('(declared: none; declare it in `groups`)');
  });
});
