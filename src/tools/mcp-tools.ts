// MCP servers' tools as weft tools: connect with the SDK client (stdio or streamable HTTP), list
// the tools, and give each the server's JSON Schemas, so the executor validates and limits them
// like its own. A server that cannot start or goes away is MCP_FAILED, never a hang.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import { McpFailedError, type McpCallResult } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';
import { CallScopedFetch } from './call-fetch.js';
import { checkTimeout, defineTool, TOOL_NAME_PATTERN } from './define-tool.js';
import { fromJsonSchema } from './json-schema.js';
import { fromCallResult } from './mcp-result.js';
import type { Tool, ToolContext } from './types.js';

/** An MCP server started as a process and spoken to over its stdin/stdout. */
export interface McpStdioServer {
  /** The program to run, e.g. `npx` or `node`. */
  readonly command: string;
  /** Its arguments. @default [] */
  readonly args?: readonly string[];
  /** Environment variables, over the SDK's safe defaults (`PATH`, `HOME`, ...). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Its working directory. @default this process's */
  readonly cwd?: string;
}

/** An MCP server spoken to over streamable HTTP. */
export interface McpHttpServer {
  /** Its endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  readonly url: string | URL;
  /** Headers for every request (authorisation, ...). @default {} */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Options of {@link mcpTools}. */
export interface McpToolsOptions {
  /** Aborts connecting and listing; aborting it later closes the connection. */
  readonly signal?: AbortSignal;
  /** Prepended to every tool's name (to keep two servers' tools apart). @default '' */
  readonly prefix?: string;
  /** Per-call time limit of every tool of the server. @default the executor's `timeoutMs` */
  readonly timeoutMs?: number;
  /** Time allowed to start, connect and list the tools; beyond it, `MCP_FAILED`. @default 30_000 */
  readonly connectTimeoutMs?: number;
}

/** A connected server's tools. */
export interface McpToolSet {
  /** The server's tools, as weft tools (pass them to `createToolExecutor`). */
  readonly tools: readonly Tool[];
  /** Closes the connection (and stops a stdio server); later calls fail with `MCP_FAILED`. */
  close(): Promise<void>;
}

/** The SDK's per-request limit; weft's executor does the timing, so the SDK's must not fire first. */
const NO_SDK_TIMEOUT = 2_147_483_647;
const STDERR_TAIL = 2000;

/**
 * Connects to an MCP server, `{ command, args }` (stdio) or `{ url }` (streamable HTTP), and
 * returns its tools. Each validates its arguments against the server's input schema (ajv),
 * maps results (`structuredContent`, else the text, else the content blocks; `isError` fails the
 * call with the server's text) and aborts the request (MCP `notifications/cancelled`) when its
 * call is aborted or times out. Over HTTP, body bytes sent and received are charged to the
 * session's `reportBytes`.
 */
export async function mcpTools(server: McpStdioServer | McpHttpServer, options: McpToolsOptions = {}): Promise<McpToolSet> {
  const { signal, prefix = '', timeoutMs, connectTimeoutMs = 30_000 } = options;
  if (typeof prefix !== 'string') throw new TypeError(expectedMessage('prefix', 'a string', prefix));
  if (timeoutMs !== undefined) checkTimeout('timeoutMs', timeoutMs);
  checkTimeout('connectTimeoutMs', connectTimeoutMs);
  signal?.throwIfAborted();
  const connection = new Connection(server);
  const onAbort = () => void connection.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  const limit = AbortSignal.timeout(connectTimeoutMs);
  const listing = signal === undefined ? limit : AbortSignal.any([signal, limit]);
  let infos: McpToolInfo[];
  try {
    infos = await connection.open(listing);
  } catch (error) {
    signal?.removeEventListener('abort', onAbort);
    await connection.close();
    if (signal?.aborted) throw signal.reason;
    if (limit.aborted) throw new McpFailedError(connection.label, `did not connect within ${connectTimeoutMs} ms${connection.stderrTail()}`, { cause: error });
    throw connection.failure(error, 'could not start or connect');
  }
  const tools = infos.map((info) => connection.tool(info, prefix, timeoutMs));
  return Object.freeze({
    tools: Object.freeze(tools),
    close: async () => {
      signal?.removeEventListener('abort', onAbort);
      await connection.close();
    },
  });
}

class Connection {
  readonly label: string;
  private readonly client = new Client({ name: 'weft', version: '0.1.0' });
  private readonly transport: Transport;
  private readonly http: CallScopedFetch | undefined;
  private stderr = '';
  private closed = false;
  private lost = false;

