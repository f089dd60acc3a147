// Budgets: the workflow's (every agent task draws on it) and each agent's (its own tasks), charged
// by ctx.reportUsage; once spent, no further task drawing on it starts: it fails with
// BUDGET_EXCEEDED, or waits suspended. Running tasks finish. result.usage says what went where.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgentRegistry } from '../../src/agents/agent-registry.js';
import { defineAgent, type Budget } from '../../src/agents/define-agent.js';
import { BudgetExceededError } from '../../src/errors.js';
import { workflow, type WorkflowOptions } from '../../src/workflow/index.js';
import type { WorkflowEvent } from '../../src/workflow/types.js';
import { deferred, until } from '../helpers/deferred.js';

/** An agent that spends `tokens` (half prompt, half completion) and `costUsd` per task. */
function spender(name: string, budget?: Budget) {
  return defineAgent({
    name,
    budget,
    input: z.object({ tokens: z.number(), costUsd: z.number().default(0) }),
    output: z.string(),
    run: ({ tokens, costUsd }, ctx) => {
      ctx.reportUsage({ promptTokens: tokens / 2, completionTokens: tokens / 2, costUsd });
      return `${ctx.taskId} spent ${tokens}`;
    },
  });
}

/** A chain of agent tasks t0 → t1 → ... (so the order of spending is fixed). */
function chain(options: WorkflowOptions, agents: readonly string[], tokens: number, costUsd = 0) {
  const wf = workflow(options);
  agents.forEach((agent, i) => wf.task({ id: `t${i}`, agent, input: { tokens, costUsd }, ...(i > 0 && { dependsOn: [`t${i - 1}`] }) }));
  return wf;
}

