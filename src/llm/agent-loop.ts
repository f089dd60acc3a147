// The agent loop: model → tool calls (in parallel when one answer asks for several) → model, until
// a final answer or `maxSteps`. It sees the task only through LoopContext and the tools only
// through LoopTools, so llmAgent can hand it a task's context and a tool executor's session.
import { LlmBadResponseError, LlmMaxStepsError, LlmOutputInvalidError } from '../errors.js';
import { formatIssues } from '../tools/schema-check.js';
import type { ChatClient } from './chat-client.js';
import type { ChatMessage, ChatToolCall, ChatToolDefinition } from './messages.js';
import { parseStructured, type StructuredOutput } from './structured-output.js';

/** What the loop needs of the task it runs in (an `AgentContext` has all of it). */
export interface LoopContext {
  readonly signal: AbortSignal;
  reportUsage?(usage: { promptTokens: number; completionTokens: number; costUsd?: number }): void;
  reportBytes?(bytes: number): void;
  stream?(delta: string): void;
}

/** The tools of one run of the loop: their definitions for the model, and a way to call one. */
export interface LoopTools {
  readonly definitions: readonly ChatToolDefinition[];
  call(name: string, args: unknown): Promise<unknown>;
  /** Whether a tool's failure ends the run instead of going back to the model (a spent budget, a detected loop). */
  isFatal(error: unknown): boolean;
}

/** USD per 1,000 tokens. */
export interface LlmPrices {
  readonly promptPer1K: number;
  readonly completionPer1K: number;
}

/** The fixed part of a loop: one agent's settings. */
export interface LoopConfig {
  readonly name: string;
  readonly client: ChatClient;
  readonly instructions: string | undefined;
  readonly maxSteps: number;
  readonly maxToolErrors: number;
  readonly stream: boolean;
  readonly prices: LlmPrices | undefined;
  readonly output: StructuredOutput | undefined;
  readonly body: Readonly<Record<string, unknown>>;
}

/** The input of an LLM agent: a prompt, after an optional earlier conversation. */
export interface LlmInput {
  readonly prompt: string;
  readonly messages?: readonly ChatMessage[];
}

/** What one run of the loop did. */
export interface LoopResult {
  /** The final text, or the parsed and validated object with an output schema. */
  readonly output: unknown;
  /** The whole conversation, the final answer included. */
  readonly messages: readonly ChatMessage[];
  /** Model calls made. */
  readonly steps: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly costUsd: number;
}

function toolMessage(call: ChatToolCall, content: unknown): ChatMessage {
  const text = typeof content === 'string' ? content : (JSON.stringify(content) ?? 'null');
  return { role: 'tool', tool_call_id: call.id, content: text };
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs the loop once. */
export async function runAgentLoop(config: LoopConfig, input: LlmInput, ctx: LoopContext, tools: LoopTools | undefined, extra: readonly ChatMessage[] = []): Promise<LoopResult> {
  const messages: ChatMessage[] = [];
  const system = [config.instructions, config.output?.instructions].filter(Boolean).join('\n\n');
  if (system) messages.push({ role: 'system', content: system });
  if (input.messages) messages.push(...input.messages);
  messages.push(...extra, { role: 'user', content: input.prompt });
  const totals = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
  const body = config.output?.body ? { ...config.body, ...config.output.body } : config.body;
  const onDelta = config.stream && ctx.stream ? (d: string) => ctx.stream!(d) : undefined;
  const reportBytes = ctx.reportBytes && ((n: number) => ctx.reportBytes!(n));
  let steps = 0;
  let toolErrors = 0;
  let repaired = false;

  const ask = async () => {
    steps++;
    const answer = await config.client.complete({ messages, tools: tools?.definitions, stream: config.stream, body }, { signal: ctx.signal, onDelta, reportBytes });
    if (answer.usage) {
      const { promptTokens, completionTokens } = answer.usage;
      const p = config.prices;
      const costUsd = p ? (promptTokens * p.promptPer1K + completionTokens * p.completionPer1K) / 1000 : undefined;
      totals.promptTokens += promptTokens;
      totals.completionTokens += completionTokens;
      totals.costUsd += costUsd ?? 0;
      ctx.reportUsage?.(costUsd === undefined ? { promptTokens, completionTokens } : { promptTokens, completionTokens, costUsd });
    }
    messages.push(answer.toolCalls.length > 0 ? { role: 'assistant', content: answer.content, tool_calls: answer.toolCalls } : { role: 'assistant', content: answer.content ?? '' });
    return answer;
  };

  const runTool = async (call: ChatToolCall): Promise<ChatMessage> => {
    let args: unknown;
    try {
      args = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments);
    } catch (error) {
      // The model can fix its own JSON when told what was wrong, up to a limit.
      if (++toolErrors > config.maxToolErrors) {
        throw new LlmBadResponseError(`agent \`${config.name}\`: more than ${config.maxToolErrors} tool calls with malformed JSON arguments (last: \`${call.function.name}\`)`, { cause: error });
      }
      return toolMessage(call, { error: `the arguments are not valid JSON (${errorMessage(error)}); call \`${call.function.name}\` again with a JSON object` });
    }
    if (tools === undefined) return toolMessage(call, { error: `there is no tool \`${call.function.name}\`; answer without tools` });
    try {
      return toolMessage(call, await tools.call(call.function.name, args));
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (tools.isFatal(error)) throw error;
      return toolMessage(call, { error: errorMessage(error) });
    }
  };

  for (;;) {
    ctx.signal.throwIfAborted();
    const answer = await ask();
    if (answer.toolCalls.length === 0) {
      const text = answer.content ?? '';
      if (config.output === undefined) return { output: text, messages, steps, ...totals };
      const parsed = await parseStructured(config.output, text);
      if (parsed.ok) return { output: parsed.value, messages, steps, ...totals };
      if (repaired) throw new LlmOutputInvalidError(config.name, parsed.issues);
      // One more call, with the validator's complaints, outside maxSteps: it is part of the answer.
      repaired = true;
      messages.push({ role: 'user', content: `Your answer does not match the required JSON schema: ${formatIssues(parsed.issues)}. Answer again with only the corrected JSON.` });
      continue;
    }
    if (steps >= config.maxSteps) throw new LlmMaxStepsError(config.name, config.maxSteps);
    messages.push(...(await Promise.all(answer.toolCalls.map(runTool))));
  }
}
