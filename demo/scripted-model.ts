// The Agents part's model: a `fetch` that answers OpenAI chat-completion requests in the page,
// from a script, the way a tool-calling model would (deterministically, from what it is sent).
// Streamed answers come as server-sent events, a few words at a time, so the page shows them
// arriving. weft's chat client cannot tell it from a server: it is the same protocol.

/** A chat-completions request body, as far as the script reads it. */
interface ChatRequest {
  readonly model: string;
  readonly stream?: boolean;
  readonly stream_options?: { readonly include_usage?: boolean };
  readonly messages: readonly { readonly role: string; readonly content?: string | null }[];
}

/** What the script answers: text, or tool calls. */
export interface ScriptedAnswer {
  readonly text?: string;
  readonly toolCalls?: readonly { readonly name: string; readonly arguments: unknown }[];
}

/** One model call, as the page's log shows it. */
export interface ModelCall {
  readonly agent: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly toolCalls: number;
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

/**
 * A `fetch` for weft's chat client: `script(request)` gives each answer; `onCall` hears of each
 * call with its token counts; `chunkDelayMs` paces the streamed pieces.
 */
export function scriptedFetch(script: (messages: ChatRequest['messages']) => ScriptedAnswer & { agent: string }, onCall: (call: ModelCall) => void, chunkDelayMs = 25): typeof fetch {
  let n = 0;
  return async (_url, init) => {
    const body0 = init?.body ?? '{}';
    const raw = typeof body0 === 'string' ? body0 : new TextDecoder().decode(body0 as Uint8Array);
    const body = JSON.parse(raw) as ChatRequest;
    const answer = script(body.messages);
    const id = `chatcmpl-${++n}`;
    const calls = (answer.toolCalls ?? []).map((c, i) => ({ id: `call_${n}_${i}`, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } }));
    const text = answer.text ?? null;
    const usage = { prompt_tokens: tokens(raw), completion_tokens: tokens((text ?? '') + calls.map((c) => c.function.arguments).join('')) };
    onCall({ agent: answer.agent, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, toolCalls: calls.length });
    const finish = calls.length > 0 ? 'tool_calls' : 'stop';
    if (!body.stream) {
      const message = { role: 'assistant', content: text, ...(calls.length > 0 ? { tool_calls: calls } : {}) };
      return Response.json({ id, object: 'chat.completion', created: 0, model: body.model, choices: [{ index: 0, message, finish_reason: finish }], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
    }
    const chunk = (delta: object, finishReason: string | null = null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    const events = [chunk({ role: 'assistant', content: '' })];
    for (const piece of (text ?? '').match(/\S+\s*/g) ?? []) events.push(chunk({ content: piece }));
    calls.forEach((call, index) => events.push(chunk({ tool_calls: [{ index, ...call }] })));
    events.push(chunk({}, finish));
    if (body.stream_options?.include_usage) events.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: body.model, choices: [], usage })}\n\n`);
    events.push('data: [DONE]\n\n');
    const encoder = new TextEncoder();
    let k = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (k > 0) await new Promise((resolve) => setTimeout(resolve, chunkDelayMs)); // pacing, so the text is seen arriving
        controller.enqueue(encoder.encode(events[k++]));
        if (k === events.length) controller.close();
      },
    });
    return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
  };
}
