// Runs a Standard Schema validator and reports its issues as paths and messages.

import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ToolIssue } from '../errors.js';

/** The outcome of {@link checkSchema}. */
export type SchemaCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ToolIssue[] };

/** Validates `value` against `schema` (synchronous validators are answered without a promise). */
export function checkSchema<T>(schema: StandardSchemaV1<unknown, T>, value: unknown): SchemaCheck<T> | Promise<SchemaCheck<T>> {
  const result = schema['~standard'].validate(value);
  return result instanceof Promise ? result.then(toCheck) : toCheck(result);
}

function toCheck<T>(result: StandardSchemaV1.Result<T>): SchemaCheck<T> {
  if (result.issues === undefined) return { ok: true, value: result.value };
  return { ok: false, issues: result.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })) };
}

/** `$.a[2].b` from a Standard Schema path. */
export function formatPath(path: StandardSchemaV1.Issue['path']): string {
  let out = '$';
  for (const segment of path ?? []) {
    const key = typeof segment === 'object' ? segment.key : segment;
    out += typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `.${String(key)}` : `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** One line listing every issue: `$.q: expected string; $.n: too small`. */
export function formatIssues(issues: readonly ToolIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/**
 * JSON Schema of a Standard Schema that can export one (`~standard.jsonSchema`, as zod 4 and
 * the schemas `mcpTools` builds do), else a schema that accepts anything.
 */
export function jsonSchemaOf(schema: StandardSchemaV1, io: 'input' | 'output'): Record<string, unknown> {
  const converter = (schema['~standard'] as { jsonSchema?: { input(o: object): Record<string, unknown>; output(o: object): Record<string, unknown> } }).jsonSchema;
  if (converter === undefined) return {};
  return converter[io]({ target: 'draft-2020-12' });
}
