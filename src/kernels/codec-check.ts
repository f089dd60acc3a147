// Codec argument checks shared by both backends.
import { BufferTooSmallError } from '../errors.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';

/** Checks that `value` is a Uint8Array. */
export function checkBytes(name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(expectedMessage(name, 'a Uint8Array', value));
}

/** Checks an offset into `bytes` (0 ≤ offset ≤ length). */
export function checkOffset(name: string, offset: number, bytes: Uint8Array): number {
  return checkInteger(name, offset, 0, bytes.length);
}

/** Checks a `[start, end)` range of `bytes`. */
export function checkRange(bytes: Uint8Array, start: number, end: number): void {
  checkBytes('bytes', bytes);
  checkOffset('start', start, bytes);
  checkInteger('end', end, start, bytes.length);
}

/** Checks that `out` has `needed` bytes of room after `offset`. */
export function checkRoom(out: Uint8Array, offset: number, needed: number): void {
  if (out.length - offset < needed) throw new BufferTooSmallError('out', offset + needed, out.length);
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

/** Checks an xxh64 seed. */
export function checkSeed64(seed: bigint): bigint {
  if (typeof seed !== 'bigint' || seed < 0n || seed > 0xffffffffffffffffn) {
    throw new TypeError(expectedMessage('seed', 'a bigint in [0, 2^64)', seed));
  }
  return seed;
}

/** Total bytes `values` take as LEB128 varints (for the exact size in a too-small error). */
export function varintSize(values: Uint32Array): number {
  let total = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    total += v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
  }
  return total;
}

/** The error for an output too small for `values` as varints. */
export function varintRoomError(values: Uint32Array, out: Uint8Array, offset: number): BufferTooSmallError {
  return new BufferTooSmallError('out', offset + varintSize(values), out.length);
}
