// The errors of tool calls and MCP servers.

import type { SchemaIssue } from './agent-errors.js';
import { WeftError, type ToolErrorCode } from './weft-error.js';
/** One bad field of a tool's arguments or result (the same shape as a schema's issues). */
export type ToolIssue = SchemaIssue;

/**
 * A tool call that failed: the tool is unknown, its arguments or result broke its schema, it ran
 * out of time, the session's limits stopped it, or the tool itself failed (`cause`).
 */
export class ToolError extends WeftError {
  declare readonly code: ToolErrorCode;
  /** The tool that was called. */
  readonly toolName: string;
  /** Hex xxh64 of the arguments' stable serialisation (sorted keys): the same arguments, the same digest. */
  readonly argsDigest: string;
  /** The attempt of the task whose session made the call, when the session was given one. */
  readonly attempt: number | undefined;
  /** The bad fields, for `TOOL_INVALID_ARGS` and `TOOL_INVALID_RESULT` (else empty). */
  readonly issues: readonly ToolIssue[];

  /**
   * @param code - the stable code
   * @param call - the tool, the arguments' digest and the attempt
   * @param why - what went wrong
   * @param options - `issues`: the bad fields; `cause`: the underlying error
   */
  constructor(
    code: ToolErrorCode,
    call: { readonly toolName: string; readonly argsDigest: string; readonly attempt?: number },
    why: string,
    options?: { issues?: readonly ToolIssue[]; cause?: unknown },
  ) {
    super(code, `tool \`${call.toolName}\` (args ${call.argsDigest}${call.attempt === undefined ? '' : `, attempt ${call.attempt}`}): ${why}`, options);
    this.toolName = call.toolName;
    this.argsDigest = call.argsDigest;
    this.attempt = call.attempt;
    this.issues = options?.issues ?? [];
  }
}

/** An MCP server could not be started or reached, or went away (before or during a call). */
export class McpFailedError extends WeftError {
  /**
   * @param server - the server: its command or URL
   * @param why - what failed
   * @param options - `cause`: the underlying error
   */
  constructor(server: string, why: string, options?: { cause?: unknown }) {
    super('MCP_FAILED', `MCP server ${server}: ${why}`, options);
  }
}

/** The parts of an MCP `CallToolResult` weft reads. */
export interface McpCallResult {
  readonly content?: readonly { readonly type: string; readonly text?: string }[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
  /** The result of protocol versions before 2025-03-26. */
  readonly toolResult?: unknown;
}

/**
 * An MCP tool answered with `isError: true` (the server ran it, and it failed): the `cause` of the
 * `TOOL_FAILED` error the call rejects with; its message is the text the server sent.
 */
export class McpToolResultError extends Error {
  /** The server's result, as it came. */
  readonly result: McpCallResult;

  /**
   * @param result - the error result
   */
  constructor(result: McpCallResult) {
    const text = (result.content ?? []).flatMap((block) => (block.type === 'text' ? [block.text ?? ''] : [])).join('\n');
    super(`the server answered with an error: ${text || '(no text)'}`);
    this.name = 'McpToolResultError';
    this.result = result;
  }
}
