// A tool executor as the agent loop sees it: the tools' definitions in the chat-completions
// form, computed once per agent, and one session per task attempt (so the call budget and loop
// detection count that attempt's calls).
import { isWeftError, type WeftErrorCode } from '../errors.js';
import type { ToolExecutor, ToolSessionOptions } from '../tools/types.js';
import type { LoopTools } from './agent-loop.js';
import type { ChatToolDefinition } from './messages.js';

// Limits that exist to stop a run end it; anything else (bad arguments, an unknown tool, a tool
// that failed or timed out) goes back to the model, which can correct itself.
const FATAL: ReadonlySet<WeftErrorCode> = new Set(['TOOL_BUDGET_EXCEEDED', 'TOOL_LOOP', 'TOOL_DEPTH_EXCEEDED', 'MCP_FAILED']);

/** Whether a tool's failure should end the agent's run rather than be shown to the model. */
export function isFatalToolError(error: unknown): boolean {
  return isWeftError(error) && FATAL.has(error.code);
}

/** The executor's tools for the loop: definitions once, a session per attempt. */
export function loopToolsOf(executor: ToolExecutor): { readonly definitions: readonly ChatToolDefinition[]; open(options: ToolSessionOptions): LoopTools } {
  const definitions: ChatToolDefinition[] = executor.list().map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.inputSchema },
  }));
  return {
    definitions,
    open(options) {
      const session = executor.session(options);
      return { definitions, call: (name, args) => session.call(name, args), isFatal: isFatalToolError };
    },
  };
}
