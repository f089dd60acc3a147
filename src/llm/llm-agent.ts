import type { StandardSchemaV1 } from '@standard-schema/spec';
import { defineAgent, type Agent, type Budget } from '../agents/define-agent.js';
import { checkStandardSchema } from '../agents/schema.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import { jsonSchemaOf } from '../tools/schema-check.js';
import { createToolExecutor } from '../tools/tool-executor.js';
import type { Tool, ToolExecutor } from '../tools/types.js';
import type { TaskInput } from '../workflow/types.js';
import { runAgentLoop, type LlmInput, type LlmPrices, type LoopConfig } from './agent-loop.js';
import { createChatClient, type ChatClient, type ChatClientOptions } from './chat-client.js';
import { LLM_INPUT_SCHEMA, LLM_TEXT_SCHEMA } from './llm-schemas.js';
import { loopToolsOf } from './loop-tools.js';
import type { ChatMessage } from './messages.js';
import { structuredOutput } from './structured-output.js';

/** Options of {@link llmAgent}: the agent's, the loop's, and its chat client's ({@link ChatClientOptions}). */
export interface LlmAgentOptions<O = string> extends ChatClientOptions {
  /** The agent's name (tasks name it: `wf.task({ id, agent: name, input: { prompt } })`). */
  readonly name: string;
  /** What the agent does. @default '' */
  readonly description?: string;
  /** The system message. @default none */
  readonly instructions?: string;
  /** The tools the model may call: an executor (its limits and cache), or tools to make one with its defaults. @default none */
  readonly tools?: ToolExecutor | readonly Tool[];
  /** Model calls per task attempt before failing with `LLM_MAX_STEPS`. @default 10 */
  readonly maxSteps?: number;
  /** Tool calls with malformed JSON arguments the model is told about (and may correct) before the task fails with `LLM_BAD_RESPONSE`. @default 3 */
  readonly maxToolErrors?: number;
  /** Schema of a structured answer (zod 4 or any Standard Schema): the output is the parsed, validated object. @default a string (the final text) */
  readonly output?: StandardSchemaV1<unknown, O>;
  /** With `output`, also ask for JSON through `response_format: { type: 'json_schema' }` (for providers that take it). @default true */
  readonly responseFormat?: boolean;
  /** USD per 1,000 prompt and completion tokens; each call's cost is reported with its tokens (`ctx.reportUsage`). @default no cost */
  readonly prices?: LlmPrices;
  /** Stream the answers (SSE); each piece of text becomes a `task:stream` event. @default false */
  readonly stream?: boolean;
  /** Show the dependencies' outputs to the model, as JSON in a message before the prompt. @default true */
  readonly includeDeps?: boolean;
  /** More request body fields (`temperature`, `seed`, `tool_choice`, ...). @default {} */
  readonly request?: Readonly<Record<string, unknown>>;
  /** Share one client (its counters, its connection settings) instead of making one from these options. @default one per agent */
  readonly client?: ChatClient;
  /** Name of the rate limiter the agent's tasks use (its tokens and `bytesPerInterval` are charged). @default none */
  readonly rateLimit?: string;
  /** Cap on the agent's tasks running at once. @default Infinity */
  readonly concurrency?: number;
  /** What the agent's tasks may spend in one run (tokens, USD). @default unlimited */
  readonly budget?: Budget;
}

/** Defaults of {@link LlmAgentOptions} (the client's are in `DEFAULT_CHAT_CLIENT_OPTIONS`). */
export const DEFAULT_LLM_AGENT_OPTIONS = Object.freeze({ maxSteps: 10, maxToolErrors: 3, responseFormat: true, stream: false, includeDeps: true });

function checkPrices(prices: unknown): LlmPrices | undefined {
  if (prices === undefined) return undefined;
  if (typeof prices !== 'object' || prices === null) throw new TypeError(expectedMessage('prices', 'an object ({ promptPer1K, completionPer1K })', prices));
  const { promptPer1K, completionPer1K } = prices as LlmPrices;
  for (const [key, v] of [['promptPer1K', promptPer1K], ['completionPer1K', completionPer1K]] as const) {
    if (typeof v !== 'number' || !(v >= 0) || v === Infinity) throw new RangeError(expectedMessage(`prices.${key}`, 'a finite number >= 0', v));
  }
  return Object.freeze({ promptPer1K, completionPer1K });
}

