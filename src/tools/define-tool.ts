// defineTool: checks a tool's definition once, when it is made, and freezes it.

import { checkStandardSchema } from '../agents/schema.js';
import { expectedMessage } from '../internal/validate.js';
import { jsonSchemaOf } from './schema-check.js';
import type { Tool, ToolCacheSetting, ToolDefinition } from './types.js';

/** What a tool name may be: what OpenAI-style function calling and MCP both accept. */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Defines a tool: a named function with a schema for its arguments (and optionally its result),
 * which a {@link createToolExecutor} runs under its limits.
 *
 * @example
 * ```ts
 * const add = defineTool({ name: 'add', description: 'Adds two numbers',
 *   input: z.object({ a: z.number(), b: z.number() }), run: ({ a, b }) => a + b });
 * ```
 */
export function defineTool<I, O>(definition: ToolDefinition<I, O>): Tool<I, O> {
  if (typeof definition !== 'object' || definition === null) throw new TypeError(expectedMessage('definition', 'an object', definition));
  const { name, description, input, output, run, timeoutMs, cache } = definition;
  if (typeof name !== 'string' || !TOOL_NAME_PATTERN.test(name)) {
    throw new TypeError(expectedMessage('name', 'a string of 1-128 characters A-Z a-z 0-9 _ - .', name));
  }
  if (typeof description !== 'string') throw new TypeError(expectedMessage('description', 'a string', description));
  checkStandardSchema('input', input);
  if (output !== undefined) checkStandardSchema('output', output);
  if (typeof run !== 'function') throw new TypeError(expectedMessage('run', 'a function', run));
  if (timeoutMs !== undefined) checkTimeout('timeoutMs', timeoutMs);
  const cacheSetting = resolveCache(cache);
  let schemas: ReturnType<Tool['jsonSchema']> | undefined;
  const tool: Tool<I, O> = {
    name,
    description,
    input,
    output,
    timeoutMs,
    cache: cacheSetting,
    run,
    jsonSchema() {
      if (schemas === undefined) {
        const inputSchema = jsonSchemaOf(input, 'input', { tool: name, side: 'input' });
        schemas = Object.freeze(output === undefined ? { input: inputSchema } : { input: inputSchema, output: jsonSchemaOf(output, 'output', { tool: name, side: 'output' }) });
      }
      return schemas;
    },
  };
  return Object.freeze(tool);
}

/** Throws unless `value` is a number of milliseconds > 0 (`Infinity`: no limit). */
export function checkTimeout(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(expectedMessage(name, 'a number > 0', value));
  if (!(value > 0)) throw new RangeError(expectedMessage(name, 'a number > 0', value));
  return value;
}

function resolveCache(cache: ToolDefinition<unknown, unknown>['cache']): ToolCacheSetting | undefined {
  if (cache === undefined || cache === false) return undefined;
  if (cache === true) return Object.freeze({});
  if (typeof cache !== 'object' || cache === null) throw new TypeError(expectedMessage('cache', 'a boolean or { ttlMs }', cache));
  if (cache.ttlMs !== undefined) checkTimeout('cache.ttlMs', cache.ttlMs);
  return Object.freeze({ ttlMs: cache.ttlMs });
}
