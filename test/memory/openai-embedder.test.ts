import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { createOpenAIEmbedder } from '../../src/memory/openai-embedder.js';
import { onFakeClock } from '../helpers/fake-clock.js';

// A real OpenAI-compatible server on 127.0.0.1: each test scripts its answers in `plan`.
interface Seen {
  body: { model: string; input: string[]; dimensions?: number };
  auth: string | undefined;
}
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let plan: ((req: Seen, res: ServerResponse) => void)[] = [];

const vectorFor = (text: string, dim: number) => Array.from({ length: dim }, (_, i) => text.length + i);
function answer(req: Seen, res: ServerResponse, dim = 3): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ object: 'list', data: req.body.input.map((t, index) => ({ object: 'embedding', index, embedding: vectorFor(t, dim) })).reverse() }));
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const s: Seen = { body: JSON.parse(raw), auth: req.headers.authorization };
      seen.push(s);
      (plan.shift() ?? answer)(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  plan = [];
});

describe('createOpenAIEmbedder', () => {
  it('posts batches to /embeddings and orders the answer by index', async () => {
    const e = createOpenAIEmbedder({ baseUrl, model: 'm1', dim: 3, apiKey: 'sk-test', batchSize: 2 });
    const out = await e.embed(['a', 'bb', 'ccc']);
    expect(out.map((v) => Array.from(v))).toEqual([vectorFor('a', 3), vectorFor('bb', 3), vectorFor('ccc', 3)]);
    expect(seen.map((s) => s.body.input)).toEqual([['a', 'bb'], ['ccc']]);
    expect(seen[0].body.model).toBe('m1');
    expect(seen[0].auth).toBe('Bearer sk-test');
    expect(seen[0].body.dimensions).toBeUndefined();
    expect(e.id).toBe('openai:m1:3');
  });

  it('serves repeated texts from its cache, and sends duplicates once', async () => {
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3 });
    await e.embed(['x', 'y', 'x']);
    expect(seen.map((s) => s.body.input)).toEqual([['x', 'y']]);
    const again = await e.embed(['y', 'z']);
    expect(seen.map((s) => s.body.input)).toEqual([['x', 'y'], ['z']]);
    expect(Array.from(again[0])).toEqual(vectorFor('y', 3));
    expect(e.stats).toMatchObject({ requests: 2, cacheHits: 1 });
  });

  it('reports the body bytes it sends and receives, retries and error answers included', async () => {
    plan = [
      (_req, res) => {
        res.statusCode = 503;
        res.end('busy');
      },
    ];
    const reported: number[] = [];
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3, retryDelayMs: 0, reportBytes: (n) => reported.push(n) });
    await e.embed(['héllo']);
    const sent = Buffer.byteLength(JSON.stringify({ model: 'm', input: ['héllo'] }));
    const answered = Buffer.byteLength(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: vectorFor('héllo', 3) }] }));
    // Two requests: 503 ('busy', 4 bytes) then the answer.
    expect(reported).toEqual([sent, 4, sent, answered]);
    expect(e.stats).toEqual({ requests: 2, cacheHits: 0, bytesSent: 2 * sent, bytesReceived: 4 + answered });
    await e.embed(['héllo']);
    expect(reported).toHaveLength(4); // a cache hit sends nothing
    expect(() => createOpenAIEmbedder({ model: 'm', dim: 3, reportBytes: 1 as never })).toThrow('Expected `reportBytes` to be a function, got `1` (number)');
  });

  it('evicts the least recently used entry beyond cacheSize', async () => {
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3, cacheSize: 1 });
    await e.embed(['a']);
    await e.embed(['b']);
    await e.embed(['a']);
    expect(seen).toHaveLength(3);
  });

  it('fails with EMBEDDING_FAILED and the status after the retries, or at once on a 4xx', async () => {
    const fail = (status: number) => (_req: Seen, res: ServerResponse) => {
      res.statusCode = status;
      res.end('{"error":"nope"}');
    };
    plan = [fail(503), fail(503)];
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3, maxRetries: 1, retryDelayMs: 0 });
    const err = await e.embed(['q']).catch((x: unknown) => x);
    expect(isWeftError(err, 'EMBEDDING_FAILED')).toBe(true);
    expect((err as { status: number }).status).toBe(503);
    expect(seen).toHaveLength(2);
    plan = [fail(401)];
    seen = [];
    const err401 = await e.embed(['r']).catch((x: unknown) => x);
    expect((err401 as Error).message).toMatch(/HTTP 401 \{"error":"nope"\}/);
    expect(seen).toHaveLength(1);
  });

  it('rejects answers of the wrong dimension or shape', async () => {
    plan = [(req, res) => answer(req, res, 5)];
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3 });
    await expect(e.embed(['q'])).rejects.toThrow('expected dimension 3, got 5');
    plan = [(_req, res) => res.end('{"data": "nope"}')];
    await expect(e.embed(['q'])).rejects.toThrow('malformed response');
  });

  it('sends `dimensions` when asked', async () => {
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3, sendDimensions: true });
    await e.embed(['q']);
    expect(seen[0].body.dimensions).toBe(3);
  });

  it('spaces requests to the rate limit (counted in order, not timed)', async () => {
    // 6000/min = one per 10 ms: three batches must be sent one after another, in order.
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3, batchSize: 1, requestsPerMinute: 6000 });
    await e.embed(['a', 'b', 'c']);
    expect(seen.map((s) => s.body.input[0])).toEqual(['a', 'b', 'c']);
  });

  it('aborts while waiting for a retry', async () => {
    let answered!: () => void;
    const was429 = new Promise<void>((resolve) => (answered = resolve));
    plan = [
      (_req, res) => {
        res.statusCode = 429;
        res.end(answered);
      },
    ];
    const controller = new AbortController();
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3, retryDelayMs: 60_000 });
    const pending = e.embed(['q'], controller.signal);
    // Aborting either during the 429's delivery or the 60 s backoff must end the call with the reason.
    await was429;
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });

  it('validates its options', () => {
    expect(() => createOpenAIEmbedder({ model: '', dim: 3 })).toThrow(new TypeError('Expected `model` to be a non-empty string, got `""` (string)'));
    expect(() => createOpenAIEmbedder({ model: 'm', dim: 0 })).toThrow(new RangeError('Expected `dim` to be an integer >= 1, got `0` (number)'));
    expect(() => createOpenAIEmbedder({ model: 'm', dim: 3, batchSize: 0 })).toThrow('Expected `batchSize` to be an integer >= 1');
  });
});

