// Agent tasks as data in a workflow: validation of both sides, $ref resolution, ctx.deps,
// dynamic agent tasks, and what a spec that is wrong is told.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgentRegistry } from '../../src/agents/agent-registry.js';
import { defineAgent, type AgentContext } from '../../src/agents/define-agent.js';
import { AgentUnknownError, SchemaInvalidError } from '../../src/errors.js';
import { workflow } from '../../src/workflow/workflow.js';
import type { WorkflowEvent } from '../../src/workflow/types.js';

const summarise = defineAgent({
  name: 'summarise',
  description: 'shortens a text',
  input: z.object({ text: z.string(), max: z.number().int().positive() }),
  output: z.object({ summary: z.string(), words: z.number() }),
  run: ({ text, max }) => ({ summary: text.slice(0, max), words: text.split(' ').length }),
});

/** Returns what it is told to, to break its own output schema on demand. */
const echo = defineAgent({
  name: 'echo',
  input: z.object({ value: z.unknown() }),
  output: z.object({ ok: z.boolean(), n: z.number() }),
  run: ({ value }) => value as { ok: boolean; n: number },
});

const seen: { deps: unknown; agent: string; input: unknown }[] = [];
const inspect = defineAgent({
  name: 'inspect',
  input: z.unknown(),
  output: z.unknown(),
  run: (input, ctx: AgentContext) => {
    seen.push({ deps: { ...ctx.deps }, agent: ctx.agent, input });
    return input;
  },
});

const registry = () => createAgentRegistry([summarise, echo, inspect]);

