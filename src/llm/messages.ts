// The OpenAI chat-completions wire shapes weft sends and reads, kept in the wire's own field names
// (`tool_calls`, `tool_call_id`) so a conversation can be passed in and out without conversion.

/** A tool call the model asked for; `arguments` is the model's JSON text, unparsed. */
export interface ChatToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

/** One message of a conversation, as the chat-completions API takes it. */
export type ChatMessage =
  | { readonly role: 'system' | 'developer'; readonly content: string }
  | { readonly role: 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string | null; readonly tool_calls?: readonly ChatToolCall[] }
  | { readonly role: 'tool'; readonly tool_call_id: string; readonly content: string };

/** A function the model may call: its name, what it does, and its arguments' JSON Schema. */
export interface ChatToolDefinition {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description?: string; readonly parameters: object };
}

/** Tokens one completion used, as the provider counted them. */
export interface ChatUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** One model answer. */
export interface ChatCompletion {
  /** The assistant's text, or `null` when it only called tools. */
  readonly content: string | null;
  /** The tool calls it asked for, in order (empty for a final answer). */
  readonly toolCalls: readonly ChatToolCall[];
  /** `stop`, `tool_calls`, `length`, ... as the provider said, or `null`. */
  readonly finishReason: string | null;
  /** Tokens used, when the provider said (`undefined` otherwise). */
  readonly usage: ChatUsage | undefined;
}

/** One chat-completions request. */
export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  /** The functions the model may call. @default none */
  readonly tools?: readonly ChatToolDefinition[];
  /** Stream the answer as server-sent events (deltas go to `onDelta`). @default false */
  readonly stream?: boolean;
  /** More body fields, sent as given (`temperature`, `response_format`, `tool_choice`, ...). @default {} */
  readonly body?: Readonly<Record<string, unknown>>;
}
