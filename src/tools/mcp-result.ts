// What an MCP tools/call result becomes for the caller: structured content when the server
// sent it, else the text, else the content blocks as they came; an error result is thrown.

import { McpToolResultError, type McpCallResult } from '../errors.js';

/** Maps a result: `structuredContent`, else the text blocks joined by newlines, else the blocks. */
export function fromCallResult(result: McpCallResult): unknown {
  if (result.isError === true) throw new McpToolResultError(result);
  if (result.structuredContent !== undefined) return result.structuredContent;
  if (!('content' in result) && 'toolResult' in result) return result.toolResult;
  const content = result.content ?? [];
  return content.every((block) => block.type === 'text') ? textOf(content) : content;
}

/** The text blocks of a result's content, joined by newlines. */
export function textOf(content: readonly { readonly type: string; readonly text?: string }[]): string {
  return content
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('\n');
}
