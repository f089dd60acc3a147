// A workflow's definition as data, hashed: what a durable run records when it begins, so that a
// resume can tell whether the tasks it finds are the ones that were recorded. Pure TS (no
// node:crypto): the engine also loads in browsers. The hash is not cryptographic; it tells a
// changed definition from an unchanged one, it does not defend against forgery.

import type { DefinitionChanges } from '../errors.js';
import type { CompiledWorkflow } from './compiled.js';
import type { TaskSpec } from './types.js';

/** A definition's digest: one per task, and one for the whole. */
export interface DefinitionDigest {
  readonly hash: string;
  readonly tasks: Readonly<Record<string, string>>;
}

const cache = new WeakMap<CompiledWorkflow, DefinitionDigest>();

/** The digest of a compiled workflow (computed once per compiled definition). */
export function definitionDigest(wf: CompiledWorkflow): DefinitionDigest {
  let digest = cache.get(wf);
  if (digest !== undefined) return digest;
  const tasks: Record<string, string> = Object.create(null) as Record<string, string>;
  let whole = `${wf.options.name}\n`;
  for (const spec of wf.specs) {
    const d = taskDigest(spec);
    tasks[spec.id] = d;
    whole += `${spec.id}=${d}\n`;
  }
  digest = Object.freeze({ hash: hash(whole), tasks: Object.freeze(tasks) });
  cache.set(wf, digest);
  return digest;
}

/**
 * The digest of one task's definition: what it is (id, dependencies, agent and data input, worker
 * module and export), how it runs (retry, timeouts, stall limit, group, rate limiter, critical).
 * A closure's code is not part of it (a function cannot be compared across processes).
 */
export function taskDigest(spec: TaskSpec | Omit<TaskSpec, 'run'>): string {
  const s = spec as TaskSpec & { stallTimeoutMs?: number; onStall?: string };
  const worker = s.worker === undefined ? undefined : { module: String(s.worker.module), export: s.worker.export };
  return hash(
    canonical([s.id, s.dependsOn ?? [], s.agent, s.input, worker, s.retry, s.timeoutMs, s.stallTimeoutMs, s.onStall, s.group, s.rateLimit, s.critical ?? false, s.priority, s.estimateMs]),
  );
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
  if (value === undefined || typeof value === 'function') return 'null';
  if (typeof value === 'bigint') return `"${value}n"`;
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

/** 64 bits of FNV-1a (two 32-bit lanes with different offsets), as 16 hex digits. */
export function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
