// Turns a provider's answer into a ChatCompletion: a JSON body, or a stream of server-sent events
// whose deltas are joined (tool calls by their `index`, arguments arriving in pieces). Checked by
// hand rather than with a schema library: this runs once per model step, and the loop's overhead
// per step is what the `llm` bench measures. A JSON SyntaxError quotes the text it choked on,
// which may be a server's echo of the request: it is never kept as a cause, and what is shown of
// an answer passes through `redact` (the client's: it removes the API key).
import { LlmBadResponseError } from '../errors.js';
import type { ChatCompletion, ChatToolCall, ChatUsage } from './messages.js';

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

function usageOf(raw: unknown): ChatUsage | undefined {
  if (!isObject(raw)) return undefined;
  const p = raw.prompt_tokens;
  const c = raw.completion_tokens;
  if (typeof p !== 'number' || typeof c !== 'number') return undefined;
  return { promptTokens: p, completionTokens: c };
}

function toolCallsOf(raw: unknown): ChatToolCall[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new LlmBadResponseError('`tool_calls` is not an array');
  return raw.map((c: unknown, i) => {
    const f = isObject(c) ? c.function : undefined;
    if (!isObject(c) || !isObject(f) || typeof f.name !== 'string') throw new LlmBadResponseError(`tool call ${i} has no function name`);
    const args = f.arguments === undefined || f.arguments === null ? '' : f.arguments;
    if (typeof args !== 'string') throw new LlmBadResponseError(`tool call ${i} (\`${f.name}\`): \`arguments\` is not a string`);
    return { id: typeof c.id === 'string' ? c.id : `call_${i}`, type: 'function' as const, function: { name: f.name, arguments: args } };
  });
}

type Redact = (text: string) => string;
const asIs: Redact = (text) => text;

/** Reads a non-streamed chat completion. */
export function parseCompletion(text: string, redact: Redact = asIs): ChatCompletion {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new LlmBadResponseError(`the body is not JSON (${text.length} characters): ${JSON.stringify(redact(text.slice(0, 120)))}`);
  }
  const choice = isObject(raw) && Array.isArray(raw.choices) ? (raw.choices[0] as unknown) : undefined;
  if (!isObject(choice) || !isObject(choice.message)) throw new LlmBadResponseError('no `choices[0].message`');
  const content = choice.message.content;
  if (content !== null && content !== undefined && typeof content !== 'string') throw new LlmBadResponseError('`content` is not a string');
  return {
    content: content ?? null,
    toolCalls: toolCallsOf(choice.message.tool_calls),
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
    usage: usageOf((raw as Json).usage),
  };
}

/** Joins the `data:` events of a streamed completion as they arrive. */
export class StreamAccumulator {
  private content = '';
  private sawContent = false;
  private readonly calls: { id: string; name: string; arguments: string }[] = [];
  private finishReason: string | null = null;
  private usage: ChatUsage | undefined;
  private buffer = '';
  /** `data: [DONE]` arrived. */
  done = false;

  /** @param onDelta - receives each piece of content as it arrives */
  constructor(
    private readonly onDelta?: (delta: string) => void,
    private readonly redact: Redact = asIs,
  ) {}

  /** Feeds decoded text; complete events are applied, a partial one waits for the rest. */
  push(text: string): void {
    this.buffer += text;
    let m: RegExpExecArray | null;
    while ((m = /\r?\n\r?\n/.exec(this.buffer)) !== null) {
      const event = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line[5] === ' ' ? 6 : 5))
        .join('\n');
      if (data !== '') this.apply(data);
    }
  }

  private apply(data: string): void {
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new LlmBadResponseError(`a streamed event is not JSON (${data.length} characters): ${JSON.stringify(this.redact(data.slice(0, 120)))}`);
    }
    if (!isObject(chunk)) throw new LlmBadResponseError('a streamed event is not an object');
    if (isObject(chunk.error)) throw new LlmBadResponseError(`the stream reported an error: ${this.redact(String(chunk.error.message ?? 'unknown'))}`);
    this.usage = usageOf(chunk.usage) ?? this.usage;
    const choice = Array.isArray(chunk.choices) ? (chunk.choices[0] as unknown) : undefined;
    if (!isObject(choice)) return;
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    const delta = choice.delta;
    if (!isObject(delta)) return;
    if (typeof delta.content === 'string' && delta.content !== '') {
      this.sawContent = true;
      this.content += delta.content;
      this.onDelta?.(delta.content);
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const d of delta.tool_calls as unknown[]) {
        if (!isObject(d)) continue;
        const index = typeof d.index === 'number' ? d.index : this.calls.length;
        const call = (this.calls[index] ??= { id: '', name: '', arguments: '' });
        if (typeof d.id === 'string' && d.id !== '') call.id = d.id;
        const f = isObject(d.function) ? d.function : {};
        // The name comes whole, once; arguments come in pieces to be joined.
        if (typeof f.name === 'string' && call.name === '') call.name = f.name;
        if (typeof f.arguments === 'string') call.arguments += f.arguments;
      }
    }
  }

  /** The completion, once the stream has ended. */
  result(): ChatCompletion {
    if (this.buffer.trim() !== '') this.push('\n\n');
    const toolCalls: ChatToolCall[] = [];
    this.calls.forEach((c, i) => {
      if (c.name === '') throw new LlmBadResponseError(`streamed tool call ${i} has no function name`);
      toolCalls.push({ id: c.id || `call_${i}`, type: 'function', function: { name: c.name, arguments: c.arguments } });
    });
    return { content: this.sawContent ? this.content : null, toolCalls, finishReason: this.finishReason, usage: this.usage };
  }
}
