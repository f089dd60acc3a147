// A real OpenAI-compatible chat-completions server on 127.0.0.1 for tests, the example and the
// bench: each reply is scripted in order (text, tool calls, errors with Retry-After, malformed
// tool-call arguments, held or slow replies, a connection dropped mid-answer), answered as JSON or,
// when the request says `stream: true`, as server-sent events. It records every request it got.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tool call the scripted model makes. `arguments` as a string is sent verbatim (malformed JSON included). */
export interface ScriptedToolCall {
  readonly id?: string;
  readonly name: string;
  readonly arguments: string | Record<string, unknown>;
}

/** One scripted answer. Without `status`, a 200 chat completion with `text` and/or `toolCalls`. */
export interface ScriptedReply {
  /** The assistant's content. @default '' (or null with tool calls) */
  readonly text?: string;
  readonly toolCalls?: readonly ScriptedToolCall[];
  /** Token usage in the answer; `false` omits it. @default ~4 characters per token of the request and the answer */
  readonly usage?: { readonly prompt_tokens: number; readonly completion_tokens: number } | false;
  /** An error answer with this status (429, 503, 401, ...) instead of a completion. */
  readonly status?: number;
  /** `Retry-After` header: seconds, or a `Date` sent as an HTTP date, or a raw string. */
  readonly retryAfter?: number | Date | string;
  /** The raw body instead of the generated one (a malformed completion, an error text). */
  readonly body?: string;
  /** Sends the headers and part of the answer, then destroys the socket. */
  readonly drop?: boolean;
  /** Answers only once this settles (a slow reply the test releases; the request may be aborted first). */
  readonly hold?: Promise<unknown>;
  /** Answers after this many ms (slow replies in the example; tests use `hold`). */
  readonly delayMs?: number;
  /** Pieces the text is streamed in. @default one per word */
  readonly chunks?: number;
}

/** A reply, or a function that makes one from the request (for answers that depend on it). */
export type ScriptStep = ScriptedReply | ((request: RecordedRequest) => ScriptedReply);

/** What the server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body as received. */
  readonly raw: string;
  /** The parsed JSON body (`undefined` when it was not JSON). */
  readonly body: ChatRequestBody;
}

