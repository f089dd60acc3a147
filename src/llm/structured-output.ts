// Structured output: the model is told the JSON Schema of the answer (and asked for JSON through
// `response_format` where the provider takes it), and its final text is parsed and validated with
// the agent's Standard Schema; the loop shows the issues to the model once before failing.
import type { StandardSchemaV1 } from '@standard-schema/spec';

/** How the loop asks for, and checks, a structured answer. */
export interface StructuredOutput {
  readonly schema: StandardSchemaV1;
  /** Appended to the system message: the schema the answer must follow. */
  readonly instructions: string;
  /** Request fields (`response_format`). */
  readonly body: Readonly<Record<string, unknown>> | undefined;
}

/** One bad field: its path (`$.items[0].title`) and the validator's message. */
export interface OutputIssue {
  readonly path: string;
  readonly message: string;
}

/** Builds the request side of a structured answer from its schema and JSON Schema. */
export function structuredOutput(schema: StandardSchemaV1, jsonSchema: object | undefined, name: string, responseFormat: boolean): StructuredOutput {
  const shown = jsonSchema === undefined ? '' : `\n${JSON.stringify(jsonSchema)}`;
  return {
    schema,
    instructions: `Give your final answer as one JSON value, with no other text, matching this JSON Schema:${shown}`,
    body:
      responseFormat && jsonSchema !== undefined
        ? { response_format: { type: 'json_schema', json_schema: { name: name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64), schema: jsonSchema } } }
        : undefined,
  };
}

/** `$`, `$.a`, `$.items[0]`, `$["odd key"]`. */
export function issuePath(path: StandardSchemaV1.Issue['path']): string {
  let out = '$';
  for (const segment of path ?? []) {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

// Models often wrap JSON in a Markdown fence even when told not to.
const FENCE = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?```\s*$/;

/** Parses and validates a final answer. */
export async function parseStructured(output: StructuredOutput, text: string): Promise<{ ok: true; value: unknown } | { ok: false; issues: OutputIssue[] }> {
  let value: unknown;
  try {
    value = JSON.parse(FENCE.exec(text)?.[1] ?? text);
  } catch (error) {
    return { ok: false, issues: [{ path: '$', message: `not valid JSON (${(error as Error).message})` }] };
  }
  const result = await output.schema['~standard'].validate(value);
  if (result.issues === undefined) return { ok: true, value: result.value };
  return { ok: false, issues: result.issues.map((i) => ({ path: issuePath(i.path), message: i.message })) };
}
