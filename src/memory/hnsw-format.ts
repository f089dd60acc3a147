// hnswlib's index file, as its wasm32 build writes it (size_t is 4 bytes): a header, then
// `count` fixed-size level-0 records, then per element a u32 byte length and its upper-level
// links. The layout is checked before the bytes are handed to hnswlib, because hnswlib trusts
// them: a file of another dimension makes it trap, and a trap aborts the whole emscripten module.

const HEADER_BYTES = 56;

/** Why `bytes` is not an hnswlib index of dimension `dim`, or undefined when it is. */
export function hnswBytesProblem(bytes: Uint8Array, dim: number): string | undefined {
  if (bytes.byteLength < HEADER_BYTES) return `${bytes.byteLength} bytes is shorter than the header`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => view.getUint32(at, true);
  const maxElements = u32(4);
  const count = u32(8);
  const perElement = u32(12);
  const labelOffset = u32(16);
  const dataOffset = u32(20);
  const maxM0 = u32(36);
  if (count > maxElements) return `element count ${count} exceeds capacity ${maxElements}`;
  if (labelOffset - dataOffset !== dim * 4) return `vectors of ${(labelOffset - dataOffset) / 4} floats, expected ${dim}`;
  if (perElement !== labelOffset + 4 || dataOffset !== 4 + 4 * maxM0) return 'inconsistent record layout';
  let at = HEADER_BYTES + count * perElement;
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.byteLength) return `truncated at element ${i}`;
    at += 4 + u32(at);
  }
  return at === bytes.byteLength ? undefined : `${bytes.byteLength - at} bytes after the last element`;
}
