// Data references in an agent task's input: `{ $ref: 'taskId' }` stands for a dependency's
// output, `{ $ref: 'taskId', path: 'a.b.0' }` for a part of it. The input stays plain data (a
// durable run stores it, a remote worker receives it); the references are found once, when the
// task is defined, and replaced per attempt, copying only the objects on the way to one.

import { SchemaInvalidError, type SchemaIssue } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';
import type { TaskInput } from '../workflow/types.js';

/** A reference found in an input: the dependency and the path within its output. */
interface Ref {
  readonly taskId: string;
  readonly path: readonly string[];
}

/** The references of one input, and how to replace them. */
export interface InputRefs {
  /** Ids of the tasks referenced (each once, in order of appearance). */
  readonly taskIds: readonly string[];
  /** The input with every reference replaced by what it points to in `deps`. */
  resolve(deps: TaskInput, agent: string): unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function asRef(value: Record<string, unknown>, at: string): Ref | undefined {
  if (!Object.hasOwn(value, '$ref')) return undefined;
  const { $ref, path, ...rest } = value;
  if (typeof $ref !== 'string' || $ref.length === 0) throw new TypeError(expectedMessage(`input${at}.$ref`, 'a task id', $ref));
  if (path !== undefined && typeof path !== 'string') throw new TypeError(expectedMessage(`input${at}.path`, 'a dotted path string (`a.b.0`)', path));
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new TypeError(`Expected \`input${at}\` (a \`$ref\`) to have only \`$ref\` and \`path\`, got \`${extra.join('`, `')}\``);
  return { taskId: $ref, path: path === undefined || path === '' ? [] : path.split('.') };
}

function key(k: string | number): string {
  return typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

/** Whether `value` holds a reference anywhere (and every reference is well formed). */
function scan(value: unknown, at: string, found: Set<string>): boolean {
  if (Array.isArray(value)) {
    let any = false;
    value.forEach((v, k) => (any = scan(v, at + key(k), found) || any));
    return any;
  }
  if (!isPlainObject(value)) return false;
  const ref = asRef(value, at);
  if (ref) {
    found.add(ref.taskId);
    return true;
  }
  let any = false;
  for (const k of Object.keys(value)) any = scan(value[k], at + key(k), found) || any;
  return any;
}

function lookup(output: unknown, path: readonly string[]): unknown {
  let v = output;
  for (const segment of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, segment)) return undefined;
    v = (v as Record<string, unknown>)[segment];
  }
  return v;
}

/** `value` with its references replaced: the same object where there is none inside. */
function substitute(value: unknown, deps: TaskInput, at: string, issues: SchemaIssue[]): unknown {
  if (Array.isArray(value)) {
    const out = value.map((v, k) => substitute(v, deps, at + key(k), issues));
    return out.some((v, k) => v !== value[k]) ? out : value;
  }
  if (!isPlainObject(value)) return value;
  const ref = asRef(value, at);
  if (ref) {
    const found = Object.hasOwn(deps, ref.taskId) ? lookup(deps[ref.taskId], ref.path) : undefined;
    if (found === undefined) {
      const where = ref.path.length > 0 ? `\`${ref.path.join('.')}\` of the output of \`${ref.taskId}\`` : `the output of \`${ref.taskId}\``;
      issues.push({ path: at, message: `\`$ref\`: ${where} is undefined` });
    }
    return found;
  }
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const k of Object.keys(value)) {
    out[k] = substitute(value[k], deps, at + key(k), issues);
    changed ||= out[k] !== value[k];
  }
  return changed ? out : value;
}

/**
 * Finds the references in `input` (throwing a `TypeError` for a malformed one), or returns
 * `undefined` when it has none: the input is then passed as it is, with no copy per attempt.
 */
export function findRefs(input: unknown): InputRefs | undefined {
  const found = new Set<string>();
  if (!scan(input, '', found)) return undefined;
  return {
    taskIds: [...found],
    resolve(deps, agent) {
      const issues: SchemaIssue[] = [];
      const value = substitute(input, deps, '$', issues);
      if (issues.length > 0) throw new SchemaInvalidError({ agent, side: 'input' }, issues);
      return value;
    },
  };
}