function depsMessage(deps: TaskInput): ChatMessage[] {
  const ids = Object.keys(deps);
  if (ids.length === 0) return [];
  return [{ role: 'user', content: `Outputs of the tasks this one depends on (JSON, by task id):\n${JSON.stringify(deps)}` }];
}

/**
 * An agent whose work is a model in a loop with tools: model → tool calls (through the tool
 * executor, in parallel when one answer asks for several) → model, until a final answer or
 * `maxSteps`. Its input is `{ prompt, messages? }`; its output the final text, or with `output`
 * the parsed, validated object. Each model call reports its tokens and cost (`ctx.reportUsage`)
 * and its bytes (`ctx.reportBytes`); the task's signal aborts the call in flight.
 *
 * @throws `TypeError`/`RangeError` for bad options (and the client's: no model, a bad URL, ...).
 */
export function llmAgent<O = string>(options: LlmAgentOptions<O>): Agent<LlmInput, O> {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an llmAgent options object', options));
  const o = { ...DEFAULT_LLM_AGENT_OPTIONS, ...options };
  const name = o.name;
  if (typeof name !== 'string' || name === '') throw new TypeError(expectedMessage('name', 'a non-empty string', name));
  const at = (e: unknown) => (e instanceof RangeError ? new RangeError(`llmAgent \`${name}\`: ${e.message}`) : e instanceof TypeError ? new TypeError(`llmAgent \`${name}\`: ${e.message}`) : e);
  let config: LoopConfig;
  let tools: ReturnType<typeof loopToolsOf> | undefined;
  try {
    if (o.instructions !== undefined && typeof o.instructions !== 'string') throw new TypeError(expectedMessage('instructions', 'a string', o.instructions));
    for (const key of ['stream', 'responseFormat', 'includeDeps'] as const) {
      if (typeof o[key] !== 'boolean') throw new TypeError(expectedMessage(key, 'a boolean', o[key]));
    }
    if (o.request !== undefined && (typeof o.request !== 'object' || o.request === null)) throw new TypeError(expectedMessage('request', 'an object of body fields', o.request));
    const client = o.client ?? createChatClient(o);
    if (o.tools !== undefined) {
      const executor = Array.isArray(o.tools) ? createToolExecutor(o.tools as readonly Tool[]) : (o.tools as ToolExecutor);
      if (typeof executor?.session !== 'function' || typeof executor.list !== 'function') throw new TypeError(expectedMessage('tools', 'a tool executor or an array of tools', o.tools));
      tools = loopToolsOf(executor);
    }
    const output = o.output === undefined ? undefined : checkStandardSchema('output', o.output);
    config = Object.freeze({
      name,
      client,
      instructions: o.instructions,
      maxSteps: checkInteger('maxSteps', o.maxSteps, 1),
      maxToolErrors: checkInteger('maxToolErrors', o.maxToolErrors, 0),
      stream: o.stream,
      prices: checkPrices(o.prices),
      output: output && structuredOutput(output, jsonSchemaOf(output, 'input'), name, o.responseFormat),
      body: o.request ?? {},
    });
  } catch (error) {
    throw at(error);
  }
  const includeDeps = o.includeDeps;
  return defineAgent({
    name,
    description: o.description,
    input: LLM_INPUT_SCHEMA,
    output: (o.output ?? LLM_TEXT_SCHEMA) as StandardSchemaV1<unknown, O>,
    concurrency: o.concurrency,
    rateLimit: o.rateLimit,
    budget: o.budget,
    async run(input, ctx) {
      const session = tools?.open({ signal: ctx.signal, taskId: ctx.taskId, attempt: ctx.attempt, reportBytes: (n) => ctx.reportBytes(n) });
      const result = await runAgentLoop(config, input, ctx, session, includeDeps ? depsMessage(ctx.deps) : []);
      return result.output as O;
    },
  }) as Agent<LlmInput, O>;
}
