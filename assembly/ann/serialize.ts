// The graph as bytes, little-endian: a 64-byte header (magic, format version, dim, M,
// efConstruction, counts, entry point, top level, tombstones, the level generator's state), then
// the vectors, the levels, the level-0 link lists, the tombstone bytes (padded to 4) and the
// upper-level blocks of the nodes that have them, in node order. Reading validates every count
// and link, so corrupt bytes are refused (the host rebuilds) instead of walked.

import { Graph, MAX_LEVEL, createGraph, freeGraph, reserve, links, levelOf } from './graph';

const MAGIC: u32 = 0x574e4857; // "WHNW"
const VERSION: u32 = 1;
const HEADER: usize = 64;

@inline
function pad4(n: usize): usize {
  return (n + 3) & ~3;
}

function upperBytes(g: Graph): usize {
  let total: usize = 0;
  for (let i = 0; i < g.linked; i++) total += (<usize>levelOf(g, i)) * g.upperStride;
  return total;
}

/** Bytes {@link serializeGraph} writes. */
export function serializedSize(g: Graph): usize {
  const n = <usize>g.count;
  return HEADER + n * g.stride + (n << 2) + n * g.link0Stride + pad4(n) + upperBytes(g);
}

/** Writes the graph at `out` (serializedSize bytes). */
export function serializeGraph(g: Graph, out: usize): void {
  const n = <usize>g.count;
  memory.fill(out, 0, HEADER);
  store<u32>(out, MAGIC);
  store<u32>(out, VERSION, 4);
  store<i32>(out, g.dim, 8);
  store<i32>(out, g.m, 12);
  store<i32>(out, g.efConstruction, 16);
  store<i32>(out, g.count, 20);
  store<i32>(out, g.linked, 24);
  store<i32>(out, g.entry, 28);
  store<i32>(out, g.maxLevel, 32);
  store<i32>(out, g.deletedCount, 36);
  store<u64>(out, g.rng, 48);
  let at = out + HEADER;
  memory.copy(at, g.vectors, n * g.stride);
  at += n * g.stride;
  memory.copy(at, g.levels, n << 2);
  at += n << 2;
  memory.copy(at, g.link0, n * g.link0Stride);
  at += n * g.link0Stride;
  memory.fill(at, 0, pad4(n));
  memory.copy(at, g.deleted, n);
  at += pad4(n);
  for (let i = 0; i < g.linked; i++) {
    const bytes = (<usize>levelOf(g, i)) * g.upperStride;
    if (bytes == 0) continue;
    memory.copy(at, load<usize>(g.upper + ((<usize>i) << 2)), bytes);
    at += bytes;
  }
}

function listValid(g: Graph, list: usize, maxM: i32): bool {
  const n = load<u32>(list);
  if (n > <u32>maxM) return false;
  for (let j: u32 = 0; j < n; j++) if (load<u32>(list + 4 + ((<usize>j) << 2)) >= <u32>g.linked) return false;
  return true;
}

/** Reads a graph written by {@link serializeGraph}; returns 0 when the bytes are not one. */
export function deserializeGraph(src: usize, len: usize): usize {
  if (len < HEADER || load<u32>(src) != MAGIC || load<u32>(src, 4) != VERSION) return 0;
  const dim = load<i32>(src, 8);
  const m = load<i32>(src, 12);
  const efc = load<i32>(src, 16);
  const count = load<i32>(src, 20);
  const linked = load<i32>(src, 24);
  const entry = load<i32>(src, 28);
  const maxLevel = load<i32>(src, 32);
  const deletedCount = load<i32>(src, 36);
  if (dim < 1 || dim > 65536 || m < 2 || m > 1024 || efc < 1 || efc > 1 << 20) return 0;
  if (count < 0 || linked < 0 || linked > count || maxLevel < 0 || maxLevel > MAX_LEVEL) return 0;
  if (linked == 0 ? entry != -1 : entry < 0 || entry >= linked) return 0;
  const g = createGraph(dim, m, efc, 0);
  g.rng = load<u64>(src, 48);
  const n = <usize>count;
  const fixed = HEADER + n * g.stride + (n << 2) + n * g.link0Stride + pad4(n);
  // Every row must fit before anything is allocated for it (a huge count in a short file).
  if (len < fixed) {
    freeGraph(g);
    return 0;
  }
  reserve(g, max(count, 16));
  g.count = count;
  g.linked = linked;
  let at = src + HEADER;
  memory.copy(g.vectors, at, n * g.stride);
  at += n * g.stride;
  memory.copy(g.levels, at, n << 2);
  at += n << 2;
  memory.copy(g.link0, at, n * g.link0Stride);
  at += n * g.link0Stride;
  memory.copy(g.deleted, at, n);
  at += pad4(n);
  const end = src + len;
  let ok = true;
  let deleted = 0;
  for (let i = 0; i < count && ok; i++) {
    const level = levelOf(g, i);
    if (load<u8>(g.deleted + <usize>i) > 1) ok = false;
    deleted += load<u8>(g.deleted + <usize>i);
    if (level < 0 || level > maxLevel || (i >= linked && level != 0)) ok = false;
    else if (i < linked && !listValid(g, links(g, i, 0), g.m0)) ok = false;
    else if (i >= linked && load<u32>(links(g, i, 0)) != 0) ok = false;
    if (!ok || level == 0) continue;
    const bytes = (<usize>level) * g.upperStride;
    if (at + bytes > end) {
      ok = false;
      continue;
    }
    const block = heap.alloc(bytes);
    memory.copy(block, at, bytes);
    store<usize>(g.upper + ((<usize>i) << 2), block);
    at += bytes;
    for (let l = 1; l <= level && ok; l++) ok = listValid(g, links(g, i, l), m);
  }
  // Links at level l must point to nodes that reach level l.
  for (let i = 0; i < linked && ok; i++) {
    const level = levelOf(g, i);
    for (let l = 1; l <= level && ok; l++) {
      const list = links(g, i, l);
      const k = load<u32>(list);
      for (let j: u32 = 0; j < k && ok; j++) ok = levelOf(g, <i32>load<u32>(list + 4 + ((<usize>j) << 2))) >= l;
    }
  }
  if (!ok || at != end || deleted != deletedCount || (linked > 0 && levelOf(g, entry) != maxLevel)) {
    freeGraph(g);
    return 0;
  }
  g.entry = entry;
  g.maxLevel = maxLevel;
  g.deletedCount = deletedCount;
  return changetype<usize>(g);
}
