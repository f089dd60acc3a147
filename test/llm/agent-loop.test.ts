import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isWeftError } from '../../src/errors.js';
import { runAgentLoop, type LoopConfig, type LoopContext, type LoopTools } from '../../src/llm/agent-loop.js';
import { createChatClient } from '../../src/llm/chat-client.js';
import { structuredOutput } from '../../src/llm/structured-output.js';
import { deferred } from '../helpers/deferred.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../helpers/scripted-llm-server.js';

let server: ScriptedLlmServer;
beforeAll(async () => {
  server = await startScriptedLlmServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const config = (extra: Partial<LoopConfig> = {}): LoopConfig => ({
  name: 'tester',
  client: createChatClient({ baseUrl: server.baseUrl, model: 'm', retryDelayMs: 0 }),
  instructions: 'Be brief.',
  maxSteps: 5,
  maxToolErrors: 2,
  stream: false,
  prices: undefined,
  output: undefined,
  body: {},
  ...extra,
});

function context(signal = new AbortController().signal) {
  const usage: { promptTokens: number; completionTokens: number; costUsd?: number }[] = [];
  const bytes: number[] = [];
  const deltas: string[] = [];
  const ctx: LoopContext = { signal, reportUsage: (u) => usage.push(u), reportBytes: (n) => bytes.push(n), stream: (d) => deltas.push(d) };
  return { ctx, usage, bytes, deltas };
}

class FatalToolError extends Error {}
function tools(impl: Record<string, (args: Record<string, unknown>) => unknown>): LoopTools & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  return {
    calls,
    definitions: Object.keys(impl).map((name) => ({ type: 'function', function: { name, description: name, parameters: { type: 'object' } } })),
    async call(name, args) {
      calls.push([name, args]);
      const fn = impl[name];
      if (!fn) throw new Error(`unknown tool \`${name}\``);
      return fn(args as Record<string, unknown>);
    },
    isFatal: (error) => error instanceof FatalToolError,
  };
}

const toolMessages = (n: number) => server.requests[n - 1].body.messages.filter((m) => m.role === 'tool');

describe('runAgentLoop', () => {
  it('returns the final text, reporting usage and cost per model call', async () => {
    server.script({ text: 'Paris.', usage: { prompt_tokens: 1000, completion_tokens: 500 } });
    const { ctx, usage, bytes } = context();
    const out = await runAgentLoop(config({ prices: { promptPer1K: 0.5, completionPer1K: 2 } }), { prompt: 'Capital of France?' }, ctx, undefined);
    expect(out.output).toBe('Paris.');
    expect(out).toMatchObject({ steps: 1, promptTokens: 1000, completionTokens: 500, costUsd: 1.5 });
    expect(usage).toEqual([{ promptTokens: 1000, completionTokens: 500, costUsd: 1.5 }]);
    expect(bytes[0]).toBe(Buffer.byteLength(server.requests[0].raw));
    expect(server.requests[0].body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
  });

  it('puts the earlier conversation between the instructions and the prompt', async () => {
    server.script({ text: 'ok' });
    const history = [
      { role: 'user' as const, content: 'My name is Ada.' },
      { role: 'assistant' as const, content: 'Hello Ada.' },
    ];
    await runAgentLoop(config(), { prompt: 'What is my name?', messages: history }, context().ctx, undefined);
    expect(server.requests[0].body.messages.map((m) => m.content)).toEqual(['Be brief.', 'My name is Ada.', 'Hello Ada.', 'What is my name?']);
  });

  it('runs a tool call and sends its result back with the call id', async () => {
    server.script({ toolCalls: [{ id: 'c1', name: 'add', arguments: { a: 2, b: 3 } }] }, { text: '5' });
    const t = tools({ add: ({ a, b }) => ({ sum: (a as number) + (b as number) }) });
    const out = await runAgentLoop(config(), { prompt: '2+3?' }, context().ctx, t);
    expect(out.output).toBe('5');
    expect(out.steps).toBe(2);
    expect(t.calls).toEqual([['add', { a: 2, b: 3 }]]);
    expect(server.requests[0].body.tools?.map((d) => d.function.name)).toEqual(['add']);
    expect(toolMessages(2)).toEqual([{ role: 'tool', tool_call_id: 'c1', content: '{"sum":5}' }]);
    expect(server.requests[1].body.messages[2]).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'c1', function: { name: 'add' } }] });
  });

  it('runs the tool calls of one answer in parallel, results in the calls order', async () => {
    server.script({ toolCalls: [{ id: 'slow', name: 'wait', arguments: {} }, { id: 'fast', name: 'release', arguments: {} }] }, { text: 'both' });
    const gate = deferred<string>();
    // `wait` can only finish once `release` has started: run one after the other, this deadlocks.
    const t = tools({ wait: () => gate.promise, release: () => (gate.resolve('released'), 'done') });
    await runAgentLoop(config(), { prompt: 'go' }, context().ctx, t);
    expect(toolMessages(2)).toEqual([
      { role: 'tool', tool_call_id: 'slow', content: 'released' },
      { role: 'tool', tool_call_id: 'fast', content: 'done' },
    ]);
  });

  it('sends malformed tool-call JSON back as a tool error the model can correct', async () => {
    server.script({ toolCalls: [{ id: 'bad', name: 'add', arguments: '{"a": 1,' }] }, { toolCalls: [{ id: 'good', name: 'add', arguments: { a: 1, b: 1 } }] }, { text: '2' });
    const t = tools({ add: ({ a, b }) => (a as number) + (b as number) });
    const out = await runAgentLoop(config(), { prompt: '1+1' }, context().ctx, t);
    expect(out.output).toBe('2');
    const [error] = toolMessages(2);
    expect(error.tool_call_id).toBe('bad');
    expect(JSON.parse(error.content as string).error).toMatch(/^the arguments are not valid JSON \(.+\); call `add` again with a JSON object$/);
    expect(t.calls).toEqual([['add', { a: 1, b: 1 }]]);
  });

  it('fails with LLM_BAD_RESPONSE past maxToolErrors malformed calls', async () => {
    const bad = { toolCalls: [{ name: 'add', arguments: 'nope' }] };
    server.script(bad, bad, bad, { text: 'never' });
    const error = await runAgentLoop(config({ maxToolErrors: 2 }), { prompt: 'x' }, context().ctx, tools({ add: () => 0 })).catch((e: unknown) => e);
    expect(isWeftError(error, 'LLM_BAD_RESPONSE')).toBe(true);
    expect((error as Error).message).toContain('more than 2 tool calls with malformed JSON arguments (last: `add`)');
    expect(server.requests).toHaveLength(3);
  });

  it('fails with LLM_MAX_STEPS without running the tools of the last step', async () => {
    const again = { toolCalls: [{ name: 'ping', arguments: {} }] };
    server.script(again, again, again);
    const t = tools({ ping: () => 'pong' });
    const error = await runAgentLoop(config({ maxSteps: 3 }), { prompt: 'loop' }, context().ctx, t).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LLM_MAX_STEPS', maxSteps: 3, message: 'agent `tester` reached maxSteps (3) without a final answer' });
    expect(t.calls).toHaveLength(2);
  });

  it('tells the model about a failing tool, but lets a fatal tool error end the run', async () => {
    server.script({ toolCalls: [{ name: 'flaky', arguments: {} }, { name: 'missing', arguments: {} }] }, { text: 'coped' });
    const t = tools({
      flaky: () => {
        throw new Error('upstream 500');
      },
    });
    expect((await runAgentLoop(config(), { prompt: 'x' }, context().ctx, t)).output).toBe('coped');
    expect(toolMessages(2).map((m) => JSON.parse(m.content as string))).toEqual([{ error: 'upstream 500' }, { error: 'unknown tool `missing`' }]);
    server.script({ toolCalls: [{ name: 'budget', arguments: {} }] }, { text: 'never' });
    const fatal = tools({
      budget: () => {
        throw new FatalToolError('call budget spent');
      },
    });
    await expect(runAgentLoop(config(), { prompt: 'x' }, context().ctx, fatal)).rejects.toThrow('call budget spent');
  });

  it('parses and validates structured output, showing the issues to the model once', async () => {
    const schema = z.object({ title: z.string(), score: z.number().int() });
    const output = structuredOutput(schema, z.toJSONSchema(schema), 'review', true);
    server.script({ text: '```json\n{"title": "ok", "score": 1.5}\n```' }, { text: '{"title": "ok", "score": 2}' });
    const out = await runAgentLoop(config({ output }), { prompt: 'rate' }, context().ctx, undefined);
    expect(out.output).toEqual({ title: 'ok', score: 2 });
    expect(server.requests[0].body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'review' } });
    expect(server.requests[0].body.messages[0].content).toContain('"score"');
    const repair = server.requests[1].body.messages.at(-1)!;
    expect(repair.role).toBe('user');
    expect(repair.content).toMatch(/^Your answer does not match the required JSON schema: \$\.score: .+\. Answer again/);
  });

  it('fails with LLM_OUTPUT_INVALID listing every bad field when the second answer is still wrong', async () => {
    const schema = z.object({ title: z.string(), tags: z.array(z.string()) });
    server.script({ text: 'not json at all' }, { text: '{"title": 3, "tags": ["a", 4]}' });
    const error = await runAgentLoop(config({ output: structuredOutput(schema, undefined, 'x', false) }), { prompt: 'x' }, context().ctx, undefined).catch((e: unknown) => e);
    expect(isWeftError(error, 'LLM_OUTPUT_INVALID')).toBe(true);
    expect((error as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['$.title', '$.tags[1]']);
    expect(server.requests[0].body.response_format).toBeUndefined();
    expect(server.requests[1].body.messages.at(-1)!.content).toContain('$: not valid JSON');
  });

  it('streams content deltas to ctx.stream', async () => {
    server.script({ toolCalls: [{ name: 'ping', arguments: {} }], text: 'Let me check. ' }, { text: 'All good here' });
    const { ctx, deltas, usage } = context();
    const out = await runAgentLoop(config({ stream: true }), { prompt: 'x' }, ctx, tools({ ping: () => 'pong' }));
    expect(out.output).toBe('All good here');
    expect(deltas).toEqual(['Let ', 'me ', 'check. ', 'All ', 'good ', 'here']);
    expect(usage).toHaveLength(2);
  });

  it('aborts on the signal, during a model call or between tool calls', async () => {
    const release = deferred();
    server.script({ text: 'late', hold: release.promise });
    const controller = new AbortController();
    const pending = runAgentLoop(config(), { prompt: 'x' }, context(controller.signal).ctx, undefined);
    await server.request(1);
    controller.abort(new Error('task cancelled'));
    await expect(pending).rejects.toThrow('task cancelled');
    release.resolve();

    server.reset();
    server.script({ toolCalls: [{ name: 'stop', arguments: {} }] }, { text: 'never' });
    const c2 = new AbortController();
    const t = tools({ stop: () => c2.abort(new Error('stopped in a tool')) });
    await expect(runAgentLoop(config(), { prompt: 'x' }, context(c2.signal).ctx, t)).rejects.toThrow('stopped in a tool');
    expect(server.requests).toHaveLength(1);
  });
});
