import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isWeftError, LlmRateLimitedError } from '../../src/errors.js';
import { createChatClient } from '../../src/llm/chat-client.js';
import { deferred } from '../helpers/deferred.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../helpers/scripted-llm-server.js';

const KEY = 'sk-test-0123456789abcdef';
let server: ScriptedLlmServer;

beforeAll(async () => {
  server = await startScriptedLlmServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const user = (content: string) => [{ role: 'user' as const, content }];
const client = (extra: Parameters<typeof createChatClient>[0] = {}) =>
  createChatClient({ baseUrl: server.baseUrl, apiKey: KEY, model: 'scripted-1', retryDelayMs: 0, ...extra });

describe('createChatClient', () => {
  it('posts the conversation and tools, and reads text and usage', async () => {
    server.script({ text: 'hello there', usage: { prompt_tokens: 12, completion_tokens: 3 } });
    const tools = [{ type: 'function' as const, function: { name: 'search', description: 'find', parameters: { type: 'object' } } }];
    const out = await client().complete({ messages: user('hi'), tools, body: { temperature: 0 } });
    expect(out).toEqual({ content: 'hello there', toolCalls: [], finishReason: 'stop', usage: { promptTokens: 12, completionTokens: 3 } });
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.body).toEqual({ temperature: 0, model: 'scripted-1', messages: user('hi'), tools });
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['content-type']).toBe('application/json');
  });

  it('sends the API key only in the Authorization header', async () => {
    server.script({ text: 'ok' });
    await client({ headers: { 'x-trace': 't1' } }).complete({ messages: user('hi') });
    const [req] = server.requests;
    expect(req.raw).not.toContain(KEY);
    expect(req.path).not.toContain(KEY);
    const withKey = Object.entries(req.headers).filter(([, v]) => String(v).includes(KEY));
    expect(withKey.map(([k]) => k)).toEqual(['authorization']);
    expect(req.headers['x-trace']).toBe('t1');
  });

  it('reads several tool calls of one answer, arguments unparsed', async () => {
    server.script({ toolCalls: [{ id: 'a', name: 'search', arguments: { q: 'x' } }, { id: 'b', name: 'fetch', arguments: '{"url": ' }] });
    const out = await client().complete({ messages: user('go') });
    expect(out.content).toBeNull();
    expect(out.finishReason).toBe('tool_calls');
    expect(out.toolCalls).toEqual([
      { id: 'a', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } },
      { id: 'b', type: 'function', function: { name: 'fetch', arguments: '{"url": ' } },
    ]);
  });

  it('streams: deltas in order, tool-call pieces joined by index, usage from the last event', async () => {
    server.script(
      { text: 'one two three', usage: { prompt_tokens: 5, completion_tokens: 3 } },
      { toolCalls: [{ id: 'c1', name: 'search', arguments: { q: 'alpha beta' } }, { id: 'c2', name: 'add', arguments: { a: 1, b: 2 } }] },
    );
    const deltas: string[] = [];
    const c = client();
    const text = await c.complete({ messages: user('count'), stream: true }, { onDelta: (d) => deltas.push(d) });
    expect(deltas).toEqual(['one ', 'two ', 'three']);
    expect(text).toEqual({ content: 'one two three', toolCalls: [], finishReason: 'stop', usage: { promptTokens: 5, completionTokens: 3 } });
    expect(server.requests[0].body.stream).toBe(true);
    expect(server.requests[0].body.stream_options).toEqual({ include_usage: true });
    expect(server.requests[0].headers.accept).toBe('text/event-stream');
    const calls = await c.complete({ messages: user('tools'), stream: true });
    expect(calls.toolCalls.map((t) => [t.id, t.function.name, JSON.parse(t.function.arguments)])).toEqual([
      ['c1', 'search', { q: 'alpha beta' }],
      ['c2', 'add', { a: 1, b: 2 }],
    ]);
  });

  it('counts the body bytes it sends and receives, retries included', async () => {
    const body = JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'é' } }] });
    server.script({ status: 503, body: 'busy' }, { body });
    const reported: number[] = [];
    const c = client();
    await c.complete({ messages: user('ünïcode') }, { reportBytes: (n) => reported.push(n) });
    const sent = Buffer.byteLength(server.requests[0].raw);
    expect(reported).toEqual([sent, 4, sent, Buffer.byteLength(body)]);
    expect(c.stats).toEqual({ requests: 2, retries: 1, bytesSent: 2 * sent, bytesReceived: 4 + Buffer.byteLength(body) });
  });

  it('retries a 503 and a dropped connection, then answers', async () => {
    server.script({ status: 503 }, { text: 'half an answer that never ends', drop: true }, { text: 'done' });
    const out = await client().complete({ messages: user('q') });
    expect(out.content).toBe('done');
    expect(server.requests).toHaveLength(3);
  });

  it('fails with LLM_HTTP_ERROR (no status) when the connection keeps dropping', async () => {
    server.script({ text: 'x', drop: true }, { text: 'y', drop: true });
    const error = await client({ maxRetries: 1 }).complete({ messages: user('q') }).catch((e: unknown) => e);
    expect(isWeftError(error, 'LLM_HTTP_ERROR')).toBe(true);
    expect((error as { status?: number }).status).toBeUndefined();
    expect((error as Error).message).toMatch(/dropped mid-answer/);
  });

  it('does not retry a stream that dropped after deltas were delivered', async () => {
    server.script({ text: 'a b c d e f g h', drop: true }, { text: 'never' });
    const deltas: string[] = [];
    const error = await client().complete({ messages: user('q'), stream: true }, { onDelta: (d) => deltas.push(d) }).catch((e: unknown) => e);
    expect(isWeftError(error, 'LLM_HTTP_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/after part of the answer was delivered/);
    expect(deltas.length).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(1);
  });

  it('fails a 4xx at once with its status, the echoed key redacted', async () => {
    server.script((req) => ({ status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}` } }) }));
    const error = await client().complete({ messages: user('q') }).catch((e: unknown) => e);
    expect(isWeftError(error, 'LLM_HTTP_ERROR')).toBe(true);
    expect((error as { status: number }).status).toBe(401);
    expect((error as Error).message).toContain('Incorrect API key provided: Bearer [redacted]');
    expect((error as Error).message).not.toContain(KEY);
    expect(server.requests).toHaveLength(1);
  });

  it('fails with LLM_RATE_LIMITED (status, retryAfterMs) once the retries are spent', async () => {
    server.script({ status: 429, retryAfter: 0 }, { status: 429, retryAfter: 0 });
    const error = await client({ maxRetries: 1 }).complete({ messages: user('q') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmRateLimitedError);
    expect(error).toMatchObject({ code: 'LLM_RATE_LIMITED', status: 429, retryAfterMs: 0 });
    expect(server.requests).toHaveLength(2);
  });

  it('hands a Retry-After beyond maxRetryDelayMs to the caller at once instead of waiting', async () => {
    server.script({ status: 429, retryAfter: 120 });
    const error = await client({ maxRetryDelayMs: 60_000 }).complete({ messages: user('q') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LLM_RATE_LIMITED', status: 429, retryAfterMs: 120_000 });
    expect(server.requests).toHaveLength(1);
  });

  it('fails with LLM_BAD_RESPONSE on an answer that is not a completion', async () => {
    server.script({ body: '{"choices": []}' }, { body: 'not json' }, { body: 'data: {"choices":[{"delta":{"content":"x"}}]}\n\ndata: {oops\n\n' });
    const c = client();
    await expect(c.complete({ messages: user('q') })).rejects.toThrow('no `choices[0].message`');
    await expect(c.complete({ messages: user('q') })).rejects.toMatchObject({ code: 'LLM_BAD_RESPONSE' });
    await expect(c.complete({ messages: user('q'), stream: true })).rejects.toThrow('a streamed event is not JSON');
  });

  it('aborts a slow reply with the signal reason, and the server sees the request abandoned', async () => {
    const release = deferred();
    server.script({ text: 'late', hold: release.promise });
    const controller = new AbortController();
    const pending = client().complete({ messages: user('q') }, { signal: controller.signal });
    await server.request(1);
    controller.abort(new Error('stop now'));
    await expect(pending).rejects.toThrow('stop now');
    await server.untilAbandoned(1);
    release.resolve();
  });

  it('takes baseUrl, apiKey and model from OPENAI_BASE_URL, OPENAI_API_KEY and WEFT_MODEL', async () => {
    vi.stubEnv('OPENAI_BASE_URL', server.baseUrl);
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env');
    vi.stubEnv('WEFT_MODEL', 'env-model');
    try {
      server.script({ text: 'ok' });
      const c = createChatClient();
      expect([c.model, c.baseUrl]).toEqual(['env-model', server.baseUrl]);
      await c.complete({ messages: user('q') });
      expect(server.requests[0].headers.authorization).toBe('Bearer sk-from-env');
      expect(server.requests[0].body.model).toBe('env-model');
      expect(JSON.stringify(c)).not.toContain('sk-from-env');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('validates its options', () => {
    vi.stubEnv('WEFT_MODEL', '');
    try {
      expect(() => createChatClient({ baseUrl: server.baseUrl })).toThrow(new TypeError('Expected `model` to be a non-empty string (or WEFT_MODEL set), got `undefined` (undefined)'));
    } finally {
      vi.unstubAllEnvs();
    }
    expect(() => createChatClient({ model: 'm', baseUrl: 'not a url' })).toThrow(new TypeError('Expected `baseUrl` to be an absolute URL string, got `"not a url"` (string)'));
    expect(() => createChatClient({ model: 'm', maxRetries: -1 })).toThrow(new RangeError('Expected `maxRetries` to be an integer >= 0, got `-1` (number)'));
    expect(() => createChatClient({ model: 'm', apiKey: 42 as never })).toThrow(new TypeError('Expected `apiKey` to be a string, got `"[not shown]"` (string)'));
  });
});
