// The tools' view of the house schema validator (agents/schema.ts): a result to branch on
// instead of an exception, since a bad argument is an expected outcome of a model's call.

import type { StandardSchemaV1 } from '@standard-schema/spec';
import { toJsonSchema, validateSchema } from '../agents/schema.js';
import { JsonSchemaUnsupportedError, SchemaInvalidError, type SchemaIssue, type SchemaSubject } from '../errors.js';

/** The outcome of {@link checkSchema}. */
export type SchemaCheck<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly SchemaIssue[]; readonly error: SchemaInvalidError };

const VALUE: SchemaSubject = { side: 'input' };

function failed(error: unknown): SchemaCheck<never> {
  if (error instanceof SchemaInvalidError) return { ok: false, issues: error.issues, error };
  throw error;
}

/**
 * Validates `value` against `schema` (synchronous validators are answered without a promise);
 * `subject` names whose schema it is in the `SchemaInvalidError` the failure carries.
 */
export function checkSchema<T>(schema: StandardSchemaV1<unknown, T>, value: unknown, subject: SchemaSubject = VALUE): SchemaCheck<T> | Promise<SchemaCheck<T>> {
  let out: T | Promise<T>;
  try {
    out = validateSchema(schema, value, subject);
  } catch (error) {
    return failed(error);
  }
  return out instanceof Promise ? out.then((v): SchemaCheck<T> => ({ ok: true, value: v }), failed) : { ok: true, value: out };
}

/** One line listing every issue: `$.q: expected string; $.n: too small`. */
export function formatIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/**
 * JSON Schema of a tool's schema (see `toJsonSchema`). A schema library without a JSON Schema
 * converter gives `{}` (accept anything: the executor still validates every call); a converter
 * that fails throws `JSON_SCHEMA_UNSUPPORTED`.
 */
export function jsonSchemaOf(schema: StandardSchemaV1, io: 'input' | 'output', subject: SchemaSubject = { side: io }): Record<string, unknown> {
  try {
    return toJsonSchema(schema, subject);
  } catch (error) {
    if (error instanceof JsonSchemaUnsupportedError && error.cause === undefined) return {};
    throw error;
  }
}
