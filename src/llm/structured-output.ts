// Structured output: the model is told the JSON Schema of the answer (and asked for JSON through
// `response_format` where the provider takes it), and its final text is parsed and validated with
// the agent's Standard Schema; the loop shows the issues to the model once before failing.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ToolIssue } from '../errors.js';
import { checkSchema } from '../tools/schema-check.js';

/** How the loop asks for, and checks, a structured answer. */
export interface StructuredOutput {
  readonly schema: StandardSchemaV1;
  /** Appended to the system message: the schema the answer must follow. */
  readonly instructions: string;
  /** Request fields (`response_format`). */
  readonly body: Readonly<Record<string, unknown>> | undefined;
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

// Models often wrap JSON in a Markdown fence even when told not to.
const FENCE = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?```\s*$/;

/** Parses and validates a final answer. */
export async function parseStructured(output: StructuredOutput, text: string): Promise<{ ok: true; value: unknown } | { ok: false; issues: readonly ToolIssue[] }> {
  let value: unknown;
  try {
    value = JSON.parse(FENCE.exec(text)?.[1] ?? text);
  } catch (error) {
    return { ok: false, issues: [{ path: '$', message: `not valid JSON (${(error as Error).message})` }] };
  }
  // The parsed JSON, not the validator's value: the engine validates the agent's output with the
  // same schema, and a schema with transforms must not see its own output as input.
  const checked = await checkSchema(output.schema, value);
  return checked.ok ? { ok: true, value } : checked;
}
