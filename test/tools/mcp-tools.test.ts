import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpFailedError, McpToolResultError } from '../../src/errors.js';
import { mcpTools, type McpToolSet } from '../../src/tools/mcp-tools.js';
import { createToolExecutor } from '../../src/tools/tool-executor.js';
import type { ToolExecutor } from '../../src/tools/types.js';
import { failure } from './failure.js';

// A real MCP server (test/fixtures/mcp-server.ts, written with the SDK) in a child process, over stdio.
const fixture = fileURLToPath(new URL('../fixtures/mcp-server.ts', import.meta.url));
const stdioServer = { command: process.execPath, args: ['--import', 'tsx', fixture] };

describe('mcpTools over stdio', () => {
  let set: McpToolSet;
  let executor: ToolExecutor;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    set = await mcpTools(stdioServer);
    executor = createToolExecutor(set.tools, { loopThreshold: Infinity });
  });

  afterAll(async () => {
    await set?.close();
  });

  it("lists the server's tools with its JSON Schemas", () => {
    expect(set.tools.map((t) => t.name)).toEqual(['add', 'echo', 'fail', 'pixel', 'hang', 'die', 'stats']);
    const add = executor.list()[0];
    expect(add.description).toBe('Adds two numbers');
    expect(add.inputSchema).toMatchObject({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] });
    expect(set.tools[0].jsonSchema().output).toMatchObject({ properties: { sum: { type: 'number' } } });
    expect(set.tools[0].timeoutMs).toBeUndefined();
  });

  it('calls tools: structured content, text, other content blocks', async () => {
    const s = executor.session({ signal });
    await expect(s.call('add', { a: 2, b: 40 })).resolves.toEqual({ sum: 42 });
    await expect(s.call('echo', { text: 'hi', times: 2 })).resolves.toBe('hi\nhi');
    await expect(s.call('pixel', {})).resolves.toEqual([{ type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' }]);
  });

  it("rejects bad arguments against the server's schema before they reach it", async () => {
    const s = executor.session({ signal, attempt: 2 });
    const before = ((await s.call('stats', {})) as { calls: number }).calls;
    const error = await failure(s.call('echo', { text: '', times: 1.5, extra: true }));
    expect(error.code).toBe('TOOL_INVALID_ARGS');
    expect(error.attempt).toBe(2);
    expect(error.issues).toEqual([
      { path: '$.text', message: 'must NOT have fewer than 1 characters' },
      { path: '$.times', message: 'must be integer' },
    ]);
    expect(((await s.call('stats', {})) as { calls: number }).calls).toBe(before);
  });

  it('turns an error result into TOOL_FAILED with the server text', async () => {
    const error = await failure(executor.session({ signal }).call('fail', {}));
    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toContain('the server answered with an error: the upstream index is offline');
    expect(error.cause).toBeInstanceOf(McpToolResultError);
    expect((error.cause as McpToolResultError).result.isError).toBe(true);
  });

  it('cancels the request on the server when the session aborts', async () => {
    const s = executor.session({ signal: AbortSignal.abort() });
    await expect(s.call('hang', {})).rejects.toBeInstanceOf(DOMException);
    const controller = new AbortController();
    const pending = executor.session({ signal: controller.signal }).call('hang', {}).catch((e: unknown) => e);
    const before = ((await executor.session({ signal }).call('stats', {})) as { cancelled: number }).cancelled;
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await pending).toBe(reason);
    // The cancellation notification precedes the next request on the same pipe.
    expect(((await executor.session({ signal }).call('stats', {})) as { cancelled: number }).cancelled).toBe(before + 1);
  });

  it('times out a call with TOOL_TIMEOUT and cancels it on the server', async () => {
    const before = ((await executor.session({ signal }).call('stats', {})) as { cancelled: number }).cancelled;
    const s = createToolExecutor(set.tools, { timeoutMs: 50 }).session({ signal });
    const error = await failure(s.call('hang', {}));
    expect(error.code).toBe('TOOL_TIMEOUT');
    expect(((await executor.session({ signal }).call('stats', {})) as { cancelled: number }).cancelled).toBe(before + 1);
  });
});

describe('mcpTools failures', () => {
  it('fails with MCP_FAILED when the server dies mid-call, and for every call after', async () => {
    const set = await mcpTools(stdioServer);
    try {
      const s = createToolExecutor(set.tools).session({ signal: new AbortController().signal });
      const error = await failure(s.call('die', {}));
      expect(error.code).toBe('MCP_FAILED');
      expect(error.toolName).toBe('die');
      expect(error.cause).toBeInstanceOf(McpFailedError);
      expect(error.message).toContain('the connection was lost');
      const after = await failure(s.call('add', { a: 1, b: 1 }));
      expect(after.code).toBe('MCP_FAILED');
      expect(after.message).toContain('lost before `add` was called');
    } finally {
      await set.close();
    }
  });

  it('fails with MCP_FAILED after close()', async () => {
    const set = await mcpTools(stdioServer, { timeoutMs: 20_000, prefix: 'fx.' });
    expect(set.tools[0]).toMatchObject({ name: 'fx.add', timeoutMs: 20_000 });
    await set.close();
    const error = await failure(createToolExecutor(set.tools).session({ signal: new AbortController().signal }).call('fx.add', { a: 1, b: 2 }));
    expect(error.code).toBe('MCP_FAILED');
    expect(error.message).toContain('closed before `add` was called');
  });

  it('fails with MCP_FAILED when the server cannot start, quoting its stderr', async () => {
    const missing = fileURLToPath(new URL('../fixtures/no-such-server.mjs', import.meta.url));
    const error = await mcpTools({ command: process.execPath, args: [missing] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpFailedError);
    expect((error as McpFailedError).code).toBe('MCP_FAILED');
    expect((error as Error).message).toContain('could not start or connect');
    expect((error as Error).message).toContain('Cannot find module');
  });

  it('fails with MCP_FAILED when the command does not exist', async () => {
    const error = await mcpTools({ command: 'weft-no-such-command-xyz' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MCP_FAILED', message: expect.stringContaining('weft-no-such-command-xyz') });
  });

  it('rejects with the reason when its signal aborts while connecting', async () => {
    const controller = new AbortController();
    const reason = new Error('not now');
    const pending = mcpTools(stdioServer, { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort(reason);
    expect(await pending).toBe(reason);
    await expect(mcpTools(stdioServer, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('validates its arguments', async () => {
    await expect(mcpTools(null as never)).rejects.toThrow('Expected `server` to be { command, args } or { url }, got `null` (null)');
    await expect(mcpTools({ command: '' })).rejects.toThrow('Expected `command` to be a non-empty string, got `""` (string)');
    await expect(mcpTools({ command: 'x', args: [1] as never })).rejects.toThrow('Expected `args` to be an array of strings, got `[1]` (array)');
    await expect(mcpTools({ url: 'ftp://x' })).rejects.toThrow('Expected `url` to be an http(s) URL, got `"ftp://x"` (string)');
    await expect(mcpTools({ url: 'not a url' })).rejects.toThrow('Expected `url` to be an http(s) URL');
    await expect(mcpTools({ url: 'http://127.0.0.1:1/mcp' }, { prefix: 3 as never })).rejects.toThrow('Expected `prefix` to be a string, got `3` (number)');
    await expect(mcpTools({ url: 'http://127.0.0.1:1/mcp' }, { timeoutMs: 0 })).rejects.toThrow('Expected `timeoutMs` to be a number > 0, got `0` (number)');
  });
});
