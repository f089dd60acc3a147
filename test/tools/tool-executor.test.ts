import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isWeftError, McpFailedError, SchemaInvalidError, ToolError } from '../../src/errors.js';
import { argsDigest } from '../../src/tools/args-digest.js';
import { defineTool } from '../../src/tools/define-tool.js';
import { createToolExecutor } from '../../src/tools/tool-executor.js';
import type { Tool, ToolContext } from '../../src/tools/types.js';
import { failure } from './failure.js';

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers',
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.number(),
  run: ({ a, b }) => a + b,
});

function session(tools: readonly Tool[] = [add], attempt?: number) {
  return createToolExecutor(tools).session({ signal: new AbortController().signal, taskId: 't1', attempt });
}

describe('createToolExecutor', () => {
  it('lists its tools with their JSON Schemas, in order, and finds them by name', () => {
    const echo = defineTool({ name: 'echo', description: 'Echoes', input: z.object({ text: z.string() }), run: ({ text }) => text });
    const executor = createToolExecutor([add, echo]);
    const list = executor.list();
    expect(list.map((t) => t.name)).toEqual(['add', 'echo']);
    expect(list[0]).toMatchObject({ description: 'Adds two numbers', inputSchema: { type: 'object', required: ['a', 'b'] } });
    expect(executor.get('echo')).toBe(echo);
    expect(executor.get('nope')).toBeUndefined();
  });

  it('calls a tool with its validated arguments and returns its validated result', async () => {
    const s = session();
    await expect(s.call('add', { a: 2, b: 3 })).resolves.toBe(5);
    expect(s.calls).toBe(1);
  });

  it('passes the schema output (defaults, transforms) to the tool', async () => {
    const greet = defineTool({ name: 'greet', description: '', input: z.object({ name: z.string().default('you') }), run: ({ name }) => `hi ${name}` });
    await expect(session([greet]).call('greet', {})).resolves.toBe('hi you');
  });

  it('gives the tool its context: signal, depth, task id and attempt', async () => {
    let seen: ToolContext | undefined;
    const probe = defineTool({ name: 'probe', description: '', input: z.object({}), run: (_args, ctx) => void (seen = ctx) });
    await session([probe], 2).call('probe', {});
    expect(seen).toMatchObject({ depth: 1, taskId: 't1', attempt: 2 });
    expect(seen!.signal).toBeInstanceOf(AbortSignal);
    expect(seen!.signal.aborted).toBe(false);
  });

  it('rejects arguments that break the schema with TOOL_INVALID_ARGS listing every bad field', async () => {
    const error = await failure(session(undefined, 1).call('add', { a: 'x' }));
    expect(error.code).toBe('TOOL_INVALID_ARGS');
    expect(error.toolName).toBe('add');
    expect(error.argsDigest).toBe(argsDigest({ a: 'x' }));
    expect(error.attempt).toBe(1);
    expect(error.issues.map((i) => i.path)).toEqual(['$.a', '$.b']);
    expect(error.message).toMatch(/^tool `add` \(args [0-9a-f]{16}, attempt 1\): invalid arguments: \$\.a: .*; \$\.b: /);
    // The house validator's error is kept as the cause.
    expect(error.cause).toBeInstanceOf(SchemaInvalidError);
    expect((error.cause as SchemaInvalidError).toolName).toBe('add');
  });

  it('rejects a result that breaks the output schema with TOOL_INVALID_RESULT', async () => {
    const liar = defineTool({ name: 'liar', description: '', input: z.object({}), output: z.object({ n: z.number() }), run: () => ({ n: 'one' }) as never });
    const error = await failure(session([liar]).call('liar', {}));
    expect(error.code).toBe('TOOL_INVALID_RESULT');
    expect(error.issues).toEqual([{ path: '$.n', message: expect.stringContaining('number') }]);
  });

  it('names the known tools when a call names an unknown one', async () => {
    const error = await failure(session().call('sub', { a: 1 }));
    expect(error.code).toBe('TOOL_UNKNOWN');
    expect(error.message).toContain('no such tool (the executor has `add`)');
    expect(error.attempt).toBeUndefined();
    expect((await failure(session([]).call('x', {}))).message).toContain('(the executor has none)');
  });

  it('wraps what a tool throws (synchronously or not) as TOOL_FAILED with the cause', async () => {
    const boom = new Error('disk full');
    const sync = defineTool({ name: 'sync', description: '', input: z.object({}), run: () => { throw boom; } });
    const later = defineTool({ name: 'later', description: '', input: z.object({}), run: async () => { throw boom; } });
    const s = session([sync, later]);
    for (const name of ['sync', 'later']) {
      const error = await failure(s.call(name, {}));
      expect(error.code).toBe('TOOL_FAILED');
      expect(error.cause).toBe(boom);
      expect(error.message).toContain(`tool \`${name}\``);
      expect(error.message).toContain('failed: disk full');
    }
  });

  it('keeps MCP_FAILED as the code when a tool reports its server gone', async () => {
    const gone = new McpFailedError('stdio node x', 'the server exited');
    const remote = defineTool({ name: 'remote', description: '', input: z.object({}), run: () => Promise.reject(gone) });
    const error = await failure(session([remote]).call('remote', {}));
    expect(error.code).toBe('MCP_FAILED');
    expect(error.cause).toBe(gone);
    expect(isWeftError(error, 'MCP_FAILED')).toBe(true);
  });

  it('supports asynchronous Standard Schema validators', async () => {
    const asyncSchema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: async (value: unknown) => (typeof value === 'string' ? { value } : { issues: [{ message: 'not a string', path: [{ key: 'root' }] }] }),
      },
    };
    const upper = defineTool({ name: 'upper', description: '', input: asyncSchema, output: asyncSchema, run: (s: string) => s.toUpperCase() });
    const s = session([upper]);
    await expect(s.call('upper', 'abc')).resolves.toBe('ABC');
    expect((await failure(s.call('upper', 1))).issues).toEqual([{ path: '$.root', message: 'not a string' }]);
  });

  it('validates its arguments and options with messages naming them', () => {
    expect(() => createToolExecutor('x' as never)).toThrow('Expected `tools` to be an array of tools, got `"x"` (string)');
    expect(() => createToolExecutor([{} as never])).toThrow('Expected `tools[0]` to be a tool made by defineTool, got `{}` (object)');
    expect(() => createToolExecutor([add, add])).toThrow('Expected `tools[1].name` to be unique, got `"add"` (string)');
    expect(() => createToolExecutor([], { maxCalls: 0 })).toThrow(new RangeError('Expected `maxCalls` to be an integer >= 1, got `0` (number)'));
    expect(() => createToolExecutor([], { maxDepth: 1.5 })).toThrow('Expected `maxDepth` to be an integer >= 1, got `1.5` (number)');
    expect(() => createToolExecutor([], { loopThreshold: 1 })).toThrow('Expected `loopThreshold` to be an integer >= 2, got `1` (number)');
    expect(() => createToolExecutor([], { timeoutMs: -5 })).toThrow('Expected `timeoutMs` to be a number > 0, got `-5` (number)');
    expect(() => createToolExecutor([], { cache: { maxEntries: 0 } })).toThrow('Expected `cache.maxEntries` to be an integer >= 1, got `0` (number)');
    expect(() => createToolExecutor([], { cache: { maxBytes: 'big' as never } })).toThrow('Expected `cache.maxBytes` to be an integer >= 1, got `"big"` (string)');
    expect(() => createToolExecutor([], { cache: { ttlMs: 0 } })).toThrow('Expected `cache.ttlMs` to be a number > 0, got `0` (number)');
    expect(() => createToolExecutor([], { cache: { sizeCalculation: 1 as never } })).toThrow('Expected `cache.sizeCalculation` to be a function, got `1` (number)');
    expect(() => createToolExecutor([], { cache: null as never })).toThrow('Expected `cache` to be an object, got `null` (null)');
    expect(() => createToolExecutor([], { loopThreshold: Infinity, timeoutMs: Infinity })).not.toThrow();
    const executor = createToolExecutor([]);
    expect(() => executor.session({} as never)).toThrow('Expected `signal` to be an AbortSignal, got `undefined` (undefined)');
    expect(() => executor.session({ signal: new AbortController().signal, attempt: 0 })).toThrow('Expected `attempt` to be an integer >= 1, got `0` (number)');
  });
});
