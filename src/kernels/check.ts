// Argument checks shared by both backends, so they throw the same errors for the same input.
import { BufferTooSmallError, DimensionMismatchError } from '../errors.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import type { F32Input, Metric } from './types.js';

/** Length of a float32 input (a typed array or a kernel buffer). */
export function f32Length(x: F32Input, name: string): number {
  if (x instanceof Float32Array) return x.length;
  if (typeof x === 'object' && x !== null && typeof (x as { length?: unknown }).length === 'number' && 'array' in x) {
    return x.length;
  }
  throw new TypeError(expectedMessage(name, 'a Float32Array or an F32Buffer', x));
}

/** Checks that two vectors have equal length; returns it. */
export function checkPair(op: string, a: F32Input, b: F32Input): number {
  const n = f32Length(a, 'a');
  const m = f32Length(b, 'b');
  if (n !== m) throw new DimensionMismatchError(`${op}: b`, n, m);
  return n;
}

const METRICS: Record<Metric, number> = { dot: 0, cosine: 1, l2: 2 };

/** The ABI code of a metric; throws a TypeError naming the bad value. */
export function metricCode(metric: Metric): number {
  const code = METRICS[metric];
  if (code === undefined || !Object.hasOwn(METRICS, metric)) {
    throw new TypeError(expectedMessage('metric', "one of 'dot', 'cosine', 'l2'", metric));
  }
  return code;
}

/** Checks a scan's shapes; returns `[rows, dim]`. */
export function checkScan(query: F32Input, matrix: F32Input): [number, number] {
  const dim = f32Length(query, 'query');
  const len = f32Length(matrix, 'matrix');
  if (dim === 0) throw new RangeError(expectedMessage('query', 'a vector of length >= 1', query));
  if (len % dim !== 0) {
    throw new DimensionMismatchError(`scan: matrix length ${len} is not a whole number of rows; row`, dim, len % dim);
  }
  return [len / dim, dim];
}

/** Checks an output buffer's length. */
export function checkOut(name: string, out: { length: number }, needed: number): void {
  if (out.length < needed) throw new BufferTooSmallError(name, needed, out.length);
}

/** Checks top-k arguments; returns the number of entries the outputs must hold. */
export function checkTopK(k: number, n: number, outIds: Uint32Array, outScores: Float32Array): number {
  checkInteger('k', k, 0);
  if (!(outIds instanceof Uint32Array)) throw new TypeError(expectedMessage('outIds', 'a Uint32Array', outIds));
  if (!(outScores instanceof Float32Array)) {
    throw new TypeError(expectedMessage('outScores', 'a Float32Array', outScores));
  }
  const want = Math.min(k, n);
  checkOut('outIds', outIds, want);
  checkOut('outScores', outScores, want);
  return want;
}
