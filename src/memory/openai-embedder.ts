import type { z as Z } from 'zod';
import { EmbeddingFailedError } from '../errors.js';
import { retryAfterMs, waitMs as sleep } from '../internal/http-wait.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import { getKernels } from '../kernels/index.js';
import type { Embedder } from './embedder.js';

/** Options of {@link createOpenAIEmbedder}. */
export interface OpenAIEmbedderOptions {
  /** The API's base URL; requests go to `${baseUrl}/embeddings`. @default 'https://api.openai.com/v1' */
  readonly baseUrl?: string;
  /** The model name, sent as `model`. */
  readonly model: string;
  /** The vector dimension the model returns (sent as `dimensions` when `sendDimensions`). */
  readonly dim: number;
  /** Sent as `Authorization: Bearer <apiKey>` when given. @default undefined */
  readonly apiKey?: string;
  /** Also send `dimensions` (for models that can shorten their vectors). @default false */
  readonly sendDimensions?: boolean;
  /** Texts per request. @default 96 */
  readonly batchSize?: number;
  /** At most this many requests per minute (spaced evenly); 0 for no limit. @default 0 */
  readonly requestsPerMinute?: number;
  /** Retries of a request answered 429 or 5xx, waiting `Retry-After` or an exponential backoff. @default 3 */
  readonly maxRetries?: number;
  /** Backoff before the first retry when the server gives no `Retry-After`, ms (doubled per retry). @default 500 */
  readonly retryDelayMs?: number;
  /** Embeddings kept by text hash (least recently used dropped first); 0 disables. @default 10000 */
  readonly cacheSize?: number;
  /** The `fetch` to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Called with the bytes of each request body sent and each response body received (retries
   * included), e.g. a task's `ctx.reportBytes`, so a rate limiter with `bytesPerInterval`
   * throttles the embedder's network I/O too. @default undefined
   */
  readonly reportBytes?: (bytes: number) => void;
}

/** Defaults of {@link OpenAIEmbedderOptions}. */
export const DEFAULT_OPENAI_EMBEDDER_OPTIONS = Object.freeze({
  baseUrl: 'https://api.openai.com/v1',
  sendDimensions: false,
  batchSize: 96,
  requestsPerMinute: 0,
  maxRetries: 3,
  retryDelayMs: 500,
  cacheSize: 10_000,
});

// zod costs ~55 ms to import: load it with the first response, not with weft.
function responseSchema(z: typeof Z) {
  return z.object({
    data: z.array(z.object({ embedding: z.array(z.number()), index: z.number().int().nonnegative() })),
  });
}
let schema: Promise<ReturnType<typeof responseSchema>> | undefined;
const loadSchema = () => (schema ??= import('zod').then(({ z }) => responseSchema(z)));

/** An OpenAI-compatible embeddings client with statistics of what it sent. */
export interface OpenAIEmbedder extends Embedder {
  /** Requests sent (retries included), texts answered from the cache, and body bytes sent and received. */
  readonly stats: { readonly requests: number; readonly cacheHits: number; readonly bytesSent: number; readonly bytesReceived: number };
}

