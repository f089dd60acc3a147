// The MessagePack timestamp extension (type -1): 32-bit (seconds), 64-bit (30-bit nanoseconds
// + 34-bit seconds) and 96-bit (32-bit nanoseconds + signed 64-bit seconds) forms.
import { DecodeInvalidError } from '../errors.js';

const MAX_DATE_MS = 8.64e15;

/** Payload bytes of the smallest timestamp form for `ms` milliseconds since the epoch. */
export function timestampPayload(ms: number): Uint8Array {
  const sec = Math.floor(ms / 1000);
  const nsec = Math.round((ms - sec * 1000) * 1e6);
  if (sec >= 0 && sec < 2 ** 34) {
    if (nsec === 0 && sec < 2 ** 32) {
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, sec);
      return out;
    }
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint32(0, nsec * 4 + Math.floor(sec / 2 ** 32));
    view.setUint32(4, sec >>> 0);
    return out;
  }
  const out = new Uint8Array(12);
  const view = new DataView(out.buffer);
  view.setUint32(0, nsec);
  view.setBigInt64(4, BigInt(sec));
  return out;
}

/**
 * A Date from a timestamp payload. Dates hold milliseconds, so nanoseconds are truncated to them.
 * @throws DecodeInvalidError for a payload of another size, nanoseconds ≥ 1e9, or an instant
 *   outside the Date range.
 */
export function timestampToDate(data: Uint8Array, offset: number): Date {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let sec: number;
  let nsec: number;
  if (data.length === 4) {
    sec = view.getUint32(0);
    nsec = 0;
  } else if (data.length === 8) {
    const hi = view.getUint32(0);
    nsec = hi >>> 2;
    sec = (hi & 3) * 2 ** 32 + view.getUint32(4);
  } else if (data.length === 12) {
    nsec = view.getUint32(0);
    const big = view.getBigInt64(4);
    if (big > 9_000_000_000_000n || big < -9_000_000_000_000n) throw new DecodeInvalidError(offset, 'timestamp outside the Date range');
    sec = Number(big);
  } else {
    throw new DecodeInvalidError(offset, `timestamp payload of ${data.length} bytes (expected 4, 8 or 12)`);
  }
  if (nsec >= 1e9) throw new DecodeInvalidError(offset, `timestamp nanoseconds ${nsec} >= 1e9`);
  const ms = sec * 1000 + Math.floor(nsec / 1e6);
  if (Math.abs(ms) > MAX_DATE_MS) throw new DecodeInvalidError(offset, 'timestamp outside the Date range');
  return new Date(ms);
}
