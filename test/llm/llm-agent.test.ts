import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgentRegistry } from '../../src/agents/agent-registry.js';
import { isWeftError } from '../../src/errors.js';
import { llmAgent } from '../../src/llm/llm-agent.js';
import { getRateLimiter } from '../../src/scheduler/rate-limiter.js';
import { defineTool } from '../../src/tools/define-tool.js';
import { createToolExecutor } from '../../src/tools/tool-executor.js';
import { workflow } from '../../src/workflow/index.js';
import type { WorkflowEvent } from '../../src/workflow/index.js';
import { deferred } from '../helpers/deferred.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../helpers/scripted-llm-server.js';

let server: ScriptedLlmServer;
beforeAll(async () => {
  server = await startScriptedLlmServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const base = () => ({ baseUrl: server.baseUrl, apiKey: 'sk-agent-test', model: 'scripted', retryDelayMs: 0 });
const weather = defineTool({
  name: 'weather',
  description: 'Current weather in a city',
  input: z.object({ city: z.string().min(1) }),
  run: ({ city }) => ({ city, tempC: city.length }),
});

async function runOne(agent: ReturnType<typeof llmAgent<unknown>>, input: unknown, extra: Parameters<typeof workflow>[0] = {}) {
  const wf = workflow({ agents: createAgentRegistry([agent]), ...extra });
  wf.task({ id: 'ask', agent: agent.name, input });
  const events: WorkflowEvent[] = [];
  const handle = wf.start();
  handle.on('*', (e) => void events.push(e));
  const result = await handle.result;
  return { result, events, task: result.task('ask')! };
}

describe('llmAgent', () => {
  it('answers a prompt as a workflow task, its usage and cost in the result', async () => {
    server.script({ text: 'Hello, Ada.', usage: { prompt_tokens: 2000, completion_tokens: 100 } });
    const agent = llmAgent({ ...base(), name: 'greeter', instructions: 'Greet people.', prices: { promptPer1K: 0.25, completionPer1K: 1 } });
    const { result, task } = await runOne(agent, { prompt: 'I am Ada.' });
    expect(task.status).toBe('succeeded');
    expect(result.output('ask')).toBe('Hello, Ada.');
    expect(result.usage.agents.greeter).toMatchObject({ promptTokens: 2000, completionTokens: 100, costUsd: 0.6, tokens: 2100 });
    expect(server.requests[0].body.messages).toEqual([
      { role: 'system', content: 'Greet people.' },
      { role: 'user', content: 'I am Ada.' },
    ]);
    expect(agent.jsonSchema().input).toMatchObject({ type: 'object', required: ['prompt'] });
    expect(agent.jsonSchema().output).toEqual({ type: 'string' });
  });

  it('calls tools through the executor, and shows the model its invalid arguments to correct', async () => {
    server.script(
      { toolCalls: [{ id: 'a', name: 'weather', arguments: { city: '' } }] },
      { toolCalls: [{ id: 'b', name: 'weather', arguments: { city: 'Oslo' } }, { id: 'c', name: 'weather', arguments: { city: 'Rome' } }] },
      { text: 'Oslo 4, Rome 4' },
    );
    const agent = llmAgent({ ...base(), name: 'forecaster', tools: [weather] });
    const { task } = await runOne(agent, { prompt: 'Weather in Oslo and Rome?' });
    expect(task.output).toBe('Oslo 4, Rome 4');
    expect(server.requests[0].body.tools).toEqual([
      { type: 'function', function: { name: 'weather', description: 'Current weather in a city', parameters: expect.objectContaining({ type: 'object', required: ['city'] }) } },
    ]);
    const toolReplies = (n: number) => server.requests[n].body.messages.filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.content]);
    const [[id, invalid]] = toolReplies(1);
    expect(id).toBe('a');
    expect(JSON.parse(invalid as string).error).toMatch(/^tool `weather` \(args [0-9a-f]+, attempt 1\): .*\$\.city/);
    expect(toolReplies(2).slice(1)).toEqual([
      ['b', '{"city":"Oslo","tempC":4}'],
      ['c', '{"city":"Rome","tempC":4}'],
    ]);
  });

  it('fails the task when the executor detects a loop, instead of feeding it back', async () => {
    const same = { toolCalls: [{ name: 'weather', arguments: { city: 'Oslo' } }] };
    server.script(same, same, same, same);
    const agent = llmAgent({ ...base(), name: 'looper', tools: createToolExecutor([weather], { loopThreshold: 2 }) });
    const { task } = await runOne(agent, { prompt: 'again and again' });
    expect(task.status).toBe('failed');
    expect(isWeftError(task.error, 'TOOL_LOOP')).toBe(true);
  });

  it('returns the validated object of an output schema, and fails with LLM_MAX_STEPS past maxSteps', async () => {
    server.script({ text: '{"city": "Oslo", "tempC": -3}' });
    const output = z.object({ city: z.string(), tempC: z.number() });
    const agent = llmAgent({ ...base(), name: 'structured', output });
    expect((await runOne(agent, { prompt: 'as JSON' })).task.output).toEqual({ city: 'Oslo', tempC: -3 });
    expect(server.requests[0].body.response_format).toMatchObject({ type: 'json_schema' });

    server.script({ toolCalls: [{ name: 'weather', arguments: { city: 'A' } }] }, { toolCalls: [{ name: 'weather', arguments: { city: 'B' } }] });
    const bounded = llmAgent({ ...base(), name: 'bounded', tools: [weather], maxSteps: 2 });
    const { task } = await runOne(bounded, { prompt: 'x' });
    expect(task.error).toMatchObject({ code: 'LLM_MAX_STEPS', maxSteps: 2 });
  });

  it('shows the dependencies outputs to the model before the prompt (unless includeDeps is false)', async () => {
    server.script({ text: 'summary' }, { text: 'plain' });
    const registry = createAgentRegistry([llmAgent({ ...base(), name: 'summariser' }), llmAgent({ ...base(), name: 'blind', includeDeps: false })]);
    const wf = workflow({ agents: registry });
    wf.task({ id: 'facts', run: () => ({ population: 709_000 }) });
    wf.task({ id: 'sum', agent: 'summariser', input: { prompt: 'Summarise.' }, dependsOn: ['facts'] });
    wf.task({ id: 'plain', agent: 'blind', input: { prompt: 'Just this.' }, dependsOn: ['sum'] });
    const result = await wf.run();
    expect(result.status).toBe('succeeded');
    expect(server.requests[0].body.messages).toEqual([
      { role: 'user', content: 'Outputs of the tasks this one depends on (JSON, by task id):\n{"facts":{"population":709000}}' },
      { role: 'user', content: 'Summarise.' },
    ]);
    expect(server.requests[1].body.messages).toEqual([{ role: 'user', content: 'Just this.' }]);
  });

  it('streams text as task:stream events', async () => {
    server.script({ text: 'one two three' });
    const agent = llmAgent({ ...base(), name: 'streamer', stream: true });
    const { events, task } = await runOne(agent, { prompt: 'count' });
    expect(task.output).toBe('one two three');
    expect(events.filter((e) => e.type === 'task:stream').map((e) => [e.taskId, e.delta])).toEqual([
      ['ask', 'one '],
      ['ask', 'two '],
      ['ask', 'three'],
    ]);
  });

  it('charges the body bytes to the rate limiter (bytesPerInterval)', async () => {
    server.script({ text: 'x'.repeat(5000) });
    const agent = llmAgent({ ...base(), name: 'byter', rateLimit: 'llm-bytes' });
    const { task } = await runOne(agent, { prompt: 'long answer' }, { rateLimits: { 'llm-bytes': { bytesPerInterval: 1_000_000, intervalMs: 3_600_000 } } });
    expect(task.status).toBe('succeeded');
    const spent = 1_000_000 - getRateLimiter('llm-bytes')!.state().bytes;
    expect(spent).toBeGreaterThan(5000 + Buffer.byteLength(server.requests[0].raw));
    expect(spent).toBeLessThan(6000 + Buffer.byteLength(server.requests[0].raw));
  });

  it('hands a long Retry-After to the engine: the limiter pauses and the retry succeeds', async () => {
    server.script({ status: 429, retryAfter: 0.05 }, { text: 'after the pause' });
    const agent = llmAgent({ ...base(), name: 'patient', rateLimit: 'llm-429', maxRetryDelayMs: 0 });
    const wf = workflow({ agents: createAgentRegistry([agent]), rateLimits: { 'llm-429': { requestsPerInterval: 100, intervalMs: 1000 } } });
    wf.task({ id: 'ask', agent: 'patient', input: { prompt: 'x' }, retry: { maxAttempts: 2, initialDelayMs: 0 } });
    const handle = wf.start();
    const retried = new Promise<WorkflowEvent>((resolve) => handle.on('task:retry', resolve));
    const result = await handle.result;
    expect(result.output('ask')).toBe('after the pause');
    expect(result.task('ask')!.attempts).toBe(2);
    expect((await retried).delayMs).toBeGreaterThanOrEqual(50);
  });

  it('aborts the model call when the task is cancelled', async () => {
    const release = deferred();
    server.script({ text: 'too late', hold: release.promise });
    const wf = workflow({ agents: createAgentRegistry([llmAgent({ ...base(), name: 'slow' })]) });
    wf.task({ id: 'ask', agent: 'slow', input: { prompt: 'x' } });
    const handle = wf.start();
    await server.request(1);
    handle.cancelTask('ask');
    const result = await handle.result;
    expect(result.task('ask')!.status).toBe('cancelled');
    await server.untilAbandoned(1);
    release.resolve();
  });

  it('rejects a bad input with the schema error, before any model call', async () => {
    const { task } = await runOne(llmAgent({ ...base(), name: 'strict' }), { prompt: 3, messages: [{ role: 'robot' }] });
    expect(task.status).toBe('failed');
    expect(isWeftError(task.error, 'SCHEMA_INVALID')).toBe(true);
    expect((task.error as Error).message).toContain('$.prompt');
    expect((task.error as Error).message).toContain('$.messages[0].role');
    expect(server.requests).toHaveLength(0);
  });

  it('validates its options', () => {
    const ok = { ...base(), name: 'v' };
    expect(() => llmAgent({ ...ok, maxSteps: 0 })).toThrow(new RangeError('llmAgent `v`: Expected `maxSteps` to be an integer >= 1, got `0` (number)'));
    expect(() => llmAgent({ ...ok, prices: { promptPer1K: -1, completionPer1K: 0 } })).toThrow('llmAgent `v`: Expected `prices.promptPer1K` to be a finite number >= 0, got `-1` (number)');
    expect(() => llmAgent({ ...ok, tools: {} as never })).toThrow('llmAgent `v`: Expected `tools` to be a tool executor or an array of tools');
    expect(() => llmAgent({ ...ok, stream: 'yes' as never })).toThrow(new TypeError('llmAgent `v`: Expected `stream` to be a boolean, got `"yes"` (string)'));
    expect(() => llmAgent({ ...ok, output: {} as never })).toThrow('llmAgent `v`: Expected `output` to be a Standard Schema validator');
    expect(() => llmAgent({ ...ok, name: '' })).toThrow(new TypeError('Expected `name` to be a non-empty string, got `""` (string)'));
  });
});
