// The shapes of tools and of the executor that runs them: what defineTool returns, what a tool's
// run() receives, and the per-attempt session agents call tools through.

import type { StandardSchemaV1 } from '@standard-schema/spec';

/** What a tool's `run` receives beside its validated arguments. */
export interface ToolContext {
  /** Aborts when the session's signal aborts or the call times out (the reason says which). */
  readonly signal: AbortSignal;
  /** How deep this call is: 1 for a call made through a session, 2 for a call made by that tool, ... */
  readonly depth: number;
  /** The task whose session made the call, when the session was given one. */
  readonly taskId?: string;
  /** That task's attempt, when the session was given one. */
  readonly attempt?: number;
  /**
   * Calls another tool of the same executor, one level deeper, under the same session's limits
   * (budget, loop detection, `maxDepth`).
   */
  call(name: string, args: unknown): Promise<unknown>;
  /** The session's byte meter, for tools that talk over the network (MCP over HTTP reports through it). */
  readonly reportBytes?: (bytes: number) => void;
}

/** Caching of a tool's results by its arguments. */
export interface ToolCacheSetting {
  /** How long a result stays fresh. @default the executor's `cache.ttlMs` */
  readonly ttlMs?: number;
}

/** What {@link defineTool} takes. */
export interface ToolDefinition<I, O> {
  /** Unique within an executor: 1–128 of `A-Z a-z 0-9 _ - .` (what tool-calling models accept). */
  readonly name: string;
  /** What the tool does, for the model that decides to call it. */
  readonly description: string;
  /** Schema of the arguments (any Standard Schema: zod 4, valibot, arktype, ...). */
  readonly input: StandardSchemaV1<unknown, I>;
  /** Schema of the result; without one the result is not checked. @default none */
  readonly output?: StandardSchemaV1<unknown, O>;
  /** Does the work, with the arguments as the input schema returned them. */
  run(args: I, ctx: ToolContext): O | Promise<O>;
  /** Per-call time limit; the call fails with `TOOL_TIMEOUT` and `ctx.signal` aborts. @default the executor's `timeoutMs` */
  readonly timeoutMs?: number;
  /**
   * Cache results by arguments (`true`: with the executor's TTL). Only for tools whose result
   * depends on the arguments alone.
   * @default false
   */
  readonly cache?: boolean | ToolCacheSetting;
}

/** A tool, as {@link defineTool} (or `mcpTools`) made it: frozen, with its options checked. */
export interface Tool<I = unknown, O = unknown> {
  readonly name: string;
  readonly description: string;
  readonly input: StandardSchemaV1<unknown, I>;
  readonly output: StandardSchemaV1<unknown, O> | undefined;
  readonly timeoutMs: number | undefined;
  /** `undefined`: not cached; else the cache setting (`ttlMs` undefined: the executor's). */
  readonly cache: ToolCacheSetting | undefined;
  run(args: I, ctx: ToolContext): O | Promise<O>;
  /** JSON Schema of the arguments (and of the result, when it has a schema), for tool-calling models. */
  jsonSchema(): { readonly input: Record<string, unknown>; readonly output?: Record<string, unknown> };
}

/** A tool as a model sees it. */
export interface ToolInfo {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments. */
  readonly inputSchema: Record<string, unknown>;
}

/** What a session is opened with: one task attempt's view of the executor. */
export interface ToolSessionOptions {
  /** Aborts every call of the session (calls reject with its reason). */
  readonly signal: AbortSignal;
  /** The task making the calls, passed to tools and named in nothing else. */
  readonly taskId?: string;
  /** The task's attempt, carried by every {@link ToolError} of the session. */
  readonly attempt?: number;
  /** Charged with the network bytes tools send and receive (MCP over HTTP), e.g. `ctx.reportBytes`. */
  reportBytes?(bytes: number): void;
}

/** One task attempt's calls: the call budget, loop detection and depth are counted per session. */
export interface ToolSession {
  /** Calls a tool; rejects with a `ToolError` (or the signal's reason when the session aborts). */
  call(name: string, args: unknown): Promise<unknown>;
  /** Calls made so far (nested calls included). */
  readonly calls: number;
}

/** Runs tools under limits, with a shared result cache. */
export interface ToolExecutor {
  /** The tools, as a model sees them, in the order given. */
  list(): readonly ToolInfo[];
  /** The tool named `name`, if the executor has it. */
  get(name: string): Tool | undefined;
  /** Opens a session for one task attempt. */
  session(options: ToolSessionOptions): ToolSession;
  /** Cache counters since the executor was made. */
  cacheStats(): ToolCacheStats;
}

/** Counters of the executor's result cache. */
export interface ToolCacheStats {
  /** Calls answered from the cache. */
  readonly hits: number;
  /** Calls of cached tools that ran the tool. */
  readonly misses: number;
  /** Calls that joined an identical call already running. */
  readonly shared: number;
  /** Entries now held. */
  readonly entries: number;
  /** Their size, as `sizeCalculation` measured it. */
  readonly bytes: number;
}
