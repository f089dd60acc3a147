// A JSON Schema (as MCP servers describe their tools) as a Standard Schema, validated by the
// ajv validator the MCP SDK ships, so MCP tools go through the executor like any other.

import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { ToolIssue } from '../errors.js';

/** A Standard Schema that also exports the JSON Schema it was made from. */
export type JsonSchemaStandard = StandardSchemaV1<unknown, unknown> & StandardJSONSchemaV1<unknown, unknown>;

let validator: AjvJsonSchemaValidator | undefined;

/**
 * Wraps `schema` (JSON Schema, draft 2020-12 or earlier) as a Standard Schema: validation by ajv
 * (all errors, formats checked), issues with the path of each bad field. Throws when ajv cannot
 * compile the schema.
 */
export function fromJsonSchema(schema: Record<string, unknown>): JsonSchemaStandard {
  validator ??= new AjvJsonSchemaValidator();
  const check = validator.getValidator<unknown>(schema as never);
  const exported = () => schema;
  return {
    '~standard': {
      version: 1,
      vendor: 'weft-json-schema',
      validate(value: unknown) {
        const result = check(value);
        return result.valid ? { value: result.data } : { issues: parseAjvErrors(result.errorMessage).map((i) => ({ message: i.message, path: i.segments })) };
      },
      jsonSchema: { input: exported, output: exported },
    },
  };
}

/**
 * The SDK reports ajv's errors as one text (`errorsText`: `data/a must be string, data must
 * have required property 'b'`); each starts with `data` and the JSON Pointer of the field.
 * The SDK's validator is used as it is rather than an ajv of weft's own (one validator in the house).
 */
export function parseAjvErrors(text: string): (ToolIssue & { segments: (string | number)[] })[] {
  return text.split(/, (?=data[/ ])/).map((part) => {
    // ajv 8's messages start with "must" (or "property name must"); keys may hold spaces.
    const m = /^data(.*?) ((?:property name )?must\b[\s\S]*)$/.exec(part) ?? /^data(\S*) ([\s\S]*)$/.exec(part);
    if (m === null) return { path: '$', message: part, segments: [] };
    const segments = m[1] === '' ? [] : m[1].slice(1).split('/').map((s) => {
      const key = s.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key;
    });
    const path = segments.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
    return { path: `$${path}`, message: m[2], segments };
  });
}
