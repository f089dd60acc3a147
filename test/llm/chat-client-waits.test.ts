import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChatClient } from '../../src/llm/chat-client.js';
import { onFakeClock } from '../helpers/fake-clock.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../helpers/scripted-llm-server.js';

// The waits between retries, on a fake clock: `calls` has the fake time of every request sent
// and `answers` of every reply received (a passthrough to the real fetch and the real server).
// A wait is measured from a reply to the next request: the fake clock also moves while a real
// reply is on its way, by more turns of the loop the busier the machine.
let server: ScriptedLlmServer;
let calls: number[] = [];
let answers: number[] = [];
const timedFetch: typeof fetch = async (url, init) => {
  calls.push(Date.now());
  const response = await fetch(url, init);
  answers.push(Date.now());
  return response;
};
const gaps = () => calls.slice(1).map((t, i) => t - answers[i]);
const client = (extra: Parameters<typeof createChatClient>[0] = {}) =>
  createChatClient({ baseUrl: server.baseUrl, model: 'm', fetch: timedFetch, ...extra });
const ask = { messages: [{ role: 'user' as const, content: 'q' }] };

beforeAll(async () => {
  server = await startScriptedLlmServer({ fallback: { text: 'ok' } });
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  calls = [];
  answers = [];
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createChatClient waits (fake clock)', () => {
  it('waits Retry-After seconds after a 429, not its own backoff', async () => {
    server.script({ status: 429, retryAfter: 30 });
    const out = await onFakeClock(client({ retryDelayMs: 1 }).complete(ask));
    expect(out.content).toBe('ok');
    expect(calls).toHaveLength(2);
    expect(gaps()[0]).toBeGreaterThanOrEqual(30_000);
    expect(gaps()[0]).toBeLessThan(31_000);
  });

  it('reads Retry-After as an HTTP date, on a 503 too', async () => {
    server.script({ status: 503, retryAfter: new Date(Date.now() + 20_000) });
    await onFakeClock(client({ retryDelayMs: 1 }).complete(ask));
    // The header has whole seconds: the wait is the 20 s less the part of a second already gone.
    expect(gaps()[0]).toBeGreaterThanOrEqual(19_000);
    expect(gaps()[0]).toBeLessThan(21_000);
  });

  it('backs off exponentially from retryDelayMs without Retry-After, capped at maxRetryDelayMs', async () => {
    server.script({ status: 500 }, { status: 502 }, { status: 429 }, { status: 503 });
    await onFakeClock(client({ retryDelayMs: 1000, maxRetries: 4, maxRetryDelayMs: 5000 }).complete(ask));
    expect(calls).toHaveLength(5);
    const [g1, g2, g3, g4] = gaps();
    expect([g1 >= 1000, g2 >= 2000, g3 >= 4000, g4 >= 5000]).toEqual([true, true, true, true]);
    expect(g4).toBeLessThan(6000);
  });

  it('aborts while waiting for a retry', async () => {
    server.script({ status: 429, retryAfter: 50 });
    const controller = new AbortController();
    const pending = client().complete(ask, { signal: controller.signal });
    pending.catch(() => undefined);
    await onFakeClock(server.request(1));
    controller.abort(new Error('cancelled by test'));
    await expect(onFakeClock(pending)).rejects.toThrow('cancelled by test');
    expect(calls).toHaveLength(1);
  });
});
