// The context an agent receives forwards every call to its task's context: the same signal, the
// same reports, the same dynamic tasks.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgentRegistry } from '../../src/agents/agent-registry.js';
import { defineAgent, type AgentContext } from '../../src/agents/define-agent.js';
import { workflow } from '../../src/workflow/workflow.js';
import type { TaskContext, WorkflowEvent } from '../../src/workflow/types.js';

describe('AgentContext', () => {
  it("is the task's context plus agent, deps and instance", async () => {
    let agentCtx: AgentContext<{ id: number }> | undefined;
    let executorCtx: TaskContext | undefined;
    const agent = defineAgent({
      name: 'probe',
      input: z.null(),
      output: z.string(),
      create: () => ({ id: 7 }),
      run: async (_input, ctx: AgentContext<{ id: number }>) => {
        agentCtx = ctx;
        ctx.heartbeat(0.5);
        ctx.stream('s');
        ctx.reportTokens(1);
        ctx.reportUsage({ promptTokens: 2, completionTokens: 3 });
        ctx.reportBytes(4);
        await ctx.addTask({ id: 'child', run: () => 'c' });
        return `${ctx.taskId}#${ctx.attempt} ${String(ctx.runInput)} ${ctx.instance.id} ${ctx.deadline === undefined} ${ctx.memory === undefined} ${ctx.resumeData === undefined}`;
      },
    });
    const wf = workflow({
      agents: createAgentRegistry([agent]),
      executor: {
        name: 'spy',
        execute: (attempt) => {
          if (attempt.taskId === 'p') executorCtx = attempt.context;
          return attempt.task.run(attempt.input, attempt.context);
        },
      },
    });
    wf.task({ id: 'dep', run: () => 'd' });
    wf.task({ id: 'p', agent: 'probe', input: null, dependsOn: ['dep'] });
    const handle = wf.start({ input: 'in' });
    const events: WorkflowEvent[] = [];
    handle.on('*', (e) => events.push(e));
    const result = await handle.result;
    expect(result.output('p')).toBe('p#1 in 7 true true true');
    expect(result.output('child')).toBe('c');
    expect(agentCtx!.agent).toBe('probe');
    expect({ ...agentCtx!.deps }).toEqual({ dep: 'd' });
    expect(agentCtx!.signal).toBe(executorCtx!.signal); // one signal: cancelling the task aborts what the agent holds
    expect(handle.metrics().tokens).toBe(6);
    expect(events.filter((e) => e.taskId === 'p').map((e) => e.type)).toEqual(['task:ready', 'task:start', 'task:heartbeat', 'task:stream', 'task:succeeded']);
  });

  it('suspends through the task', async () => {
    const agent = defineAgent({ name: 'asker', input: z.null(), output: z.string(), run: async (_i, ctx) => String(await ctx.suspend('approve?', { draft: 1 })) });
    const handle = workflow({ agents: createAgentRegistry([agent]) }).task({ id: 'a', agent: 'asker', input: null }).start();
    const suspended = new Promise<WorkflowEvent>((resolve) => handle.on('task:suspended', resolve));
    expect(await suspended).toMatchObject({ reason: 'approve?', payload: { draft: 1 }, agent: 'asker' });
    handle.resume('a', 'yes');
    expect((await handle.result).output('a')).toBe('yes');
  });
});
