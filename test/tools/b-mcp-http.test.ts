import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpFailedError, ToolError } from '../../src/errors.js';
import { mcpTools, type McpToolSet } from '../../src/tools/mcp-tools.js';
import { createToolExecutor } from '../../src/tools/tool-executor.js';
import { spawnHttpServer } from '../fixtures/mcp-http-server.js';

// The fixture MCP server over streamable HTTP on 127.0.0.1, in a child process the tests can lose.

describe('mcpTools over streamable HTTP', () => {
  let server: Awaited<ReturnType<typeof spawnHttpServer>>;
  let set: McpToolSet;

  beforeAll(async () => {
    server = await spawnHttpServer();
    set = await mcpTools({ url: server.url, headers: { 'x-test': '1' } });
  });

  afterAll(async () => {
    await set?.close();
    server?.child.kill();
  });

  it('lists and calls the tools', async () => {
    expect(set.tools.map((t) => t.name)).toContain('add');
    const s = createToolExecutor(set.tools).session({ signal: new AbortController().signal });
    await expect(s.call('add', { a: 1, b: 2 })).resolves.toEqual({ sum: 3 });
    await expect(s.call('echo', { text: 'over http' })).resolves.toBe('over http');
  });

  it("reports the bytes each call sends and receives through the session's reportBytes", async () => {
    const reports: number[] = [];
    const s = createToolExecutor(set.tools).session({ signal: new AbortController().signal, reportBytes: (n) => reports.push(n) });
    const text = 'x'.repeat(5000);
    await expect(s.call('echo', { text })).resolves.toBe(text);
    const total = reports.reduce((a, b) => a + b, 0);
    expect(reports.every((n) => n > 0)).toBe(true);
    // The request carries the text once and the reply once more: both directions are counted.
    expect(total).toBeGreaterThan(2 * text.length);
    expect(total).toBeLessThan(2 * text.length + 2000);
  });

  it('reports nothing for sessions without reportBytes, and other sessions are not charged', async () => {
    const charged: number[] = [];
    const executor = createToolExecutor(set.tools, { loopThreshold: Infinity });
    const quiet = executor.session({ signal: new AbortController().signal });
    const metered = executor.session({ signal: new AbortController().signal, reportBytes: (n) => charged.push(n) });
    await Promise.all([quiet.call('echo', { text: 'a'.repeat(3000) }), metered.call('echo', { text: 'b' })]);
    expect(charged.reduce((a, b) => a + b, 0)).toBeLessThan(2000);
  });

  it('fails with MCP_FAILED when the server process dies mid-call', async () => {
    const own = await spawnHttpServer();
    const tools = await mcpTools({ url: own.url });
    try {
      const s = createToolExecutor(tools.tools).session({ signal: new AbortController().signal });
      const error = (await s.call('die', {}).catch((e: unknown) => e)) as ToolError;
      expect(error).toBeInstanceOf(ToolError);
      expect(error.code).toBe('MCP_FAILED');
      expect(error.cause).toBeInstanceOf(McpFailedError);
      expect(await own.exited).toBe(3);
      await expect(s.call('add', { a: 1, b: 1 })).rejects.toMatchObject({ code: 'MCP_FAILED' });
    } finally {
      await tools.close();
      own.child.kill();
    }
  });

  it('fails with MCP_FAILED when nothing listens at the URL', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const error = await mcpTools({ url: `http://127.0.0.1:${port}/mcp` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpFailedError);
    expect((error as Error).message).toContain(`MCP server <http://127.0.0.1:${port}/mcp>: could not start or connect`);
  });
});