describe('workflow budget', () => {
  it('fails the agent tasks that would start once the tokens are spent, and skips their dependents', async () => {
    const agents = createAgentRegistry([spender('a')]);
    const wf = chain({ agents, budget: { tokens: 250 } }, ['a', 'a', 'a', 'a', 'a'], 100);
    wf.task({ id: 'plain', dependsOn: ['t1'], run: () => 'plain tasks do not draw on it' });
    const result = await wf.run();
    expect(result.tasks.map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed', 'skipped', 'succeeded']);
    const error = result.task('t3')!.error as BudgetExceededError;
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(error.budget).toBe('workflow');
    expect(error.spent).toEqual({ tokens: 300, costUsd: 0 });
    expect(error.message).toBe('task `t3` not started: the workflow budget is spent (300 of 250 tokens)');
    expect(result.task('t3')!.attempts).toBe(0); // never started
    expect(result.usage.total).toEqual({ promptTokens: 150, completionTokens: 150, tokens: 300, costUsd: 0 });
  });

  it('counts dollars too, and never retries a task it stopped', async () => {
    const agents = createAgentRegistry([spender('a')]);
    const wf = workflow({ agents, budget: { costUsd: 0.05 } });
    wf.task({ id: 'first', agent: 'a', input: { tokens: 2, costUsd: 0.05 } });
    wf.task({ id: 'second', agent: 'a', input: { tokens: 2 }, dependsOn: ['first'], retry: { maxAttempts: 5, initialDelayMs: 0 } });
    const result = await wf.run();
    expect(result.task('second')!.status).toBe('failed');
    expect((result.task('second')!.error as Error).message).toBe('task `second` not started: the workflow budget is spent ($0.05 of $0.05)');
  });

  it('lets tasks already running finish and spend', async () => {
    const gate = deferred();
    const slow = defineAgent({
      name: 'slow',
      input: z.null(),
      output: z.null(),
      run: async (_i, ctx) => {
        await gate.promise;
        ctx.reportUsage({ promptTokens: 500, completionTokens: 0 });
        return null;
      },
    });
    const wf = workflow({ agents: createAgentRegistry([spender('fast'), slow]), budget: { tokens: 100 } });
    wf.task({ id: 'slow', agent: 'slow', input: null, priority: 10 }); // starts first
    wf.task({ id: 'fast', agent: 'fast', input: { tokens: 100 } });
    wf.task({ id: 'after', agent: 'fast', input: { tokens: 1 }, dependsOn: ['fast'] });
    const handle = wf.start();
    await until(handle.on.bind(handle), () => handle.task('after')?.status === 'failed');
    gate.resolve();
    const result = await handle.result;
    expect(result.task('slow')!.status).toBe('succeeded');
    expect(result.usage.agents).toEqual({
      slow: { promptTokens: 500, completionTokens: 0, tokens: 500, costUsd: 0 },
      fast: { promptTokens: 50, completionTokens: 50, tokens: 100, costUsd: 0 },
    });
  });
});

describe('agent budget', () => {
  it("stops only that agent's tasks; each run has its own", async () => {
    const agents = createAgentRegistry([spender('capped', { tokens: 150 }), spender('free')]);
    const wf = chain({ agents }, ['capped', 'free', 'capped', 'free', 'capped'], 100);
    wf.task({ id: 'other', agent: 'free', input: { tokens: 1 }, dependsOn: ['t3'] });
    for (let run = 0; run < 2; run++) {
      const result = await wf.run();
      expect(result.tasks.map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed', 'succeeded']);
      const error = result.task('t4')!.error as BudgetExceededError;
      expect(error.budget).toBe('agent:capped');
      expect(error.message).toBe('task `t4` not started: the agent `capped` budget is spent (200 of 150 tokens)');
      expect(result.usage.agents.capped.tokens).toBe(200);
      expect(result.usage.agents.free.tokens).toBe(201);
      expect(Object.keys(result.usage.tasks)).toEqual(['t0', 't1', 't2', 't3', 'other']);
      expect(result.usage.tasks.t2).toEqual({ promptTokens: 50, completionTokens: 50, tokens: 100, costUsd: 0 });
    }
  });
});

describe("onBudgetExceeded: 'suspend'", () => {
  it('suspends the tasks a spent budget stops; setBudget lets them start, resume lets one through', async () => {
    const agents = createAgentRegistry([spender('a')]);
    const wf = workflow({ agents, budget: { tokens: 100 }, onBudgetExceeded: 'suspend' });
    wf.task({ id: 'first', agent: 'a', input: { tokens: 100 } });
    wf.task({ id: 'x', agent: 'a', input: { tokens: 100 }, dependsOn: ['first'] });
    wf.task({ id: 'y', agent: 'a', input: { tokens: 100 }, dependsOn: ['first'] });
    wf.task({ id: 'z', agent: 'a', input: { tokens: 100 }, dependsOn: ['x', 'y'] });
    const handle = wf.start();
    const events: WorkflowEvent[] = [];
    handle.on('*', (e) => events.push(e));
    await until(handle.on.bind(handle), () => handle.suspended().length === 2);
    expect(handle.suspended()).toEqual(['x', 'y']);
    const parked = events.find((e) => e.type === 'task:suspended' && e.taskId === 'x')!;
    expect(parked).toMatchObject({ reason: 'budget', agent: 'a', payload: { budget: 'workflow', spent: { tokens: 100, costUsd: 0 }, limit: { tokens: 100 } } });
    expect(handle.settled).toBe(false);
    // A human lets `x` through despite the budget; `y` stays suspended.
    handle.resume('x');
    await until(handle.on.bind(handle), () => handle.task('x')?.status === 'succeeded');
    expect(handle.suspended()).toEqual(['y']);
    // Raising the budget lets the rest start; `z` then stops at the new limit.
    handle.setBudget({ tokens: 300 });
    await until(handle.on.bind(handle), () => handle.task('y')?.status === 'succeeded' && handle.suspended().length === 1);
    expect(handle.suspended()).toEqual(['z']);
    handle.setBudget({ tokens: 400 });
    const result = await handle.result;
    expect(result.status).toBe('succeeded');
    expect(result.usage.total.tokens).toBe(400);
    expect(events.filter((e) => e.type === 'task:resumed').map((e) => e.taskId)).toEqual(['x', 'y', 'z']);
  });

  it("sets an agent's budget for the run, and cancels cleanly with tasks suspended", async () => {
    const agents = createAgentRegistry([spender('a', { tokens: 10 })]);
    const wf = workflow({ agents, onBudgetExceeded: 'suspend' });
    wf.task({ id: 'first', agent: 'a', input: { tokens: 10 } });
    wf.task({ id: 'second', agent: 'a', input: { tokens: 10 }, dependsOn: ['first'] });
    wf.task({ id: 'third', agent: 'a', input: { tokens: 10 }, dependsOn: ['second'] });
    const handle = wf.start();
    await until(handle.on.bind(handle), () => handle.suspended().length === 1);
    expect(() => handle.setBudget({ tokens: 5 }, { agent: 'ghost' })).toThrow('unknown agent `ghost` (registered: a)');
    handle.setBudget({ tokens: 20 }, { agent: 'a' });
    await until(handle.on.bind(handle), () => handle.task('third')?.status === 'suspended');
    handle.cancel('enough');
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect(result.tasks.map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'cancelled']);
    expect(() => handle.setBudget({ tokens: 1 })).not.toThrow(); // a settled run just keeps the number
  });
});

describe('budget options', () => {
  it('are validated', () => {
    expect(() => workflow({ budget: { tokens: -1 } })).toThrow('Expected `budget.tokens` to be a number >= 0, got `-1` (number)');
    expect(() => workflow({ onBudgetExceeded: 'pause' as never })).toThrow("Expected `onBudgetExceeded` to be one of 'fail', 'suspend', got `\"pause\"` (string)");
  });

  it('result.usage is empty when nothing was reported', async () => {
    const result = await workflow().task({ id: 'a', run: () => 1 }).run();
    expect(result.usage).toEqual({ total: { promptTokens: 0, completionTokens: 0, tokens: 0, costUsd: 0 }, agents: {}, tasks: {} });
  });
});
