// Per-agent limits seen through runs: the concurrency cap (a group `agent:<name>`), the instance
// pool, the agent's rate limiter as its tasks' default, and the registry's metrics.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgentRegistry } from '../../src/agents/agent-registry.js';
import { defineAgent } from '../../src/agents/define-agent.js';
import { getRateLimiter } from '../../src/scheduler/rate-limiter.js';
import { workflow } from '../../src/workflow/index.js';
import { deferred, type Deferred } from '../helpers/deferred.js';

let k = 0;
const fresh = (): string => `agent-limiter-${process.pid}-${++k}`;

/** An agent whose every run waits for the test to finish it; `started(n)` resolves once n runs began. */
function gated(name: string, concurrency: number, extra: { create?: () => unknown; rateLimit?: string } = {}) {
  const open: Deferred<number>[] = [];
  const instances: unknown[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const started = (n: number): Promise<void> => new Promise((resolve) => (open.length >= n ? resolve() : waiters.push({ n, resolve })));
  const agent = defineAgent({
    name,
    concurrency,
    ...extra,
    input: z.object({ n: z.number() }),
    output: z.number(),
    run: ({ n }, ctx) => {
      instances.push(ctx.instance);
      const d = deferred<number>();
      open.push(d);
      for (const w of waiters.splice(0)) if (open.length >= w.n) w.resolve();
      else waiters.push(w);
      return d.promise.then((v) => v + n);
    },
  });
  return { agent, open, instances, started };
}

describe('agent concurrency', () => {
  it('runs at most `concurrency` of an agent\'s tasks at once, with more tasks than that', async () => {
    const { agent, open, started } = gated('capped', 2);
    const wf = workflow({ agents: createAgentRegistry([agent]) });
    for (let i = 0; i < 7; i++) wf.task({ id: `t${i}`, agent: 'capped', input: { n: i } });
    wf.task({ id: 'free', run: () => 'not capped' }); // other tasks are not held up by the agent's cap
    const handle = wf.start();
    let inFlight = 0;
    let max = 0;
    handle.on('task:start', (e) => {
      if (e.agent === 'capped') max = Math.max(max, ++inFlight);
    });
    handle.on('task:succeeded', (e) => {
      if (e.agent === 'capped') inFlight--;
    });
    for (let done = 0; done < 7; done++) {
      await started(done + 1);
      open[done].resolve(100);
    }
    const result = await handle.result;
    expect(result.status).toBe('succeeded');
    expect(max).toBe(2);
    expect(result.output('t6')).toBe(106);
    expect(handle.metrics().events['task:start']).toBe(8);
  });

  it('keeps a task-level group off a capped agent task, and lets a user-declared agent group set the cap', async () => {
    const { agent, open, started } = gated('declared', 2);
    const wf = workflow({ agents: createAgentRegistry([agent]), groups: { io: 1, 'agent:declared': 1 } });
    expect(() => wf.task({ id: 'x', agent: 'declared', group: 'io', input: { n: 0 } })).toThrow('task `x`: an agent task counts against its agent\'s group `agent:declared` (concurrency 2); it cannot also be in `io`');
    for (let i = 0; i < 3; i++) wf.task({ id: `t${i}`, agent: 'declared', input: { n: i } });
    const handle = wf.start();
    let inFlight = 0;
    let max = 0;
    handle.on('task:start', () => (max = Math.max(max, ++inFlight)));
    handle.on('task:succeeded', () => inFlight--);
    for (let done = 0; done < 3; done++) {
      await started(done + 1);
      open[done].resolve(0);
    }
    await handle.result;
    expect(max).toBe(1);
  });

  it('gives an agent registered after the workflow was created its group too', async () => {
    const registry = createAgentRegistry();
    const wf = workflow({ agents: registry });
    const { agent, open, started } = gated('late', 1);
    registry.register(agent);
    wf.task({ id: 'a', agent: 'late', input: { n: 1 } }).task({ id: 'b', agent: 'late', input: { n: 2 } });
    const handle = wf.start();
    let running = 0;
    let max = 0;
    handle.on('task:start', () => (max = Math.max(max, ++running)));
    handle.on('task:succeeded', () => running--);
    for (let done = 0; done < 2; done++) {
      await started(done + 1);
      open[done].resolve(0);
    }
    await handle.result;
    expect(max).toBe(1);
  });
});

describe('agent instances', () => {
  it('creates at most `concurrency` instances from the factory and reuses them between tasks and runs', async () => {
    let made = 0;
    const { agent, open, instances, started } = gated('stateful', 2, { create: () => ({ id: ++made }) });
    const registry = createAgentRegistry([agent]);
    const wf = workflow({ agents: registry });
    for (let i = 0; i < 5; i++) wf.task({ id: `t${i}`, agent: 'stateful', input: { n: i } });
    for (let run = 0; run < 2; run++) {
      const handle = wf.start();
      for (let done = 0; done < 5; done++) {
        await started(run * 5 + done + 1);
        open[run * 5 + done].resolve(0);
      }
      expect((await handle.result).status).toBe('succeeded');
    }
    expect(made).toBe(2);
    expect(instances).toHaveLength(10);
    expect(new Set(instances).size).toBe(2);
    expect(registry.metrics('stateful').instances).toBe(2);
  });

  it('fails the task whose instance cannot be created, and creates one for the next', async () => {
    let calls = 0;
    const agent = defineAgent({
      name: 'flaky-factory',
      concurrency: 1,
      input: z.null(),
      output: z.string(),
      create: async () => {
        if (++calls === 1) throw new Error('model failed to load');
        return 'model';
      },
      run: (_input, ctx) => String(ctx.instance),
    });
    const wf = workflow({ agents: createAgentRegistry([agent]) });
    wf.task({ id: 'a', agent: 'flaky-factory', input: null, priority: 2 });
    wf.task({ id: 'b', agent: 'flaky-factory', input: null, priority: 1 });
    const result = await wf.run();
    expect((result.task('a')!.error as Error).message).toBe('model failed to load');
    expect(result.output('b')).toBe('model');
  });
});

describe('agent rate limiter', () => {
  it('is the default rate limiter of the agent\'s tasks; a task may name its own', async () => {
    const mine = fresh();
    const other = fresh();
    const agent = defineAgent({
      name: 'limited',
      rateLimit: mine,
      input: z.object({ tokens: z.number() }),
      output: z.null(),
      run: ({ tokens }, ctx) => {
        ctx.reportTokens(tokens);
        return null;
      },
    });
    const wf = workflow({ agents: createAgentRegistry([agent]), rateLimits: { [mine]: { tokensPerInterval: 1e6, intervalMs: 1e12 }, [other]: { tokensPerInterval: 1e6, intervalMs: 1e12 } } });
    wf.task({ id: 'a', agent: 'limited', input: { tokens: 300 } });
    wf.task({ id: 'b', agent: 'limited', input: { tokens: 50 }, rateLimit: other });
    await wf.run();
    expect(1e6 - getRateLimiter(mine)!.state().tokens).toBeCloseTo(300, 0);
    expect(1e6 - getRateLimiter(other)!.state().tokens).toBeCloseTo(50, 0);
  });

  it('must be declared like any task\'s', () => {
    const agent = defineAgent({ name: 'undeclared', rateLimit: 'nowhere', input: z.null(), output: z.null(), run: () => null });
    const wf = workflow({ agents: createAgentRegistry([agent]) }).task({ id: 'a', agent: 'undeclared', input: null });
    expect(() => wf.validate()).toThrow('task `a`: unknown rate limiter `nowhere` (declared: none; declare it in `rateLimits`)');
  });
});

describe('agent metrics', () => {
  it('count runs, failures, latency and tokens across runs', async () => {
    const agent = defineAgent({
      name: 'measured',
      input: z.object({ fail: z.boolean() }),
      output: z.string(),
      run: ({ fail }, ctx) => {
        ctx.reportUsage({ promptTokens: 10, completionTokens: 4, costUsd: 0.002 });
        if (fail) throw new Error('no');
        return 'ok';
      },
    });
    const registry = createAgentRegistry([agent]);
    const wf = workflow({ agents: registry });
    wf.task({ id: 'a', agent: 'measured', input: { fail: false } });
    wf.task({ id: 'b', agent: 'measured', input: { fail: true } });
    wf.task({ id: 'c', agent: 'measured', input: { fail: 'not a boolean' } }); // fails validation: a failed run, no tokens
    await wf.run();
    await wf.run();
    const m = registry.metrics('measured');
    expect(m).toMatchObject({ name: 'measured', runs: 6, failures: 4, running: 0, promptTokens: 40, completionTokens: 16, tokens: 56 });
    expect(m.costUsd).toBeCloseTo(0.008, 12);
    expect(m.latencyMs.count).toBe(6);
    expect(m.latencyMs.p50).toBeGreaterThanOrEqual(0);
    expect(m.latencyMs.p95).toBeGreaterThanOrEqual(m.latencyMs.p50);
    expect(m.latencyMs.max).toBeGreaterThanOrEqual(m.latencyMs.p95);
    expect(registry.metrics()).toEqual([m]);
  });

  it('measure latency from the start of a task to its validated output', async () => {
    const gate = deferred();
    const began = deferred();
    const agent = defineAgent({
      name: 'slow',
      input: z.null(),
      output: z.null(),
      run: () => {
        began.resolve();
        return gate.promise.then(() => null);
      },
    });
    const registry = createAgentRegistry([agent]);
    const wf = workflow({ agents: registry }).task({ id: 'a', agent: 'slow', input: null });
    const handle = wf.start();
    await began.promise;
    expect(registry.metrics('slow').running).toBe(1);
    const t0 = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
    const waited = performance.now() - t0;
    gate.resolve();
    await handle.result;
    expect(registry.metrics('slow').latencyMs.max).toBeGreaterThanOrEqual(waited * 0.9);
    expect(registry.metrics('slow').running).toBe(0);
  });
});
