// Codec argument checks shared by both backends, so both throw the same errors for the same
// input: TypeError/RangeError (validate.ts's message shape) for programmer errors, typed
// WeftErrors for buffers that are too small and input bytes that are invalid.
import { BufferTooSmallError, DecodeInvalidError } from '../errors.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';

/** Checks that `value` is a string. */
export function checkString(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(expectedMessage(name, 'a string', value));
}

/** Checks that `value` is a boolean. */
export function checkBoolean(name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') throw new TypeError(expectedMessage(name, 'a boolean', value));
}

/** Checks that `value` is a Uint8Array. */
export function checkBytes(name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(expectedMessage(name, 'a Uint8Array', value));
}

/** Checks an offset into `bytes` (0 ≤ offset ≤ length). */
export function checkOffset(name: string, offset: number, bytes: Uint8Array): number {
  return checkInteger(name, offset, 0, bytes.length);
}

/** Checks a `[start, end)` range of `bytes`. */
export function checkRange(bytes: Uint8Array, start: number, end: number, startName = 'start'): void {
  checkBytes('bytes', bytes);
  checkOffset(startName, start, bytes);
  checkInteger('end', end, start, bytes.length);
}

/** Checks that `out` has `needed` bytes of room after `offset`. */
export function checkRoom(out: Uint8Array, offset: number, needed: number): void {
  if (out.length - offset < needed) throw new BufferTooSmallError('out', offset + needed, out.length);
}

/** Checks that `bytes` holds `needed` bytes of input after `offset` (else the input is truncated). */
export function checkInput(bytes: Uint8Array, offset: number, needed: number, what: string): void {
  const has = bytes.length - offset;
  if (has < needed) throw new DecodeInvalidError(offset, `needs ${needed} bytes of ${what}, has ${has}`);
}

/** Checks a float32 array argument. */
export function checkFloats(name: string, value: unknown): asserts value is Float32Array {
  if (!(value instanceof Float32Array)) throw new TypeError(expectedMessage(name, 'a Float32Array', value));
}

/** Checks a u32 array argument. */
export function checkU32(name: string, value: unknown): asserts value is Uint32Array {
  if (!(value instanceof Uint32Array)) throw new TypeError(expectedMessage(name, 'a Uint32Array', value));
}

/** Checks an xxh32 seed. */
export function checkSeed32(seed: number): number {
  return checkInteger('seed', seed, 0, 0xffffffff);
}

/** Checks an xxh64 seed: a TypeError for a non-bigint, a RangeError outside [0, 2^64). */
export function checkSeed64(seed: bigint): bigint {
  if (typeof seed !== 'bigint') throw new TypeError(expectedMessage('seed', 'a bigint in [0, 2^64)', seed));
  if (seed < 0n || seed > 0xffffffffffffffffn) throw new RangeError(expectedMessage('seed', 'a bigint in [0, 2^64)', seed));
  return seed;
}

/** Bytes `v` takes as an unsigned LEB128 varint. */
export function varintLength(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Total bytes `values` take as LEB128 varints (for the exact size in a too-small error). */
export function varintSize(values: Uint32Array): number {
  let total = 0;
  for (let k = 0; k < values.length; k++) total += varintLength(values[k]);
  return total;
}

/** The error for an output too small for `values` as varints. */
export function varintRoomError(values: Uint32Array, out: Uint8Array, offset: number): BufferTooSmallError {
  return new BufferTooSmallError('out', offset + varintSize(values), out.length);
}

/**
 * Walks LEB128 varints to explain why decoding failed, as a DecodeInvalidError at the failing
 * varint's first byte. Both backends call it only after their decoder reported a failure.
 */
export function varintError(bytes: Uint8Array, offset: number, end: number, count: number): DecodeInvalidError {
  let i = offset;
  for (let k = 0; k < count; k++) {
    const start = i;
    for (let shift = 0; ; shift += 7) {
      if (i >= end) return new DecodeInvalidError(start, `truncated varint (value ${k} of ${count})`);
      const b = bytes[i++];
      if (shift === 28 && b > 0x0f) return new DecodeInvalidError(start, `varint ${k} does not fit in 32 bits`);
      if (b < 0x80 || shift === 28) break;
    }
  }
  return new DecodeInvalidError(offset, 'invalid varints');
}
