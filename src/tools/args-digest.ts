// A stable identity for tool arguments: the same arguments give the same digest whatever the
// order their keys were written in, so the cache, loop detection and error reports agree.

import { getKernels } from '../kernels/index.js';

const encoder = new TextEncoder();

/**
 * Serialises `value` like `JSON.stringify` with object keys sorted, so key order does not
 * matter. Values JSON cannot show keep distinct forms (`undefined` in arrays, bigints, non-finite
 * numbers, typed arrays, `Map`s, `Date`s), and a cycle becomes `"[Circular]"` instead of throwing:
 * arguments are hashed before they are validated.
 */
export function stableSerialize(value: unknown): string {
  return write(value, []);
}

function write(value: unknown, ancestors: object[]): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : `"#${String(value)}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `"#${value}n"`;
    case 'undefined':
      return '"#undefined"';
    case 'function':
    case 'symbol':
      return `"#${typeof value}"`;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.includes(object)) return '"[Circular]"';
  if (object instanceof Date) return `"#date:${object.getTime()}"`;
  if (ArrayBuffer.isView(object)) {
    const bytes = new Uint8Array(object.buffer, object.byteOffset, object.byteLength);
    return `"#${object.constructor.name}:${Array.from(bytes).join(',')}"`;
  }
  ancestors.push(object);
  let out: string;
  if (Array.isArray(object)) {
    out = `[${object.map((item) => write(item, ancestors)).join(',')}]`;
  } else if (object instanceof Map) {
    const entries = [...object].map(([k, v]) => `[${write(k, ancestors)},${write(v, ancestors)}]`).sort();
    out = `{"#map":[${entries.join(',')}]}`;
  } else {
    const record = object as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    const parts: string[] = [];
    for (const key of keys) {
      // As in JSON: a property holding `undefined` is the same as no property.
      if (record[key] !== undefined) parts.push(`${JSON.stringify(key)}:${write(record[key], ancestors)}`);
    }
    out = `{${parts.join(',')}}`;
  }
  ancestors.pop();
  return out;
}

/** Hex (16 digits) xxh64 of a stable serialisation, computed by the codec kernels. */
export function digestOf(serialized: string): string {
  return getKernels().codec.xxh64(encoder.encode(serialized)).toString(16).padStart(16, '0');
}

/** Hex xxh64 of the arguments' stable serialisation (see {@link stableSerialize}). */
export function argsDigest(args: unknown): string {
  return digestOf(stableSerialize(args));
}
