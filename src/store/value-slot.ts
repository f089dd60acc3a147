// Where an encoded value goes: small ones inline in their row, large ones in weft_blobs (stored
// once, by content). A value is two columns, (inline BLOB, blob id); both NULL means `undefined`.

import { decodeValue, encodeValue } from './store-codec.js';
import type { BlobStore } from './blobs.js';

/** A value as its two columns. */
export interface ValueSlot {
  inline: Uint8Array | null;
  blob: number | null;
}

/** The empty slot (`undefined`). */
export const NO_VALUE: ValueSlot = Object.freeze({ inline: null, blob: null }) as ValueSlot;

/**
 * Encodes `value` into its slot: inline up to `inlineBytes`, else a blob.
 * @throws EncodeUnsupportedError for a value the codec cannot write.
 */
export function toSlot(value: unknown, blobs: BlobStore, inlineBytes: number): ValueSlot {
  if (value === undefined) return NO_VALUE;
  const bytes = encodeValue(value);
  return bytes.length <= inlineBytes ? { inline: bytes, blob: null } : { inline: null, blob: blobs.put(bytes) };
}

/** Reads a value back from its columns. */
export function fromSlot(inline: Uint8Array | null, blob: number | null, blobs: BlobStore): unknown {
  if (inline !== null) return decodeValue(inline);
  if (blob === null) return undefined;
  const bytes = blobs.get(blob);
  return bytes === undefined ? undefined : decodeValue(bytes);
}
