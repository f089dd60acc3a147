// Schemas of agents and tools: any Standard Schema validator (zod 4 is the documented default),
// validated synchronously when the validator is (no promise per call), and exported as JSON
// Schema through the Standard JSON Schema extension, which zod 4 implements with the same
// converter as `z.toJSONSchema`. Nothing here imports a schema library.

import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import { JsonSchemaUnsupportedError, SchemaInvalidError, type SchemaIssue, type SchemaSubject } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';

/** A JSON Schema document (a plain object). */
export type JsonSchema = Record<string, unknown>;

/** Options of the JSON Schema export. */
export interface JsonSchemaOptions {
  /** The JSON Schema dialect to produce. @default 'draft-2020-12' */
  readonly target?: StandardJSONSchemaV1.Target;
}

/** Whether `value` is a Standard Schema (version 1) validator. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as Partial<StandardSchemaV1>)['~standard'];
  return typeof props === 'object' && props !== null && props.version === 1 && typeof props.validate === 'function';
}

/** Throws a `TypeError` naming option `name` unless `value` is a Standard Schema validator. */
export function checkStandardSchema(name: string, value: unknown): StandardSchemaV1 {
  if (!isStandardSchema(value)) throw new TypeError(expectedMessage(name, 'a Standard Schema validator (zod 4, valibot, arktype, ...)', value));
  return value;
}

/** `$`, `$.a.b`, `$.items[2]`, `$["odd key"]`: the issue's path in the codec's notation. */
function pathOf(path: StandardSchemaV1.Issue['path']): string {
  let out = '$';
  if (path === undefined) return out;
  for (const segment of path) {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function issuesOf(issues: readonly StandardSchemaV1.Issue[]): SchemaIssue[] {
  return issues.map((issue) => ({ path: pathOf(issue.path), message: String(issue.message) }));
}

function unwrap<T>(result: StandardSchemaV1.Result<T>, subject: SchemaSubject): T {
  if (result.issues) throw new SchemaInvalidError(subject, issuesOf(result.issues));
  return result.value;
}

/**
 * Validates `value` against `schema` and returns the validated (possibly transformed) value, or
 * throws a `SchemaInvalidError` (`SCHEMA_INVALID`) listing every bad field and naming `subject`.
 * Synchronous validators give a synchronous answer; async ones (refinements that await) a promise.
 */
export function validateSchema<T>(schema: StandardSchemaV1<unknown, T>, value: unknown, subject: SchemaSubject): T | Promise<T> {
  const result = schema['~standard'].validate(value);
  if (typeof (result as Partial<PromiseLike<unknown>>).then === 'function') return Promise.resolve(result).then((r) => unwrap(r, subject));
  return unwrap(result as StandardSchemaV1.Result<T>, subject);
}

/**
 * The JSON Schema of a schema, for `subject.side` (`input`: what it accepts; `output`: what it
 * yields after transforms), from the Standard JSON Schema extension (`~standard.jsonSchema`). A library
 * without it throws `JsonSchemaUnsupportedError` (`JSON_SCHEMA_UNSUPPORTED`), as does a
 * converter that throws (a zod schema with a `z.custom` field, say).
 */
export function toJsonSchema(schema: StandardSchemaV1, subject: SchemaSubject, options: JsonSchemaOptions = {}): JsonSchema {
  const side = subject.side;
  const props = schema['~standard'] as StandardSchemaV1.Props & Partial<StandardJSONSchemaV1.Props>;
  const converter = props.jsonSchema;
  if (typeof converter !== 'object' || converter === null || typeof converter[side] !== 'function') {
    throw new JsonSchemaUnsupportedError(subject, String(props.vendor));
  }
  try {
    return converter[side]({ target: options.target ?? 'draft-2020-12' });
  } catch (cause) {
    throw new JsonSchemaUnsupportedError(subject, String(props.vendor), { cause });
  }
}
