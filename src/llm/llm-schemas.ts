// The Standard Schemas of an LLM agent's input (`{ prompt, messages? }`) and of its text output,
// written by hand with their JSON Schemas: weft does not import zod at start-up (it costs ~55 ms),
// and these two shapes are small enough to check directly.
import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import type { ChatMessage } from './messages.js';
import type { LlmInput } from './agent-loop.js';

type Issue = StandardSchemaV1.Issue;
type Schema<T> = StandardSchemaV1<unknown, T> & StandardJSONSchemaV1<unknown, T>;

function schema<T>(json: Record<string, unknown>, check: (value: unknown, issues: Issue[]) => void): Schema<T> {
  return Object.freeze({
    '~standard': Object.freeze({
      version: 1 as const,
      vendor: 'weft',
      validate(value: unknown): StandardSchemaV1.Result<T> {
        const issues: Issue[] = [];
        check(value, issues);
        return issues.length === 0 ? { value: value as T } : { issues };
      },
      jsonSchema: Object.freeze({ input: () => ({ ...json }), output: () => ({ ...json }) }),
    }),
  });
}

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];
const MESSAGE_JSON = {
  type: 'object',
  properties: {
    role: { enum: ROLES },
    content: { type: ['string', 'null'] },
    tool_calls: { type: 'array' },
    tool_call_id: { type: 'string' },
  },
  required: ['role'],
};

function checkMessage(m: unknown, i: number, issues: Issue[]): void {
  const path = ['messages', i];
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    issues.push({ message: 'expected a chat message object', path });
    return;
  }
  const { role, content, tool_call_id: toolCallId } = m as Record<string, unknown>;
  if (typeof role !== 'string' || !ROLES.includes(role)) issues.push({ message: `expected one of ${ROLES.join(', ')}`, path: [...path, 'role'] });
  const mayBeNull = role === 'assistant';
  if (!(typeof content === 'string' || (mayBeNull && (content === null || content === undefined)))) {
    issues.push({ message: mayBeNull ? 'expected a string or null' : 'expected a string', path: [...path, 'content'] });
  }
  if (role === 'tool' && typeof toolCallId !== 'string') issues.push({ message: 'expected a string', path: [...path, 'tool_call_id'] });
}

/** `{ prompt: string, messages?: ChatMessage[] }`. */
export const LLM_INPUT_SCHEMA: Schema<LlmInput> = schema<LlmInput>(
  { type: 'object', properties: { prompt: { type: 'string' }, messages: { type: 'array', items: MESSAGE_JSON } }, required: ['prompt'] },
  (value, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ message: 'expected an object with a `prompt` string' });
      return;
    }
    const { prompt, messages } = value as { prompt?: unknown; messages?: unknown };
    if (typeof prompt !== 'string') issues.push({ message: 'expected a string', path: ['prompt'] });
    if (messages === undefined) return;
    if (!Array.isArray(messages)) issues.push({ message: 'expected an array of chat messages', path: ['messages'] });
    else (messages as ChatMessage[]).forEach((m, i) => checkMessage(m, i, issues));
  },
);

/** A string: the output of an agent without an `output` schema. */
export const LLM_TEXT_SCHEMA: Schema<string> = schema<string>({ type: 'string' }, (value, issues) => {
  if (typeof value !== 'string') issues.push({ message: 'expected a string' });
});
