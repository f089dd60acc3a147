import { LlmBadResponseError, LlmHttpError, LlmRateLimitedError, WeftError } from '../errors.js';
import { retryAfterMs, waitMs } from '../internal/http-wait.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import type { ChatCompletion, ChatRequest } from './messages.js';
import { parseCompletion, StreamAccumulator } from './parse-completion.js';

/** Options of {@link createChatClient}. */
export interface ChatClientOptions {
  /** The API's base URL; requests go to `${baseUrl}/chat/completions`. @default process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1' */
  readonly baseUrl?: string;
  /** Sent as `Authorization: Bearer <apiKey>` and nowhere else; omitted when unset (local servers). @default process.env.OPENAI_API_KEY */
  readonly apiKey?: string;
  /** The model, sent as `model`. @default process.env.WEFT_MODEL (one of the two is required) */
  readonly model?: string;
  /** Retries of a request answered 408, 409, 429, 500, 502, 503 or 504, or whose connection failed or dropped. @default 3 */
  readonly maxRetries?: number;
  /** Backoff before the first retry when the server gives no `Retry-After`, ms (doubled per retry). @default 500 */
  readonly retryDelayMs?: number;
  /**
   * The longest wait between retries, ms. A `Retry-After` longer than this is not waited out here:
   * the request fails at once with `LLM_RATE_LIMITED` and its `retryAfterMs`, so the task's rate
   * limiter pauses every task that shares it, not just this one. @default 60000
   */
  readonly maxRetryDelayMs?: number;
  /** Gives up on one request (an attempt) after this long, ms; 0 for never. @default 600000 */
  readonly requestTimeoutMs?: number;
  /** More request headers. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** The `fetch` to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** Defaults of {@link ChatClientOptions} that do not come from the environment. */
export const DEFAULT_CHAT_CLIENT_OPTIONS = Object.freeze({
  baseUrl: 'https://api.openai.com/v1',
  maxRetries: 3,
  retryDelayMs: 500,
  maxRetryDelayMs: 60_000,
  requestTimeoutMs: 600_000,
});

/** Per-call hooks of {@link ChatClient.complete}. */
export interface ChatCallOptions {
  /** Aborts the request (and any wait before a retry) with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Receives each piece of content of a streamed answer as it arrives. */
  readonly onDelta?: (delta: string) => void;
  /** Receives the body bytes of every request sent and every answer received, retries included. */
  readonly reportBytes?: (bytes: number) => void;
}

/** Counters of a {@link ChatClient}. */
export interface ChatClientStats {
  /** HTTP requests sent, retries included. */
  readonly requests: number;
  /** Of those, retries. */
  readonly retries: number;
  /** Request body bytes sent. */
  readonly bytesSent: number;
  /** Response body bytes received. */
  readonly bytesReceived: number;
}

/** An OpenAI-compatible chat-completions client. Holds its API key privately: no property, `toJSON` or error shows it. */
export interface ChatClient {
  readonly model: string;
  readonly baseUrl: string;
  readonly stats: ChatClientStats;
  /**
   * Sends one request, retrying transient failures, and returns the model's answer.
   *
   * @throws `LlmHttpError` (`LLM_HTTP_ERROR`, with `status`), `LlmRateLimitedError`
   *   (`LLM_RATE_LIMITED`, with `retryAfterMs`), `LlmBadResponseError` (`LLM_BAD_RESPONSE`), or the
   *   signal's reason when it aborts.
   */
  complete(request: ChatRequest, call?: ChatCallOptions): Promise<ChatCompletion>;
}

const RETRYABLE = new Set([408, 409, 429, 500, 502, 503, 504]);
const env = (name: string): string | undefined => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name] || undefined;

// A failure worth another request (a retry is only safe while nothing of the answer has reached
// the caller): the error to throw if no retry is left, made with the wait it would have had.
class Retryable {
  constructor(
    readonly fail: (retryAfterMs: number) => WeftError,
    readonly waitMs: number | undefined,
  ) {}
}

/**
 * A client for OpenAI-compatible `/chat/completions` endpoints (OpenAI, Azure-style proxies,
 * Ollama, vLLM, LM Studio, ...) over `fetch`: JSON or server-sent-event answers, retries of 429
 * and 5xx honouring `Retry-After` (delay-seconds or an HTTP date), and counts of the bytes it moves.
 *
 * @throws `TypeError`/`RangeError` for bad options (no model, a bad URL, a negative retry count).
 */
