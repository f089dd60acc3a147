// Agents with `worker` on real pool threads: the work runs on a thread, and everything else an
// agent task is (its `$ref`s, both schemas, its instance pool, its concurrency group, its
// metrics) stays on the main thread around the trip.
import { threadId as mainThreadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgentRegistry } from '../../src/agents/agent-registry.js';
import { defineAgent } from '../../src/agents/define-agent.js';
import { isWeftError } from '../../src/errors.js';
import { createWorkerPool } from '../../src/executors/worker-pool.js';
import { workflow } from '../../src/workflow/index.js';
import type { WorkflowEvent } from '../../src/workflow/types.js';

const module = new URL('../fixtures/workers/agents.mjs', import.meta.url);
const one = createWorkerPool({ threads: 1 });
const two = createWorkerPool({ threads: 2 });
afterAll(() => Promise.all([one.close(), two.close()]));

const input = z.object({ text: z.string(), words: z.number().int().positive() });
const output = z.object({ summary: z.string(), threadId: z.number(), agent: z.string().nullable(), deps: z.record(z.string(), z.unknown()), instance: z.unknown() });

function agentOn(exportName: string, extra: Record<string, unknown> = {}) {
  return defineAgent({ name: 'summarise', description: 'on a thread', input, output, worker: { module, export: exportName }, ...extra });
}

describe('agents on worker threads', () => {
  it("runs the agent's worker export on a pool thread with its validated input, $refs resolved, ctx.agent and ctx.deps", async () => {
    const agents = createAgentRegistry([agentOn('summarise')]);
    const result = await workflow({ agents, workerPool: two })
      .task({ id: 'src', run: () => ({ page: { body: 'weft runs agents on threads' } }) })
      .task({ id: 'short', agent: 'summarise', input: { text: { $ref: 'src', path: 'page.body' }, words: 3 } })
      .run();
    expect(result.status).toBe('succeeded');
    const out = result.output('short') as z.infer<typeof output>;
    expect(out.summary).toBe('weft runs agents');
    expect(out.threadId).not.toBe(mainThreadId);
    expect(out.agent).toBe('summarise');
    expect(out.deps).toEqual({ src: { page: { body: 'weft runs agents on threads' } } });
    expect(agents.metrics('summarise')).toMatchObject({ runs: 1, failures: 0, running: 0 });
  });

  it('refuses a bad input on the main thread, before any thread sees it, and validates what the thread returns', async () => {
    const summarise = agentOn('summarise');
    const bad = defineAgent({ name: 'bad', input, output, worker: { module, export: 'badOutput' } });
    const count = defineAgent({ name: 'count', input: z.null(), output, worker: { module, export: 'summariseCalls' } });
    const agents = createAgentRegistry([summarise, bad, count]);
    const result = await workflow({ agents, workerPool: one })
      .task({ id: 'wrong', agent: 'summarise', input: { text: 7, words: 0 } })
      .task({ id: 'dangling', agent: 'summarise', input: { text: { $ref: 'wrong' }, words: 1 } })
      .task({ id: 'returns-junk', agent: 'bad', input: { text: 'a b', words: 1 } })
      .run();
    const wrong = result.task('wrong')!.error as Error & { issues: { path: string }[] };
    expect(isWeftError(wrong, 'SCHEMA_INVALID')).toBe(true);
    expect(wrong.message).toContain('agent `summarise` input is invalid (2 issues)');
    expect(wrong.issues.map((i) => i.path)).toEqual(['$.text', '$.words']);
    expect(result.task('dangling')!.status).toBe('skipped'); // its $ref made it depend on `wrong`
    const junk = result.task('returns-junk')!.error as Error;
    expect(isWeftError(junk, 'SCHEMA_INVALID')).toBe(true);
    expect(junk.message).toContain('agent `bad` output is invalid');
    // The one thread never ran `summarise`: the bad input stopped on the main thread.
    const calls = await workflow({ agents, workerPool: one }).task({ id: 'calls', agent: 'count', input: null }).run();
    expect((calls.output('calls') as { summary: string }).summary).toBe('0');
    expect(agents.metrics('summarise').failures).toBe(1);
  });

  it("borrows the agent's instances on the main thread (at most `concurrency`, reused) and sends the thread a clone", async () => {
    let created = 0;
    const agent = agentOn('hold', { concurrency: 1, create: () => ({ id: `i${++created}` }) });
    const agents = createAgentRegistry([agent]);
    let wf = workflow({ agents, workerPool: two });
    for (let k = 0; k < 4; k++) wf = wf.task({ id: `t${k}`, agent: 'summarise', input: { text: 'x', words: 1 } });
    const h = wf.start();
    let running = 0;
    let most = 0;
    h.on('task:start', () => (most = Math.max(most, ++running)));
    h.on('task:succeeded', () => running--);
    const result = await h.result;
    expect(result.status).toBe('succeeded');
    // The group `agent:summarise` (cap 1) held even with two idle threads.
    expect(most).toBe(1);
    expect(created).toBe(1);
    for (let k = 0; k < 4; k++) expect(result.output(`t${k}`)).toMatchObject({ summary: 'i1', instance: { id: 'i1' } });
    expect(agents.metrics('summarise')).toMatchObject({ runs: 4, instances: 1 });
  });

  it('fails clearly when the instance cannot be sent to a thread, and the pool goes on', async () => {
    const agent = agentOn('hold', { concurrency: 1, create: () => ({ id: 'x', close() {} }) });
    const agents = createAgentRegistry([agent]);
    const result = await workflow({ agents, workerPool: one }).task({ id: 'a', agent: 'summarise', input: { text: 'x', words: 1 } }).run();
    const error = result.task('a')!.error as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^task `a`: its input cannot be sent to a worker thread \([\s\S]*could not be cloned/);
    expect(agents.metrics('summarise').instances).toBe(1);
    const next = await workflow({ workerPool: one }).task({ id: 'n', worker: { module, export: 'double' } }).run();
    expect(next.output('n')).toEqual({ n: 0 });
  });

  it('counts against the pool like worker tasks: events carry the agent and cpuMs', async () => {
    const agents = createAgentRegistry([agentOn('summarise')]);
    const events: WorkflowEvent[] = [];
    const h = workflow({ agents, workerPool: two }).task({ id: 'a', agent: 'summarise', input: { text: 'a b', words: 1 } }).start();
    h.on('task:succeeded', (e) => events.push(e));
    await h.result;
    expect(events).toHaveLength(1);
    expect(events[0].agent).toBe('summarise');
    expect(events[0].cpuMs).toBeGreaterThanOrEqual(0);
  });

  it("goes to the workflow's own executor when it has one, where an agent without `run` says it runs on threads only", async () => {
    const agents = createAgentRegistry([agentOn('summarise')]);
    const seen: string[] = [];
    const result = await workflow({ agents, executor: { name: 'remote', execute: (a) => (seen.push(a.taskId), a.task.run!(a.input, a.context)) } })
      .task({ id: 'a', agent: 'summarise', input: { text: 'a b', words: 1 } })
      .run();
    expect(seen).toEqual(['a']);
    expect((result.task('a')!.error as Error).message).toBe('agent `summarise` runs on worker threads only (it has `worker` and no `run`); this executor runs `run`');
    expect(() => defineAgent({ name: 'neither', input, output } as never)).toThrow('agent `neither`: Expected `run` to be a function, got `undefined` (undefined)');
  });
});
