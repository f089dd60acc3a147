// A worker task's context calls, made in a real pool thread and carried on the thread's link to
// the engine's context: the reports, dynamic tasks made of data, suspension for a human and
// its resumption (the attempt waits in its thread), and what is refused on the way.
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgentRegistry } from '../../src/agents/agent-registry.js';
import { defineAgent } from '../../src/agents/define-agent.js';
import { isWeftError } from '../../src/errors.js';
import { createWorkerPool } from '../../src/executors/worker-pool.js';
import { getRateLimiter } from '../../src/scheduler/rate-limiter.js';
import { workflow } from '../../src/workflow/index.js';
import type { WorkflowEvent } from '../../src/workflow/types.js';
import { deferred } from '../helpers/deferred.js';

const module = new URL('../fixtures/workers/agents.mjs', import.meta.url);
const one = createWorkerPool({ threads: 1 });
const two = createWorkerPool({ threads: 2 });
afterAll(() => Promise.all([one.close(), two.close()]));

const w = (exportName: string) => ({ module, export: exportName });

describe('worker task context', () => {
  it('forwards reportTokens, reportUsage, reportBytes, stream and heartbeat to the run', async () => {
    const agents = createAgentRegistry([]);
    const name = `worker-ctx-${process.pid}`;
    const h = workflow({ agents, workerPool: two, rateLimits: { [name]: { tokensPerInterval: 1_000, bytesPerInterval: 10_000, intervalMs: 1e12 } } }).task({ id: 'r', worker: w('reports'), rateLimit: name }).start();
    const events: WorkflowEvent[] = [];
    h.on('*', (e) => (e.type === 'task:stream' || e.type === 'task:heartbeat') && events.push(e));
    const result = await h.result;
    expect(result.output('r')).toBe('reported');
    expect(events.map((e) => (e.type === 'task:stream' ? e.delta : e.progress))).toEqual(['hel', 'lo', { step: 1 }]);
    expect(result.usage.tasks.r).toEqual({ promptTokens: 10, completionTokens: 4, tokens: 14, costUsd: 0.25 });
    expect(h.metrics().tokens).toBe(19); // 5 + the 14 of the usage
    const state = getRateLimiter(name)!.state();
    expect(Math.floor(state.tokens)).toBe(1_000 - 19);
    expect(Math.floor(state.bytes)).toBe(10_000 - 100);
  });

  it('refuses malformed reports in the thread, with the messages the engine would give', async () => {
    const result = await workflow({ workerPool: one }).task({ id: 'b', worker: w('badReports') }).run();
    expect(result.output('b')).toEqual([
      'RangeError: Expected `tokens` to be a finite number >= 0, got `-1` (number)',
      'RangeError: Expected `usage.promptTokens` to be a finite number >= 0, got `x` (string)',
      'RangeError: Expected `bytes` to be a finite number >= 0, got `Infinity` (number)',
      'TypeError: Expected `delta` to be a string, got `3` (number)',
    ]);
  });

  it('adds tasks made of data (an agent task, a worker task) and dependencies; refuses closures and duplicates', async () => {
    const summarise = defineAgent({
      name: 'summarise',
      input: z.object({ text: z.string(), words: z.number() }),
      output: z.object({ summary: z.string() }).passthrough(),
      worker: w('summarise'),
    });
    const h = workflow({ agents: createAgentRegistry([summarise]), workerPool: one }).task({ id: 'parent', worker: w('spawn') }).start();
    const added: WorkflowEvent[] = [];
    h.on('task:added', (e) => added.push(e));
    const result = await h.result;
    expect(result.status).toBe('succeeded');
    expect(added.map((e) => [e.taskId, e.dependsOn])).toEqual([
      ['child-agent', []],
      ['child-worker', ['child-agent']],
      ['late', ['child-agent']],
    ]);
    expect(result.output('child-agent')).toMatchObject({ summary: 'one two', agent: 'summarise' });
    expect(result.output('child-worker')).toEqual({ n: 2 }); // its input: child-agent's output
    expect(result.output('late')).toEqual({ n: 4 }); // child-agent and child-worker (addDependency)
    expect(result.output('parent')).toEqual([
      'TypeError: task `parent`: a task added from a worker thread must be data (`{ id, agent, input }` or `{ id, worker }`), not a `run` function',
      'RangeError: Duplicate task id `child-agent` in run ' + result.runId,
      expect.stringMatching(/^TypeError: task `parent`: addTask\(\) from a worker thread takes data only: .*could not be cloned/),
    ]);
  });

  it('suspends in the thread until resume(), the human data being what suspend() resolves to', async () => {
    const h = workflow({ workerPool: one }).task({ id: 'ask', worker: w('ask'), timeoutMs: 60_000 }).start();
    const suspended = deferred<WorkflowEvent>();
    h.on('task:suspended', (e) => suspended.resolve(e));
    const event = await suspended.promise;
    expect(event).toMatchObject({ taskId: 'ask', reason: 'approval', payload: { question: 'ok?' } });
    expect(h.suspended()).toEqual(['ask']);
    h.resume('ask', { approved: true });
    const result = await h.result;
    expect(result.output('ask')).toEqual({ answer: { approved: true }, aborted: false });
  });

  it('fails a suspended worker task cancelled meanwhile with TASK_CANCELLED, terminating its thread', async () => {
    const h = workflow({ workerPool: one }).task({ id: 'ask', worker: w('ask') }).start();
    const suspended = deferred<void>();
    h.on('task:suspended', () => suspended.resolve());
    await suspended.promise;
    h.cancelTask('ask', 'nobody answered');
    const result = await h.result;
    expect(isWeftError(result.task('ask')!.error, 'TASK_CANCELLED')).toBe(true);
    const next = await workflow({ workerPool: one }).task({ id: 'n', worker: w('double') }).run();
    expect(next.output('n')).toEqual({ n: 0 });
  });

  it("sends the engine's refusal of a call back to the thread as the call's error", async () => {
    const result = await workflow({ workerPool: one }).task({ id: 's', worker: w('badSuspend') }).run();
    expect(result.output('s')).toBe('TypeError: Expected `reason` to be a string, got `42` (number)');
  });
});