describe('agent tasks', () => {
  it('run the agent on validated data and succeed with the validated output', async () => {
    const wf = workflow({ agents: registry() });
    wf.task({ id: 's', agent: 'summarise', input: { text: 'one two three', max: 3 } });
    const result = await wf.run();
    expect(result.status).toBe('succeeded');
    expect(result.output('s')).toEqual({ summary: 'one', words: 3 });
  });

  it('fail with SCHEMA_INVALID listing every bad input field, without retrying', async () => {
    const wf = workflow({ agents: registry() });
    wf.task({ id: 's', agent: 'summarise', input: { text: 5, max: -1 }, retry: { maxAttempts: 3, initialDelayMs: 0 } });
    const result = await wf.run();
    const task = result.task('s')!;
    expect(task.status).toBe('failed');
    expect(task.attempts).toBe(1);
    const error = task.error as SchemaInvalidError;
    expect(error).toBeInstanceOf(SchemaInvalidError);
    expect([error.side, error.agentName]).toEqual(['input', 'summarise']);
    expect(error.issues.map((i) => i.path)).toEqual(['$.text', '$.max']);
  });

  it('fail with SCHEMA_INVALID on a bad output, every field listed, and retry it by the policy', async () => {
    const wf = workflow({ agents: registry() });
    wf.task({ id: 'e', agent: 'echo', input: { value: { ok: 'yes', n: 'one' } }, retry: { maxAttempts: 2, initialDelayMs: 0 } });
    const result = await wf.run();
    const error = result.task('e')!.error as SchemaInvalidError;
    expect(result.task('e')!.attempts).toBe(2);
    expect(error.side).toBe('output');
    expect(error.issues).toEqual([
      { path: '$.ok', message: 'Invalid input: expected boolean, received string' },
      { path: '$.n', message: 'Invalid input: expected number, received string' },
    ]);
  });

  it('replace $refs by dependency outputs (whole, or a path in them), and add them as dependencies', async () => {
    seen.length = 0;
    const wf = workflow({ agents: registry() });
    wf.task({ id: 'fetch', run: () => ({ page: { title: 'Weft', body: 'a b c d' }, links: ['x', 'y'] }) });
    wf.task({ id: 'meta', run: () => 42 });
    wf.task({
      id: 'look',
      agent: 'inspect',
      dependsOn: ['meta'],
      input: { title: { $ref: 'fetch', path: 'page.title' }, second: { $ref: 'fetch', path: 'links.1' }, all: [{ $ref: 'meta' }], fixed: { keep: true } },
    });
    wf.task({ id: 's', agent: 'summarise', input: { text: { $ref: 'fetch', path: 'page.body' }, max: 3 } });
    const result = await wf.run();
    expect(result.status).toBe('succeeded');
    expect(result.output('look')).toEqual({ title: 'Weft', second: 'y', all: [42], fixed: { keep: true } });
    expect(result.output('s')).toEqual({ summary: 'a b', words: 4 });
    expect(seen).toEqual([{ deps: { meta: 42, fetch: { page: { title: 'Weft', body: 'a b c d' }, links: ['x', 'y'] } }, agent: 'inspect', input: result.output('look') }]);
    expect(wf.toMermaid()).toContain('fetch');
  });

  it('report a $ref path that is not in the output as an input schema issue at its place', async () => {
    const wf = workflow({ agents: registry() });
    wf.task({ id: 'fetch', run: () => ({ page: {} }) });
    wf.task({ id: 's', agent: 'summarise', input: { text: { $ref: 'fetch', path: 'page.body' }, max: 3 } });
    const error = (await wf.run()).task('s')!.error as SchemaInvalidError;
    expect(error.issues).toEqual([{ path: '$.text', message: '`$ref`: `page.body` of the output of `fetch` is undefined' }]);
  });

  it('name the agent in the task events', async () => {
    const wf = workflow({ agents: registry() });
    wf.task({ id: 'plain', run: () => 1 });
    wf.task({ id: 's', agent: 'summarise', input: { text: 'x', max: 1 }, dependsOn: ['plain'] });
    const handle = wf.start();
    const events: WorkflowEvent[] = [];
    handle.on('*', (e) => events.push(e));
    await handle.result;
    expect(events.filter((e) => e.taskId === 's').map((e) => [e.type, e.agent])).toEqual([
      ['task:ready', 'summarise'],
      ['task:start', 'summarise'],
      ['task:succeeded', 'summarise'],
    ]);
    expect(events.find((e) => e.taskId === 'plain')?.agent).toBeUndefined();
  });

  it('can be added while running, from ctx.addTask and from hooks, in the same data form', async () => {
    const wf = workflow({ agents: registry() });
    wf.task({
      id: 'plan',
      run: async (_input, ctx) => {
        await ctx.addTask({ id: 'dyn', agent: 'summarise', input: { text: { $ref: 'plan', path: 'text' }, max: 4 }, dependsOn: ['plan'] });
        return { text: 'dynamic task' };
      },
    });
    wf.onTaskComplete('plan', (_out, ctl) => void ctl.addTask({ id: 'hooked', agent: 'echo', input: { value: { ok: true, n: 1 } } }));
    const handle = wf.start();
    const added: WorkflowEvent[] = [];
    handle.on('task:added', (e) => added.push(e));
    const result = await handle.result;
    expect(result.status).toBe('succeeded');
    expect(result.output('dyn')).toEqual({ summary: 'dyna', words: 2 });
    expect(result.output('hooked')).toEqual({ ok: true, n: 1 });
    expect(added.map((e) => [e.taskId, e.spec?.agent, e.spec?.input])).toEqual([
      ['dyn', 'summarise', { text: { $ref: 'plan', path: 'text' }, max: 4 }],
      ['hooked', 'echo', { value: { ok: true, n: 1 } }],
    ]);
  });

  it("hand the executor the data: agent, input, and the agent's worker unless the task sets one", async () => {
    const worker = { module: './agents/heavy.js', export: 'run' };
    const heavy = defineAgent({ name: 'heavy', worker, input: z.null(), output: z.null(), run: () => null });
    const seenTasks: Record<string, unknown>[] = [];
    const wf = workflow({
      agents: createAgentRegistry([heavy]),
      executor: { name: 'spy', execute: (attempt) => (seenTasks.push({ ...attempt.task }), attempt.task.run!(attempt.input, attempt.context)) },
    });
    wf.task({ id: 'a', agent: 'heavy', input: null });
    wf.task({ id: 'b', agent: 'heavy', input: null, worker: { module: 'other.js' } } as never);
    await wf.run();
    expect(seenTasks.map((t) => [t.id, t.agent, t.input, t.worker])).toEqual([
      ['a', 'heavy', null, worker],
      ['b', 'heavy', null, { module: 'other.js' }],
    ]);
    expect(() => defineAgent({ name: 'w', worker: { module: 3 } as never, input: z.null(), output: z.null(), run: () => null })).toThrow('agent `w`: Expected `worker` to be worker options ({ module, export? }), got `{"module":3}` (object)');
  });

  it('say clearly what is wrong with a spec', async () => {
    const wf = workflow({ agents: registry() });
    expect(() => wf.task({ id: 'a' } as never)).toThrow(new TypeError('task `a`: Expected `run` (a function), `worker` (a module\'s export) or `agent` (an agent\'s name), got none'));
    expect(() => wf.task({ id: 'a', agent: 'nope' })).toThrow(new AgentUnknownError('nope', ['summarise', 'echo', 'inspect'], 'task `a`'));
    expect(() => wf.task({ id: 'a', agent: 'nope' })).toThrow('task `a`: unknown agent `nope` (registered: summarise, echo, inspect)');
    expect(() => wf.task({ id: 'a', agent: 'echo', run: () => 1 } as never)).toThrow("task `a`: give `run` (a function) or `agent` (an agent's name), not both");
    expect(() => wf.task({ id: 'a', agent: 7 } as never)).toThrow("task `a`: Expected `agent` to be an agent's name, got `7` (number)");
    expect(() => wf.task({ id: 'a', run: () => 1, input: { x: 1 } } as never)).toThrow("task `a`: `input` is an agent task's; a `run` task receives its dependencies' outputs");
    expect(() => wf.task({ id: 'a', agent: 'echo', input: { v: { $ref: 3 } } })).toThrow('task `a`: Expected `input.v.$ref` to be a task id, got `3` (number)');
    expect(() => wf.task({ id: 'a', agent: 'echo', input: [{ $ref: 'x', path: 1 }] })).toThrow('task `a`: Expected `input[0].path` to be a dotted path string (`a.b.0`), got `1` (number)');
    expect(() => wf.task({ id: 'a', agent: 'echo', input: { $ref: 'x', extra: 1 } })).toThrow('task `a`: Expected `input` (a `$ref`) to have only `$ref` and `path`, got `extra`');
    expect(() => workflow().task({ id: 'a', agent: 'echo' })).toThrow("task `a`: `agent: \"echo\"` needs the workflow's `agents` option (a registry from createAgentRegistry([...]))");
    expect(() => workflow({ agents: [] as never })).toThrow('Expected `agents` to be an agent registry (createAgentRegistry), got `[]` (array)');
    // A $ref to a task that does not exist is an unknown dependency, found with the graph.
    wf.task({ id: 'b', agent: 'echo', input: { value: { $ref: 'ghost' } } });
    expect(() => wf.validate()).toThrow(/ghost/);
  });

  it('refuse a dynamic agent task with the reason', async () => {
    const errors: string[] = [];
    const wf = workflow({ agents: registry() });
    wf.task({
      id: 'p',
      run: async (_i, ctx) => {
        for (const spec of [{ id: 'x', agent: 'nope' }, { id: 'y' }]) await ctx.addTask(spec as never).catch((e: Error) => errors.push(e.message));
      },
    });
    await wf.run();
    expect(errors).toEqual(['task `x`: unknown agent `nope` (registered: summarise, echo, inspect)', "task `y`: Expected `run` (a function), `worker` (a module's export) or `agent` (an agent's name), got none"]);
  });
});