  constructor(server: McpStdioServer | McpHttpServer) {
    if (typeof server !== 'object' || server === null) throw new TypeError(expectedMessage('server', '{ command, args } or { url }', server));
    if ('command' in server) {
      const { command, args = [], env, cwd } = server;
      if (typeof command !== 'string' || command === '') throw new TypeError(expectedMessage('command', 'a non-empty string', command));
      if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new TypeError(expectedMessage('args', 'an array of strings', args));
      this.label = `\`${[command, ...args].join(' ')}\``;
      const stdio = new StdioClientTransport({ command, args: [...args], env: env === undefined ? undefined : { ...env }, cwd, stderr: 'pipe' });
      // Kept for error messages: why a server would not start is usually on its stderr.
      stdio.stderr?.on('data', (chunk: Buffer) => {
        this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
      });
      this.transport = stdio;
    } else {
      let url: URL;
      try {
        url = new URL(server.url);
      } catch {
        throw new TypeError(expectedMessage('url', 'an http(s) URL', server.url));
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(expectedMessage('url', 'an http(s) URL', server.url));
      this.label = `<${url.href}>`;
      this.http = new CallScopedFetch();
      this.transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { ...server.headers } }, fetch: this.http.fetch });
    }
    this.client.onclose = () => {
      this.lost = true;
    };
  }

  async open(signal: AbortSignal): Promise<McpToolInfo[]> {
    await this.client.connect(this.transport, { signal, timeout: NO_SDK_TIMEOUT });
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.listTools(cursor === undefined ? {} : { cursor }, { signal, timeout: NO_SDK_TIMEOUT });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return tools;
  }

  tool(info: McpToolInfo, prefix: string, timeoutMs: number | undefined): Tool {
    const name = `${prefix}${info.name}`;
    if (!TOOL_NAME_PATTERN.test(name)) throw new McpFailedError(this.label, `tool name \`${name}\` is not 1-128 characters of A-Z a-z 0-9 _ - .`);
    let input, output;
    try {
      input = fromJsonSchema(info.inputSchema as Record<string, unknown>);
      output = info.outputSchema === undefined ? undefined : fromJsonSchema(info.outputSchema as Record<string, unknown>);
    } catch (error) {
      throw new McpFailedError(this.label, `tool \`${info.name}\` has a schema that cannot be compiled: ${(error as Error).message}`, { cause: error });
    }
    return defineTool({
      name,
      description: info.description ?? info.title ?? '',
      input,
      output,
      timeoutMs,
      run: (args, ctx) => this.call(info.name, args, ctx),
    });
  }

  private async call(name: string, args: unknown, ctx: ToolContext): Promise<unknown> {
    if (this.closed) throw new McpFailedError(this.label, `closed before \`${name}\` was called`);
    if (this.lost) throw new McpFailedError(this.label, `the connection was lost before \`${name}\` was called${this.stderrTail()}`);
    // Aborted by the call's own signal, or by the HTTP fetch when the call's stream breaks.
    const local = new AbortController();
    const signal = AbortSignal.any([ctx.signal, local.signal]);
    const request = () => this.client.callTool({ name, arguments: args as Record<string, unknown> }, undefined, { signal, timeout: NO_SDK_TIMEOUT });
    let result;
    try {
      result = this.http === undefined ? await request() : await this.http.run({ meter: ctx.reportBytes, fail: (error) => local.abort(error) }, request);
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      throw this.failure(error, `\`${name}\` failed`);
    }
    return fromCallResult(result as McpCallResult);
  }

  /** Connection-level failures are MCP_FAILED; the server's own JSON-RPC errors stay as they are (TOOL_FAILED). */
  failure(error: unknown, what: string): unknown {
    // Anything but a JSON-RPC error from the server (a failed fetch, a broken stream, a closed
    // pipe) means the connection failed.
    const connectionLevel = this.lost || this.closed || !(error instanceof McpError) || error.code === ErrorCode.ConnectionClosed || error.code === ErrorCode.RequestTimeout;
    if (!connectionLevel) return error;
    const why = this.closed ? 'the connection was closed' : this.lost ? 'the connection was lost (the server exited or hung up)' : (error as Error)?.message;
    return new McpFailedError(this.label, `${what}: ${why}${this.stderrTail()}`, { cause: error });
  }

  stderrTail(): string {
    const tail = this.stderr.trim();
    return tail === '' ? '' : `; its stderr ends: ${tail}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close().catch(() => undefined);
  }
}
