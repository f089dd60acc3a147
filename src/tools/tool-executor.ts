// The guarded tool executor: every call is checked (known tool, depth, budget, loop), its
// arguments and result validated, its time limited, and cached tools answered from a bounded
// LRU. Sessions hold the per-attempt counters; the executor holds the tools and the cache.

import { isWeftError, ToolError } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';
import { digestOf, stableSerialize } from './args-digest.js';
import { resolveToolExecutorOptions, type ResolvedToolExecutorOptions, type ToolExecutorOptions } from './executor-options.js';
import { checkSchema, formatIssues, type SchemaCheck } from './schema-check.js';
import { ToolCache } from './tool-cache.js';
import { ToolRun, Waiting } from './tool-run.js';
import type { Tool, ToolCacheStats, ToolContext, ToolExecutor, ToolInfo, ToolSession, ToolSessionOptions } from './types.js';

interface CallId {
  readonly toolName: string;
  readonly argsDigest: string;
  readonly attempt?: number;
}

/**
 * Makes an executor for `tools`: open a {@link ToolSession} per task attempt and call tools
 * through it. Limits (time, calls, depth, loops) fail a call with a `ToolError` instead of
 * letting it hang, recurse or repeat without end.
 */
export function createToolExecutor(tools: readonly Tool[], options?: ToolExecutorOptions): ToolExecutor {
  if (!Array.isArray(tools)) throw new TypeError(expectedMessage('tools', 'an array of tools', tools));
  const byName = new Map<string, Tool>();
  for (const [i, tool] of tools.entries()) {
    if (typeof tool?.run !== 'function' || typeof tool.name !== 'string' || typeof tool.jsonSchema !== 'function') {
      throw new TypeError(expectedMessage(`tools[${i}]`, 'a tool made by defineTool', tool));
    }
    if (byName.has(tool.name)) throw new TypeError(expectedMessage(`tools[${i}].name`, 'unique', tool.name));
    byName.set(tool.name, tool);
  }
  return new Executor(byName, resolveToolExecutorOptions(options));
}

class Session implements ToolSession {
  calls = 0;
  lastKey = '';
  repeats = 0;
  readonly signal: AbortSignal;
  readonly taskId: string | undefined;
  readonly attempt: number | undefined;
  readonly reportBytes: ((bytes: number) => void) | undefined;
  readonly waiting: Waiting;

  constructor(
    private readonly executor: Executor,
    options: ToolSessionOptions,
  ) {
    this.signal = options.signal;
    this.taskId = options.taskId;
    this.attempt = options.attempt;
    this.waiting = new Waiting(options.signal);
    this.reportBytes = options.reportBytes === undefined ? undefined : (bytes) => options.reportBytes!(bytes);
  }

  call(name: string, args: unknown): Promise<unknown> {
    return this.executor.invoke(this, name, args, 1);
  }
}

class Executor implements ToolExecutor {
  private readonly cache: ToolCache;
  private infos: readonly ToolInfo[] | undefined;

  constructor(
    private readonly tools: ReadonlyMap<string, Tool>,
    private readonly options: ResolvedToolExecutorOptions,
  ) {
    this.cache = new ToolCache(options.cache);
  }

