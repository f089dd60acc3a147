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

// Plain objects, arrays and primitives take the first branches (what tool arguments are);
// strings are concatenated rather than joined from arrays, which measured ~2× faster here.
function write(value: unknown, ancestors: object[]): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `"#${String(value)}"`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value === 'bigint' ? `"#${value}n"` : `"#${typeof value}"`;
  if (ancestors.includes(value)) return '"[Circular]"';
  ancestors.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + write(value[i], ancestors);
    out += ']';
  } else if (value instanceof Date) out = `"#date:${value.getTime()}"`;
  else if (ArrayBuffer.isView(value)) {
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    out = `"#${value.constructor.name}:${bytes.join(',')}"`;
  } else if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `[${write(k, ancestors)},${write(v, ancestors)}]`).sort();
    out = `{"#map":[${entries.join(',')}]}`;
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out = '{';
    for (const key of keys) {
      const item = record[key];
      // As in JSON: a property holding `undefined` is the same as no property.
      if (item === undefined) continue;
      out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + write(item, ancestors);
    }
    out += '}';
  }
  ancestors.pop();
  return out;
}

// Encoded into one reused buffer: `encode()` allocates a new one per call, which measured ~2×
// the cost of the whole digest here.
let scratch = new Uint8Array(1024);
const MAX_SCRATCH = 1 << 20;

/** Hex (16 digits) xxh64 of a stable serialisation, computed by the codec kernels. */
export function digestOf(serialized: string): string {
  const needed = serialized.length * 3; // UTF-8 bytes per UTF-16 unit, at most
  let bytes: Uint8Array;
  if (needed > MAX_SCRATCH) bytes = encoder.encode(serialized); // not kept: a one-off large argument
  else {
    if (scratch.length < needed) scratch = new Uint8Array(needed);
    bytes = scratch.subarray(0, encoder.encodeInto(serialized, scratch).written);
  }
  return getKernels().codec.xxh64(bytes).toString(16).padStart(16, '0');
}

/** Hex xxh64 of the arguments' stable serialisation (see {@link stableSerialize}). */
export function argsDigest(args: unknown): string {
  return digestOf(stableSerialize(args));
}