/**
 * A client for OpenAI-compatible `/embeddings` endpoints (OpenAI, Azure-style proxies, Ollama,
 * vLLM, LM Studio, ...): batches texts, spaces requests to a rate limit, retries 429 and 5xx
 * answers (honouring `Retry-After`), and caches vectors by a 64-bit hash of the text.
 *
 * @throws `EmbeddingFailedError` (`EMBEDDING_FAILED`) from `embed` when the server fails or answers
 *   something that is not a list of embeddings of dimension `dim`.
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): OpenAIEmbedder {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object', options));
  const o = { ...DEFAULT_OPENAI_EMBEDDER_OPTIONS, ...options };
  if (typeof o.model !== 'string' || o.model === '') throw new TypeError(expectedMessage('model', 'a non-empty string', o.model));
  if (typeof o.baseUrl !== 'string') throw new TypeError(expectedMessage('baseUrl', 'a URL string', o.baseUrl));
  const dim = checkInteger('dim', o.dim, 1);
  const batchSize = checkInteger('batchSize', o.batchSize, 1);
  const rpm = checkInteger('requestsPerMinute', o.requestsPerMinute, 0);
  const maxRetries = checkInteger('maxRetries', o.maxRetries, 0);
  const retryDelayMs = checkInteger('retryDelayMs', o.retryDelayMs, 0);
  const cacheSize = checkInteger('cacheSize', o.cacheSize, 0);
  const doFetch = o.fetch ?? globalThis.fetch;
  const url = `${o.baseUrl.replace(/\/+$/, '')}/embeddings`;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  // A Map iterates in insertion order, so re-inserting on a hit makes it an LRU.
  const cache = new Map<bigint, Float32Array>();
  const stats = { requests: 0, cacheHits: 0, bytesSent: 0, bytesReceived: 0 };
  if (o.reportBytes !== undefined && typeof o.reportBytes !== 'function') throw new TypeError(expectedMessage('reportBytes', 'a function', o.reportBytes));
  const counted = (bytes: number, key: 'bytesSent' | 'bytesReceived') => {
    stats[key] += bytes;
    o.reportBytes?.(bytes);
  };
  const interval = rpm > 0 ? 60_000 / rpm : 0;
  let nextSlot = 0;

  async function takeSlot(signal?: AbortSignal): Promise<void> {
    if (interval === 0) return;
    const now = performance.now();
    const at = Math.max(now, nextSlot);
    nextSlot = at + interval;
    if (at > now) await sleep(at - now, signal);
  }

  async function request(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const body = encoder.encode(JSON.stringify({ model: o.model, input: texts, ...(o.sendDimensions ? { dimensions: dim } : {}) }));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (o.apiKey !== undefined) headers.authorization = `Bearer ${o.apiKey}`;
    for (let attempt = 0; ; attempt++) {
      await takeSlot(signal);
      stats.requests++;
      counted(body.byteLength, 'bytesSent');
      let res: globalThis.Response;
      try {
        res = await doFetch(url, { method: 'POST', headers, body, signal });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw new EmbeddingFailedError(`POST ${url}: ${(error as Error).message}`, { cause: error });
      }
      if (res.ok) {
        let parsed;
        try {
          const raw = await res.arrayBuffer();
          counted(raw.byteLength, 'bytesReceived');
          parsed = (await loadSchema()).parse(JSON.parse(decoder.decode(raw)));
        } catch (error) {
          if (signal?.aborted) throw signal.reason; // aborted while the body was read
          throw new EmbeddingFailedError(`POST ${url}: malformed response`, { cause: error });
        }
        const out = new Array<Float32Array>(texts.length);
        for (const d of parsed.data) {
          if (d.index >= texts.length) throw new EmbeddingFailedError(`POST ${url}: index ${d.index} out of range`);
          if (d.embedding.length !== dim) {
            throw new EmbeddingFailedError(`POST ${url}: expected dimension ${dim}, got ${d.embedding.length}`);
          }
          out[d.index] = Float32Array.from(d.embedding);
        }
        for (let i = 0; i < out.length; i++) {
          if (out[i] === undefined) throw new EmbeddingFailedError(`POST ${url}: no embedding for input ${i}`);
        }
        return out;
      }
      const retryable = res.status === 429 || res.status >= 500;
      const raw = await res.arrayBuffer().catch(() => new ArrayBuffer(0));
      counted(raw.byteLength, 'bytesReceived');
      const detail = decoder.decode(raw).slice(0, 200);
      if (!retryable || attempt >= maxRetries) {
        throw new EmbeddingFailedError(`POST ${url}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`, { status: res.status });
      }
      await sleep(retryAfterMs(res.headers.get('retry-after')) ?? retryDelayMs * 2 ** attempt, signal);
    }
  }

  async function embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    signal?.throwIfAborted();
    const codec = getKernels().codec;
    const keys = texts.map((t) => codec.xxh64(encoder.encode(t)));
    const out = new Array<Float32Array>(texts.length);
    const missing: number[] = [];
    for (let i = 0; i < texts.length; i++) {
      const hit = cacheSize > 0 ? cache.get(keys[i]) : undefined;
      if (hit === undefined) {
        missing.push(i);
        continue;
      }
      cache.delete(keys[i]);
      cache.set(keys[i], hit);
      stats.cacheHits++;
      out[i] = hit.slice();
    }
    // Equal texts within one call are sent once.
    const unique = [...new Map(missing.map((i) => [keys[i], i])).values()];
    for (let b = 0; b < unique.length; b += batchSize) {
      const batch = unique.slice(b, b + batchSize);
      const vectors = await request(batch.map((i) => texts[i]), signal);
      batch.forEach((i, j) => {
        if (cacheSize > 0) {
          cache.set(keys[i], vectors[j]);
          if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
        }
      });
      const byKey = new Map(batch.map((i, j) => [keys[i], vectors[j]]));
      for (const i of missing) {
        const v = byKey.get(keys[i]);
        if (v !== undefined && out[i] === undefined) out[i] = v.slice();
      }
    }
    return out;
  }

  return Object.freeze({
    id: `openai:${o.model}:${dim}`,
    dim,
    embed,
    get stats() {
      return { ...stats };
    },
  });
}
