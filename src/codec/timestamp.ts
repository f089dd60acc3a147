// The MessagePack timestamp extension (type -1): 32-bit (seconds), 64-bit (30-bit nanoseconds
// and 34-bit seconds) and 96-bit (32-bit nanoseconds and signed 64-bit seconds) forms.
// Arithmetic stays in doubles: every Date fits them exactly, and BigInt would allocate.

const TWO_32 = 4294967296;
const TWO_34 = 17179869184;
// Date's range: ±8.64e15 ms (±100,000,000 days) around the epoch.
const MAX_DATE_MS = 8.64e15;

/** Bytes {@link writeTimestamp} may write, header included. */
export const MAX_TIMESTAMP_BYTES = 15;

/**
 * Writes the whole ext (header, type -1, payload) for `ms` milliseconds since the epoch (an
 * integer, as `Date.getTime()` returns), in the smallest form that holds it: 32-bit for whole
 * seconds in [0, 2^32), 64-bit for [0, 2^34) seconds, else 96-bit. Returns the position after it.
 */
export function writeTimestamp(bytes: Uint8Array, view: DataView, pos: number, ms: number): number {
  const sec = Math.floor(ms / 1000);
  const nsec = (ms - sec * 1000) * 1e6;
  if (sec >= 0 && sec < TWO_34) {
    if (nsec === 0 && sec < TWO_32) {
      bytes[pos] = 0xd6;
      bytes[pos + 1] = 0xff;
      view.setUint32(pos + 2, sec);
      return pos + 6;
    }
    bytes[pos] = 0xd7;
    bytes[pos + 1] = 0xff;
    const hi = Math.floor(sec / TWO_32);
    view.setUint32(pos + 2, nsec * 4 + hi);
    view.setUint32(pos + 6, sec - hi * TWO_32);
    return pos + 10;
  }
  bytes[pos] = 0xc7;
  bytes[pos + 1] = 12;
  bytes[pos + 2] = 0xff;
  view.setUint32(pos + 3, nsec);
  const hi = Math.floor(sec / TWO_32);
  view.setInt32(pos + 7, hi);
  view.setUint32(pos + 11, sec - hi * TWO_32);
  return pos + 15;
}

/** Why a timestamp payload is invalid, or `undefined` when it is valid. */
export function timestampProblem(view: DataView, start: number, n: number): string | undefined {
  if (n !== 4 && n !== 8 && n !== 12) return `timestamp payload of ${n} bytes (expected 4, 8 or 12)`;
  const nsec = n === 4 ? 0 : n === 8 ? view.getUint32(start) >>> 2 : view.getUint32(start);
  return nsec >= 1e9 ? `timestamp nanoseconds ${nsec} > 999999999` : undefined;
}

/**
 * The Date of a valid timestamp payload (see {@link timestampProblem}), or `undefined` when the
 * instant lies outside Date's range (±8.64e15 ms). Dates hold milliseconds: nanoseconds are
 * truncated to them (towards the past, so the Date never lies after the instant).
 */
export function readTimestamp(view: DataView, start: number, n: number): Date | undefined {
  let sec: number;
  let nsec: number;
  if (n === 4) {
    sec = view.getUint32(start);
    nsec = 0;
  } else if (n === 8) {
    const word = view.getUint32(start);
    nsec = word >>> 2;
    sec = (word & 3) * TWO_32 + view.getUint32(start + 4);
  } else {
    nsec = view.getUint32(start);
    const hi = view.getInt32(start + 4);
    // Beyond ±2^11 · 2^32 s (~2^43) the instant is far outside Date's range (~2^38 s).
    if (hi < -2048 || hi >= 2048) return undefined;
    sec = hi * TWO_32 + view.getUint32(start + 8);
  }
  const ms = sec * 1000 + Math.floor(nsec / 1e6);
  return ms > MAX_DATE_MS || ms < -MAX_DATE_MS ? undefined : new Date(ms);
}