  list(): readonly ToolInfo[] {
    this.infos ??= Object.freeze(
      [...this.tools.values()].map((t) => Object.freeze({ name: t.name, description: t.description, inputSchema: t.jsonSchema().input })),
    );
    return this.infos;
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  session(options: ToolSessionOptions): ToolSession {
    if (!(options?.signal instanceof AbortSignal)) throw new TypeError(expectedMessage('signal', 'an AbortSignal', options?.signal));
    if (options.attempt !== undefined && (!Number.isInteger(options.attempt) || options.attempt < 1)) {
      throw new RangeError(expectedMessage('attempt', 'an integer >= 1', options.attempt));
    }
    return new Session(this, options);
  }

  cacheStats(): ToolCacheStats {
    return this.cache.stats();
  }

  /** @internal One call: the checks in order (abort, unknown, depth, budget, loop), then validate and run. */
  invoke(session: Session, name: string, args: unknown, depth: number): Promise<unknown> {
    const signal = session.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    const argsDigest = digestOf(stableSerialize(args));
    const id: CallId = session.attempt === undefined ? { toolName: name, argsDigest } : { toolName: name, argsDigest, attempt: session.attempt };
    const tool = this.tools.get(name);
    const o = this.options;
    if (tool === undefined) {
      const known = [...this.tools.keys()];
      return reject('TOOL_UNKNOWN', id, `no such tool (the executor has ${known.length === 0 ? 'none' : known.map((k) => `\`${k}\``).join(', ')})`);
    }
    if (depth > o.maxDepth) return reject('TOOL_DEPTH_EXCEEDED', id, `nested ${depth} deep, beyond maxDepth ${o.maxDepth}`);
    session.calls += 1;
    if (session.calls > o.maxCalls) return reject('TOOL_BUDGET_EXCEEDED', id, `the session has made its ${o.maxCalls} calls (maxCalls)`);
    const key = `${name}\0${argsDigest}`;
    if (key === session.lastKey) session.repeats += 1;
    else {
      session.lastKey = key;
      session.repeats = 1;
    }
    if (session.repeats >= o.loopThreshold) {
      return reject('TOOL_LOOP', id, `called ${session.repeats} times in a row with the same arguments (loopThreshold ${o.loopThreshold})`);
    }
    const checked = checkSchema(tool.input, args, { tool: name, side: 'input' });
    return checked instanceof Promise
      ? checked.then((c) => this.dispatch(session, tool, id, key, c, depth))
      : this.dispatch(session, tool, id, key, checked, depth);
  }

  private dispatch(session: Session, tool: Tool, id: CallId, key: string, checked: SchemaCheck<unknown>, depth: number): Promise<unknown> {
    if (!checked.ok) {
      return reject('TOOL_INVALID_ARGS', id, `invalid arguments: ${formatIssues(checked.issues)}`, { issues: checked.issues, cause: checked.error });
    }
        // An uncached run has one caller: the session aborts the run itself, no waiter between.
    if (tool.cache === undefined) return session.waiting.own(this.start(session, tool, id, key, checked.value, depth));
    const hit = this.cache.get(key);
    if (hit !== undefined) return Promise.resolve(hit.value);
    let run = this.cache.running(key);
    if (run === undefined) {
      this.cache.misses += 1;
      run = this.start(session, tool, id, key, checked.value, depth);
      this.cache.track(key, run);
    } else this.cache.shared += 1;
    return session.waiting.wait(run);
  }

  /** Runs the tool once under its time limit; the result is validated (and cached) before it settles. */
  private start(session: Session, tool: Tool, id: CallId, key: string, args: unknown, depth: number): ToolRun {
    const call = new ToolCall(this, session, tool, id, key, depth);
    const timeoutMs = tool.timeoutMs ?? this.options.timeoutMs;
    call.run.limit(timeoutMs, () => new ToolError('TOOL_TIMEOUT', id, `timed out after ${timeoutMs} ms`));
    try {
      const result = tool.run(args, call);
      if (result instanceof Promise) result.then((value) => call.settleWith(value), (error: unknown) => call.fail(error));
      else call.settleWith(result);
    } catch (error) {
      call.fail(error);
    }
    return call.run;
  }

  /** @internal Validates a tool's result (then caches it); the value, a promise of it, or throws. */
  validated(tool: Tool, id: CallId, key: string, value: unknown): unknown {
    if (tool.output === undefined) return this.settle(tool, key, value);
    const out = checkSchema(tool.output, value, { tool: tool.name, side: 'output' });
    return out instanceof Promise ? out.then((c) => this.checkedResult(tool, id, key, c)) : this.checkedResult(tool, id, key, out);
  }

  private checkedResult(tool: Tool, id: CallId, key: string, checked: SchemaCheck<unknown>): unknown {
    if (!checked.ok) throw new ToolError('TOOL_INVALID_RESULT', id, `invalid result: ${formatIssues(checked.issues)}`, { issues: checked.issues, cause: checked.error });
    return this.settle(tool, key, checked.value);
  }

  private settle(tool: Tool, key: string, value: unknown): unknown {
    if (tool.cache !== undefined) this.cache.set(key, value, tool.cache.ttlMs);
    return value;
  }
}

/**
 * One call's context (what the tool receives) and its run. A class rather than an object of
 * closures: a call allocates this one object, whatever the tool reads.
 */
class ToolCall implements ToolContext {
  readonly run = new ToolRun();

  constructor(
    private readonly executor: Executor,
    private readonly session: Session,
    private readonly tool: Tool,
    private readonly id: CallId,
    private readonly key: string,
    readonly depth: number,
  ) {}

  get signal(): AbortSignal {
    return this.run.signal;
  }

  get taskId(): string | undefined {
    return this.session.taskId;
  }

  get attempt(): number | undefined {
    return this.session.attempt;
  }

  get reportBytes(): ((bytes: number) => void) | undefined {
    return this.session.reportBytes;
  }

  call(name: string, args: unknown): Promise<unknown> {
    return this.executor.invoke(this.session, name, args, this.depth + 1);
  }

  /** Validates the tool's value and settles the run with it. */
  settleWith(value: unknown): void {
    // A result that arrives after the call timed out or was aborted is dropped, not cached.
    if (this.run.settled) return;
    try {
      const out = this.executor.validated(this.tool, this.id, this.key, value);
      if (out instanceof Promise) out.then((v) => this.run.resolve(v), (error: unknown) => this.fail(error));
      else this.run.resolve(out);
    } catch (error) {
      this.fail(error);
    }
  }

  fail(error: unknown): void {
    this.run.reject(asToolError(error, this.id));
  }
}

function reject(code: ToolError['code'], id: CallId, why: string, options?: ConstructorParameters<typeof ToolError>[3]): Promise<never> {
  return Promise.reject(new ToolError(code, id, why, options));
}

/** Nested calls' ToolErrors pass through unchanged (they name the tool that failed); the rest are wrapped. */
function asToolError(error: unknown, id: CallId): ToolError {
  if (error instanceof ToolError) return error;
  if (isWeftError(error, 'MCP_FAILED')) return new ToolError('MCP_FAILED', id, error.message, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new ToolError('TOOL_FAILED', id, `failed: ${message}`, { cause: error });
}