export function createChatClient(options: ChatClientOptions = {}): ChatClient {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object', options));
  const o = { ...DEFAULT_CHAT_CLIENT_OPTIONS, baseUrl: env('OPENAI_BASE_URL') ?? DEFAULT_CHAT_CLIENT_OPTIONS.baseUrl, ...options };
  const model = o.model ?? env('WEFT_MODEL');
  if (typeof model !== 'string' || model === '') throw new TypeError(expectedMessage('model', 'a non-empty string (or WEFT_MODEL set)', model));
  if (typeof o.baseUrl !== 'string' || !URL.canParse(o.baseUrl)) throw new TypeError(expectedMessage('baseUrl', 'an absolute URL string', o.baseUrl));
  const apiKey = o.apiKey ?? env('OPENAI_API_KEY');
  if (apiKey !== undefined && typeof apiKey !== 'string') throw new TypeError(expectedMessage('apiKey', 'a string', '[not shown]'));
  const maxRetries = checkInteger('maxRetries', o.maxRetries, 0);
  const retryDelayMs = checkInteger('retryDelayMs', o.retryDelayMs, 0);
  const maxRetryDelayMs = checkInteger('maxRetryDelayMs', o.maxRetryDelayMs, 0);
  const requestTimeoutMs = checkInteger('requestTimeoutMs', o.requestTimeoutMs, 0);
  const doFetch = o.fetch ?? globalThis.fetch;
  const baseUrl = o.baseUrl.replace(/\/+$/, '');
  const url = `${baseUrl}/chat/completions`;
  const encoder = new TextEncoder();
  const stats = { requests: 0, retries: 0, bytesSent: 0, bytesReceived: 0 };
  // Whatever the server echoes (an "invalid key sk-..." message) is shown without the key.
  const redact = (text: string) => (apiKey ? text.split(apiKey).join('[redacted]') : text);
  const headers: Record<string, string> = { ...o.headers, 'content-type': 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;

  async function once(body: Uint8Array<ArrayBuffer>, stream: boolean, call: ChatCallOptions): Promise<ChatCompletion> {
    const signal = requestTimeoutMs > 0 ? AbortSignal.any([AbortSignal.timeout(requestTimeoutMs), ...(call.signal ? [call.signal] : [])]) : call.signal;
    stats.requests++;
    stats.bytesSent += body.byteLength;
    call.reportBytes?.(body.byteLength);
    const received = (n: number) => {
      stats.bytesReceived += n;
      call.reportBytes?.(n);
    };
    const failed = (what: string, error: unknown): never => {
      if (call.signal?.aborted) throw call.signal.reason;
      const timedOut = signal?.aborted === true;
      const why = timedOut ? `no complete answer within ${requestTimeoutMs} ms` : `${what}: ${redact((error as Error)?.message ?? String(error))}`;
      throw new Retryable(() => new LlmHttpError(`POST ${url}: ${why}`, { cause: timedOut ? undefined : error }), undefined);
    };
    let res: Response;
    try {
      res = await doFetch(url, { method: 'POST', headers: stream ? { ...headers, accept: 'text/event-stream' } : headers, body, signal });
    } catch (error) {
      return failed('connection failed', error);
    }
    if (!res.ok) {
      const raw = await res.arrayBuffer().catch(() => new ArrayBuffer(0));
      received(raw.byteLength);
      const detail = redact(new TextDecoder().decode(raw).slice(0, 300));
      const wait = retryAfterMs(res.headers.get('retry-after'));
      const status = res.status;
      const fail = (retryAfter: number) =>
        status === 429 || status === 503
          ? new LlmRateLimitedError(status, retryAfter, detail || res.statusText)
          : new LlmHttpError(`POST ${url}: HTTP ${status}${detail ? ` ${detail}` : ''}`, { status });
      if (RETRYABLE.has(status)) throw new Retryable(fail, wait);
      throw fail(wait ?? 0);
    }
    if (!stream || res.body === null) {
      let raw: ArrayBuffer;
      try {
        raw = await res.arrayBuffer();
      } catch (error) {
        return failed('the connection dropped mid-answer', error);
      }
      received(raw.byteLength);
      return parseCompletion(new TextDecoder().decode(raw), redact);
    }
    let delivered = false;
    const acc = new StreamAccumulator(
      call.onDelta &&
        ((delta) => {
          delivered = true;
          call.onDelta!(delta);
        }),
      redact,
    );
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received(value.byteLength);
        acc.push(decoder.decode(value, { stream: true }));
        if (acc.done) break;
      }
    } catch (error) {
      if (error instanceof WeftError) throw error;
      // Deltas already given to the caller cannot be taken back: no retry here.
      if (delivered && !call.signal?.aborted) {
        throw new LlmHttpError(`POST ${url}: the stream dropped after part of the answer was delivered: ${redact((error as Error).message)}`, { cause: error });
      }
      return failed('the stream dropped mid-answer', error);
    } finally {
      reader.releaseLock();
    }
    if (!acc.done) {
      if (delivered) throw new LlmHttpError(`POST ${url}: the stream ended without [DONE] after part of the answer was delivered`);
      throw new Retryable(() => new LlmHttpError(`POST ${url}: the stream ended without [DONE]`), undefined);
    }
    return acc.result();
  }

  async function complete(request: ChatRequest, call: ChatCallOptions = {}): Promise<ChatCompletion> {
    call.signal?.throwIfAborted();
    const stream = request.stream === true;
    const payload: Record<string, unknown> = { ...request.body, model, messages: request.messages };
    if (request.tools !== undefined && request.tools.length > 0) payload.tools = request.tools;
    if (stream) payload.stream = true;
    if (stream) payload.stream_options = { include_usage: true };
    const body = encoder.encode(JSON.stringify(payload));
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(body, stream, call);
      } catch (error) {
        if (!(error instanceof Retryable)) throw error;
        const backoff = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** attempt);
        const wait = error.waitMs ?? backoff;
        if (wait > maxRetryDelayMs || attempt >= maxRetries) throw error.fail(wait);
        stats.retries++;
        await waitMs(wait, call.signal);
      }
    }
  }

  return Object.freeze({
    model,
    baseUrl,
    get stats() {
      return { ...stats };
    },
    complete,
    toJSON: () => ({ model, baseUrl }),
  });
}
