import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgentRegistry } from '../../src/agents/agent-registry.js';
import { llmAgent } from '../../src/llm/llm-agent.js';
import { defineTool } from '../../src/tools/define-tool.js';
import { workflow, type Recorder, type SpanTracer, type WorkflowEvent } from '../../src/workflow/index.js';
import { startScriptedLlmServer, type RecordedRequest, type ScriptedLlmServer } from '../helpers/scripted-llm-server.js';

// The API key must not appear in any error (message, stack, cause chain, own fields), event,
// recorder batch, result or agent, whatever fails: the server here echoes the Authorization
// header back in every kind of answer, as some providers do in their "invalid key" messages.
const KEY = 'sk-secret-7f3a9c1e5b2d4f6a8c0e';
let server: ScriptedLlmServer;
beforeAll(async () => {
  server = await startScriptedLlmServer();
});
afterAll(() => server.close());

const echo = (req: RecordedRequest) => String(req.headers.authorization);

/** Every string reachable from a value: own fields, messages, stacks, causes, nested objects. */
function texts(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  const out: string[] = [];
  if (value instanceof Error) out.push(value.message, String(value.stack), ...texts(value.cause, seen));
  for (const key of Reflect.ownKeys(value)) out.push(String(key), ...texts((value as Record<PropertyKey, unknown>)[key], seen));
  return out;
}

describe('llmAgent keeps the API key secret', () => {
  it('in errors, events, recorder batches, spans, the result and the agent', async () => {
    server.script(
      (req) => ({ status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${echo(req)}` } }) }),
      (req) => ({ status: 429, retryAfter: 3600, body: `slow down, ${echo(req)}` }),
      (req) => ({ body: `not json: ${echo(req)}` }),
      (req) => ({ body: `data: {"error": {"message": "denied for ${echo(req)}"}}\n\n` }),
      (req) => ({ text: `partial answer for ${echo(req)}`, drop: true }),
      { toolCalls: [{ name: 'lookup', arguments: { q: 'weather' } }] },
      { text: 'final answer' },
    );
    const lookup = defineTool({
      name: 'lookup',
      description: 'fails on purpose, quoting its arguments',
      input: z.object({ q: z.string() }),
      run: ({ q }) => {
        throw new Error(`lookup failed for ${q}`);
      },
    });
    const common = { baseUrl: server.baseUrl, apiKey: KEY, model: 'm', maxRetries: 0 };
    const agents = [
      llmAgent({ ...common, name: 'unauthorised' }),
      llmAgent({ ...common, name: 'limited' }),
      llmAgent({ ...common, name: 'garbled' }),
      llmAgent({ ...common, name: 'stream-error', stream: true }),
      llmAgent({ ...common, name: 'dropped' }),
      llmAgent({ ...common, name: 'tooled', tools: [lookup] }),
    ];
    const batches: (readonly WorkflowEvent[])[] = [];
    const recorder: Recorder = { record: (batch) => void batches.push(batch) };
    // A tracer that keeps everything the engine puts in its spans.
    const spans: unknown[] = [];
    const tracer: SpanTracer = {
      startSpan(name, options) {
        spans.push(name, options);
        return { setAttribute: (...a) => spans.push(a), setStatus: (st) => spans.push(st), recordException: (e) => spans.push(e), end: () => undefined };
      },
    };
    const wf = workflow({ agents: createAgentRegistry(agents), recorders: [recorder], tracer, concurrency: 1 });
    for (const a of agents) wf.task({ id: a.name, agent: a.name, input: { prompt: `task for ${a.name}` } });
    const events: WorkflowEvent[] = [];
    const handle = wf.start();
    handle.on('*', (e) => void events.push(e));
    const result = await handle.result;

    // Each failure happened (so each error path was exercised), and the server did see the key.
    const statuses = Object.fromEntries(agents.map((a) => [a.name, result.task(a.name)!.status]));
    expect(statuses).toEqual({ unauthorised: 'failed', limited: 'failed', garbled: 'failed', 'stream-error': 'failed', dropped: 'failed', tooled: 'succeeded' });
    expect(agents.slice(0, 5).map((a) => (result.task(a.name)!.error as { code: string }).code)).toEqual(['LLM_HTTP_ERROR', 'LLM_RATE_LIMITED', 'LLM_BAD_RESPONSE', 'LLM_BAD_RESPONSE', 'LLM_HTTP_ERROR']);
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(JSON.stringify(server.requests.at(-1)!.body.messages)).toContain('lookup failed for weather');

    const errors = agents.map((a) => result.task(a.name)!.error);
    const tasks = agents.map((a) => result.task(a.name));
    const everything = [...texts(errors), ...texts(events), ...texts(batches), ...texts(tasks), ...texts(agents), ...texts(spans), JSON.stringify(result.usage), JSON.stringify(tasks), JSON.stringify(events), JSON.stringify(batches)];
    expect(everything.length).toBeGreaterThan(100);
    expect(spans.filter((x) => x instanceof Error)).toHaveLength(5);
    expect(everything.filter((t) => t.includes(KEY))).toEqual([]);
    expect(everything.some((t) => t.includes('Bearer [redacted]'))).toBe(true);
  });
});