/** The parts of a chat-completions request the tests look at. */
export interface ChatRequestBody {
  readonly model: string;
  readonly messages: readonly { role: string; content?: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  readonly tools?: readonly { type: 'function'; function: { name: string; description?: string; parameters?: unknown } }[];
  readonly stream?: boolean;
  readonly stream_options?: { include_usage?: boolean };
  readonly [key: string]: unknown;
}

/** A running scripted server. */
export interface ScriptedLlmServer {
  /** `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  /** Every request, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Requests whose client went away before the answer was complete. */
  readonly abandoned: number;
  /** Appends replies to the script. */
  script(...steps: ScriptStep[]): void;
  /** Replies still waiting in the script. */
  readonly pending: number;
  /** Resolves with the `n`-th request (1-based) once it has arrived. */
  request(n: number): Promise<RecordedRequest>;
  /** Resolves once `n` requests in all have been abandoned by their clients. */
  untilAbandoned(n: number): Promise<void>;
  /** Clears the script and the records. */
  reset(): void;
  close(): Promise<void>;
  /** Lets the process exit while the server is still listening (a bench or example that never closes it). */
  unref(): void;
}

/** Options of {@link startScriptedLlmServer}. */
export interface ScriptedLlmServerOptions {
  /** Answers a request when the script is empty. @default a 500 saying the script is exhausted */
  readonly fallback?: ScriptStep;
  /** Keep every request in `requests` (a bench turns it off: it would grow without end). @default true */
  readonly record?: boolean;
}

const approxTokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

function completionOf(reply: ScriptedReply, request: RecordedRequest, n: number) {
  const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({
    id: c.id ?? `call_${n}_${i}`,
    type: 'function' as const,
    function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
  }));
  const text = reply.text ?? (toolCalls.length > 0 ? null : '');
  const usage =
    reply.usage === false
      ? undefined
      : (reply.usage ?? {
          prompt_tokens: approxTokens(request.raw),
          completion_tokens: approxTokens((text ?? '') + toolCalls.map((c) => c.function.name + c.function.arguments).join('')),
        });
  return { id: `chatcmpl-${n}`, text, toolCalls, usage, finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop' };
}

function pieces(text: string, count: number | undefined): string[] {
  if (text === '') return [];
  if (count === undefined) return text.match(/\S+\s*|\s+/g) ?? [text];
  const size = Math.ceil(text.length / Math.max(1, count));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function sendJson(res: ServerResponse, reply: ScriptedReply, request: RecordedRequest, n: number): void {
  const c = completionOf(reply, request, n);
  const body =
    reply.body ??
    JSON.stringify({
      id: c.id,
      object: 'chat.completion',
      created: 0,
      model: request.body?.model ?? 'scripted',
      choices: [{ index: 0, message: { role: 'assistant', content: c.text, ...(c.toolCalls.length > 0 ? { tool_calls: c.toolCalls } : {}) }, finish_reason: c.finishReason }],
      ...(c.usage ? { usage: { ...c.usage, total_tokens: c.usage.prompt_tokens + c.usage.completion_tokens } } : {}),
    });
  res.writeHead(200, { 'content-type': 'application/json' });
  if (reply.drop) {
    res.write(body.slice(0, body.length >> 1), () => res.socket?.destroy());
    return;
  }
  res.end(body);
}

function sendSse(res: ServerResponse, reply: ScriptedReply, request: RecordedRequest, n: number): void {
  const c = completionOf(reply, request, n);
  const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
    `data: ${JSON.stringify({ id: c.id, object: 'chat.completion.chunk', created: 0, model: request.body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  const events: string[] = [chunk({ role: 'assistant', content: '' })];
  for (const piece of pieces(c.text ?? '', reply.chunks)) events.push(chunk({ content: piece }));
  c.toolCalls.forEach((call, index) => {
    const args = call.function.arguments;
    const half = args.length >> 1;
    // Name first, then the arguments in two pieces: clients must join the deltas by index.
    events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    events.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] }));
    events.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] }));
  });
  events.push(chunk({}, c.finishReason));
  if (c.usage && request.body.stream_options?.include_usage) {
    events.push(`data: ${JSON.stringify({ id: c.id, object: 'chat.completion.chunk', created: 0, model: request.body.model, choices: [], usage: c.usage })}\n\n`);
  }
  events.push('data: [DONE]\n\n');
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  if (reply.drop) {
    res.write(events.slice(0, Math.max(1, events.length >> 1)).join(''), () => res.socket?.destroy());
    return;
  }
  res.end(reply.body ?? events.join(''));
}

function sendError(res: ServerResponse, reply: ScriptedReply): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (reply.retryAfter !== undefined) {
    headers['retry-after'] = reply.retryAfter instanceof Date ? reply.retryAfter.toUTCString() : String(reply.retryAfter);
  }
  res.writeHead(reply.status!, headers);
  res.end(reply.body ?? JSON.stringify({ error: { message: `scripted HTTP ${reply.status}`, type: 'scripted' } }));
}

/** Starts a scripted chat-completions server on 127.0.0.1 (a free port). */
export async function startScriptedLlmServer(options: ScriptedLlmServerOptions = {}): Promise<ScriptedLlmServer> {
  let steps: ScriptStep[] = [];
  let requests: RecordedRequest[] = [];
  let abandoned = 0;
  let received = 0;
  const requestWaiters = new Map<number, (r: RecordedRequest) => void>();
  let abandonWaiters: { n: number; resolve: () => void }[] = [];
  const fallback: ScriptStep = options.fallback ?? { status: 500, body: '{"error":{"message":"script exhausted"}}' };

  async function answer(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      body = undefined as unknown as ChatRequestBody;
    }
    const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers }, raw, body };
    const n = ++received;
    if (options.record !== false) requests.push(recorded);
    requestWaiters.get(n)?.(recorded);
    requestWaiters.delete(n);
    const step = steps.shift() ?? fallback;
    const reply = typeof step === 'function' ? step(recorded) : step;
    if (reply.hold) await reply.hold.catch(() => undefined);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed || res.writableEnded) return;
    if (req.method !== 'POST' || !/\/chat\/completions$/.test(recorded.path)) {
      res.writeHead(404).end('{"error":{"message":"not found"}}');
    } else if (reply.status !== undefined && reply.status !== 200) sendError(res, reply);
    else if (body?.stream) sendSse(res, reply, recorded, n);
    else sendJson(res, reply, recorded, n);
  }

  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => void answer(req, res, Buffer.concat(parts).toString('utf8')));
    res.on('close', () => {
      if (res.writableFinished) return;
      abandoned++;
      abandonWaiters = abandonWaiters.filter((w) => (abandoned >= w.n ? (w.resolve(), false) : true));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    get abandoned() {
      return abandoned;
    },
    get pending() {
      return steps.length;
    },
    script(...more) {
      steps.push(...more);
    },
    request(n) {
      if (received >= n) return Promise.resolve(requests[n - 1]);
      return new Promise((resolve) => requestWaiters.set(n, resolve));
    },
    untilAbandoned(n) {
      if (abandoned >= n) return Promise.resolve();
      return new Promise((resolve) => abandonWaiters.push({ n, resolve }));
    },
    reset() {
      steps = [];
      requests = [];
      received = 0;
      abandoned = 0;
    },
    unref() {
      server.unref();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
