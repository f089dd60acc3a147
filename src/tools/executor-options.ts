// Options of createToolExecutor: defaults beside them, resolved and checked once.

import { checkInteger, expectedMessage } from '../internal/validate.js';
import { checkTimeout } from './define-tool.js';

/** The result cache of a tool executor (only tools defined with `cache` use it). */
export interface ToolCacheOptions {
  /** Most results held; the least recently used go first. @default 1000 */
  readonly maxEntries?: number;
  /**
   * Most bytes held, each result measured by `sizeCalculation`; a result bigger than this is not
   * cached at all.
   * @default 16 MiB (16_777_216)
   */
  readonly maxBytes?: number;
  /** How long a result stays fresh, unless its tool says otherwise (`cache: { ttlMs }`). @default 300_000 (5 min) */
  readonly ttlMs?: number;
  /**
   * Size of a result in bytes, for `maxBytes`.
   * @default the UTF-16 length of its stable serialisation, times 2 (what the string would hold)
   */
  readonly sizeCalculation?: (value: unknown, toolName: string) => number;
}

/** Options of {@link createToolExecutor}. */
export interface ToolExecutorOptions {
  /** Per-call time limit for tools without their own `timeoutMs` (`Infinity`: none). @default 30_000 */
  readonly timeoutMs?: number;
  /** Calls one session may make, nested calls included; the next fails with `TOOL_BUDGET_EXCEEDED`. @default 100 */
  readonly maxCalls?: number;
  /** Deepest nesting of tools calling tools (`ctx.call`); a session's own calls are depth 1. @default 8 */
  readonly maxDepth?: number;
  /**
   * Calls of the same tool with the same arguments in a row (in one session) that count as a
   * loop: that call fails with `TOOL_LOOP` (`Infinity`: never).
   * @default 3
   */
  readonly loopThreshold?: number;
  /** The result cache. @default {@link DEFAULT_TOOL_CACHE_OPTIONS} */
  readonly cache?: ToolCacheOptions;
}

/** The defaults of {@link ToolCacheOptions}. */
export const DEFAULT_TOOL_CACHE_OPTIONS: Readonly<Required<Omit<ToolCacheOptions, 'sizeCalculation'>>> = Object.freeze({
  maxEntries: 1000,
  maxBytes: 16 * 1024 * 1024,
  ttlMs: 300_000,
});

/** The defaults of {@link ToolExecutorOptions}. */
export const DEFAULT_TOOL_EXECUTOR_OPTIONS = Object.freeze({
  timeoutMs: 30_000,
  maxCalls: 100,
  maxDepth: 8,
  loopThreshold: 3,
  cache: DEFAULT_TOOL_CACHE_OPTIONS,
});

/** @internal Options with every default filled in. */
export interface ResolvedToolExecutorOptions {
  readonly timeoutMs: number;
  readonly maxCalls: number;
  readonly maxDepth: number;
  readonly loopThreshold: number;
  readonly cache: Required<Omit<ToolCacheOptions, 'sizeCalculation'>> & Pick<ToolCacheOptions, 'sizeCalculation'>;
}

/** @internal Fills in the defaults and checks every option. */
export function resolveToolExecutorOptions(options: ToolExecutorOptions = {}): ResolvedToolExecutorOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object', options));
  const o = { ...DEFAULT_TOOL_EXECUTOR_OPTIONS, ...options };
  checkTimeout('timeoutMs', o.timeoutMs);
  checkInteger('maxCalls', o.maxCalls, 1);
  checkInteger('maxDepth', o.maxDepth, 1);
  if (o.loopThreshold !== Infinity) checkInteger('loopThreshold', o.loopThreshold, 2);
  if (typeof o.cache !== 'object' || o.cache === null) throw new TypeError(expectedMessage('cache', 'an object', o.cache));
  const cache: ResolvedToolExecutorOptions['cache'] = { ...DEFAULT_TOOL_CACHE_OPTIONS, ...(o.cache as ToolCacheOptions) };
  checkInteger('cache.maxEntries', cache.maxEntries, 1);
  checkInteger('cache.maxBytes', cache.maxBytes, 1);
  checkTimeout('cache.ttlMs', cache.ttlMs);
  if (cache.sizeCalculation !== undefined && typeof cache.sizeCalculation !== 'function') {
    throw new TypeError(expectedMessage('cache.sizeCalculation', 'a function', cache.sizeCalculation));
  }
  return Object.freeze({ ...o, cache: Object.freeze(cache) });
}
