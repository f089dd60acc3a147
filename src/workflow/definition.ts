// A workflow's definition as data, hashed: what a durable run records when it begins, so that a
// resume can tell whether the tasks it finds are the ones that were recorded. Pure TS (no
// node:crypto): the engine also loads in browsers. The hash is not cryptographic (32-bit FNV-1a
// per task, folded into 64 bits for the whole): it tells a changed definition from an unchanged
// one, it does not defend against forgery.

import type { DefinitionChanges } from '../errors.js';
import type { CompiledWorkflow } from './compiled.js';
import type { TaskSpec } from './types.js';

/** A definition's digest: one per task, and one for the whole. */
export interface DefinitionDigest {
  readonly hash: string;
  readonly tasks: Readonly<Record<string, string>>;
  /** The defined dependencies of the tasks that have any, by task id (the specs' own arrays). */
  readonly dependencies: Readonly<Record<string, readonly string[]>>;
}

const cache = new WeakMap<CompiledWorkflow, DefinitionDigest>();

/** The digest of a compiled workflow (computed once per compiled definition). */
export function definitionDigest(wf: CompiledWorkflow): DefinitionDigest {
  let digest = cache.get(wf);
  if (digest !== undefined) return digest;
  const tasks: Record<string, string> = Object.create(null) as Record<string, string>;
  const dependencies: Record<string, readonly string[]> = Object.create(null) as Record<string, readonly string[]>;
  // The whole is a fold of the tasks' digests (in definition order), not a second pass over their text.
  let a = fnv(wf.options.name);
  let b = Math.imul(a ^ 0x5bd1e995, 0x01000193);
  for (const spec of wf.specs) {
    const d = taskHash(spec);
    tasks[spec.id] = hex(d);
    if (spec.dependsOn !== undefined && spec.dependsOn.length > 0) dependencies[spec.id] = spec.dependsOn;
    a = Math.imul(a ^ d, 0x01000193);
    b = Math.imul(b ^ d, 0x5bd1e995) ^ (a >>> 13);
  }
  digest = Object.freeze({ hash: hex(a) + hex(b), tasks: Object.freeze(tasks), dependencies: Object.freeze(dependencies) });
  cache.set(wf, digest);
  return digest;
}

/**
 * The digest of one task's definition: what it is (id, dependencies, agent and data input, worker
 * module and export), how it runs (retry, timeouts, stall limit, group, rate limiter, critical,
 * priority). A closure's code is not part of it (a function cannot be compared across processes).
 */
export function taskDigest(spec: TaskSpec | Omit<TaskSpec, 'run'>): string {
  return hex(taskHash(spec));
}

function taskHash(spec: TaskSpec | Omit<TaskSpec, 'run'>): number {
  const s = spec as TaskSpec;
  // Built field by field: most fields are unset, and a 100K-task definition is digested on the
  // way to resuming it.
  let text = JSON.stringify(s.id) + (s.dependsOn === undefined || s.dependsOn.length === 0 ? '' : JSON.stringify(s.dependsOn));
  if (s.agent !== undefined) text += `|a${JSON.stringify(s.agent)}`;
  if (s.input !== undefined) text += `|i${canonical(s.input)}`;
  if (s.worker !== undefined) text += `|w${JSON.stringify(String(s.worker.module))}${JSON.stringify(s.worker.export ?? null)}`;
  if (s.retry !== undefined) text += `|r${canonical(s.retry)}`;
  if (s.timeoutMs !== undefined) text += `|t${s.timeoutMs}`;
  if (s.stallTimeoutMs !== undefined) text += `|s${s.stallTimeoutMs}`;
  if (s.onStall !== undefined) text += `|o${s.onStall}`;
  if (s.group !== undefined) text += `|g${JSON.stringify(s.group)}`;
  if (s.rateLimit !== undefined) text += `|l${JSON.stringify(s.rateLimit)}`;
  if (s.critical === true) text += '|c';
  if (s.priority !== undefined) text += `|p${s.priority}`;
  if (s.estimateMs !== undefined) text += `|e${s.estimateMs}`;
  return fnv(text);
}

/** The tasks added, removed and changed between a recorded definition and the current one. */
export function definitionChanges(recorded: Readonly<Record<string, string>>, current: Readonly<Record<string, string>>): DefinitionChanges {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const id of Object.keys(current)) {
    if (!Object.hasOwn(recorded, id)) added.push(id);
    else if (recorded[id] !== current[id]) changed.push(id);
  }
  for (const id of Object.keys(recorded)) if (!Object.hasOwn(current, id)) removed.push(id);
  return { added, removed, changed };
}

/** JSON with sorted keys (so equal data gives equal text whatever the key order); functions and undefined drop out. */
export function canonical(value: unknown): string {
  if (typeof value === 'bigint') return `"${value}n"`;
  // undefined and functions too: JSON.stringify gives them undefined.
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (value instanceof URL) return JSON.stringify(value.href);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (ArrayBuffer.isView(value)) return JSON.stringify(Array.from(value as unknown as ArrayLike<number>));
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined || typeof v === 'function') continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonical(v)}`;
  }
  return `${out}}`;
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv(text: string): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h;
}

function hex(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}