// Waits on a fake clock (setTimeout, performance.now and Date faked): real I/O gets a turn of the
// event loop between steps, fake time moves 100 ms per step. `calls` records the fake time of
// every request the client sends (a passthrough to the real fetch and the real server).
describe('createOpenAIEmbedder waits (fake clock)', () => {
  let calls: number[] = [];
  const timedFetch: typeof fetch = (url, init) => {
    calls.push(performance.now());
    return fetch(url, init);
  };
  const gaps = () => calls.slice(1).map((t, i) => t - calls[i]);
  const slowDown = (retryAfter: string | undefined) => (_req: Seen, res: ServerResponse) => {
    res.statusCode = 429;
    if (retryAfter !== undefined) res.setHeader('retry-after', retryAfter);
    res.end('slow down');
  };

  beforeEach(() => {
    calls = [];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spaces requests evenly to requestsPerMinute', async () => {
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3, batchSize: 1, requestsPerMinute: 1, fetch: timedFetch });
    await onFakeClock(e.embed(['a', 'b', 'c']));
    expect(seen.map((s) => s.body.input[0])).toEqual(['a', 'b', 'c']);
    for (const gap of gaps()) expect(gap).toBeGreaterThanOrEqual(60_000);
  });

  it('waits Retry-After seconds after a 429, not its own backoff', async () => {
    plan = [slowDown('30')];
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3, retryDelayMs: 1, fetch: timedFetch });
    const [v] = await onFakeClock(e.embed(['q']));
    expect(Array.from(v)).toEqual(vectorFor('q', 3));
    expect(calls).toHaveLength(2);
    expect(gaps()[0]).toBeGreaterThanOrEqual(30_000);
  });

  it('retries at once on Retry-After: 0, however long its own backoff', async () => {
    plan = [slowDown('0')];
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3, retryDelayMs: 600_000, fetch: timedFetch });
    await onFakeClock(e.embed(['q']));
    expect(calls).toHaveLength(2);
    expect(gaps()[0]).toBeLessThan(600_000);
  });

  it('reads Retry-After as an HTTP date too', async () => {
    plan = [slowDown(new Date(Date.now() + 20_000).toUTCString())];
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3, retryDelayMs: 1, fetch: timedFetch });
    await onFakeClock(e.embed(['q']));
    // The header has whole seconds: the wait is the 20 s less the part of a second already gone.
    expect(gaps()[0]).toBeGreaterThanOrEqual(19_000);
  });

  it('backs off exponentially from retryDelayMs without Retry-After', async () => {
    plan = [slowDown(undefined), slowDown(undefined), slowDown(undefined)];
    const e = createOpenAIEmbedder({ baseUrl, model: 'm', dim: 3, retryDelayMs: 1000, maxRetries: 3, fetch: timedFetch });
    await onFakeClock(e.embed(['q']));
    expect(calls).toHaveLength(4);
    const [g1, g2, g3] = gaps();
    expect(g1).toBeGreaterThanOrEqual(1000);
    expect(g2).toBeGreaterThanOrEqual(2000);
    expect(g3).toBeGreaterThanOrEqual(4000);
  });
});
