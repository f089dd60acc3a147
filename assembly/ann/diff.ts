// Linking on another thread: a linker's graph (its own instance, fed the same vectors, deletes
// and appends in the same order, so its node numbers are the serving graph's) records the lists
// it writes; a diff carries them, with the new nodes' levels and the entry point, to the
// serving graph, which copies them in. Little-endian u32 words:
//   from, to, entry, maxLevel, rng (two words), list count, then the levels of nodes [from, to),
//   then per list: node, level, and the list as stored (a count, then maxM ids).
// The serving graph then equals the linker's for nodes [0, to): searches and serialisation see a
// graph that was linked here.

import { Graph, MAX_LEVEL, links, levelOf, setLevel } from './graph';

const HEAD: i32 = 7;

/** Records that the list of `node` at `level` was written. */
export function logList(g: Graph, node: i32, level: i32): void {
  if (g.logLen + 2 > g.logCap) {
    const cap = max(64, g.logCap * 2);
    const p = heap.alloc((<usize>cap) << 2);
    if (g.log != 0) {
      memory.copy(p, g.log, (<usize>g.logLen) << 2);
      heap.free(g.log);
    }
    g.log = p;
    g.logCap = cap;
  }
  store<u32>(g.log + ((<usize>g.logLen) << 2), <u32>node);
  store<u32>(g.log + ((<usize>g.logLen) << 2), <u32>level, 4);
  g.logLen += 2;
}

@inline
function listWords(g: Graph, level: i32): i32 {
  return 1 + (level == 0 ? g.m0 : g.m);
}

/** Bytes of the diff of nodes [from, g.linked) and the lists logged since the last diff. */
export function diffSize(g: Graph, from: i32): usize {
  let words = HEAD + (g.linked - from);
  for (let i = 0; i < g.logLen; i += 2) words += 2 + listWords(g, <i32>load<u32>(g.log + ((<usize>i) << 2), 4));
  return (<usize>words) << 2;
}

/** Writes that diff at `out` (diffSize bytes) and clears the log. */
export function writeDiff(g: Graph, from: i32, out: usize): void {
  store<u32>(out, <u32>from);
  store<u32>(out, <u32>g.linked, 4);
  store<i32>(out, g.entry, 8);
  store<i32>(out, g.maxLevel, 12);
  store<u64>(out, g.rng, 16);
  store<u32>(out, <u32>(g.logLen >> 1), 24);
  let at = out + ((<usize>HEAD) << 2);
  for (let x = from; x < g.linked; x++) {
    store<i32>(at, levelOf(g, x));
    at += 4;
  }
  for (let i = 0; i < g.logLen; i += 2) {
    const node = <i32>load<u32>(g.log + ((<usize>i) << 2));
    const level = <i32>load<u32>(g.log + ((<usize>i) << 2), 4);
    store<u32>(at, <u32>node);
    store<u32>(at, <u32>level, 4);
    const bytes = (<usize>listWords(g, level)) << 2;
    memory.copy(at + 8, links(g, node, level), bytes);
    at += 8 + bytes;
  }
  g.logLen = 0;
}

/**
 * Copies the diff of `len` bytes at `src` into `g`; returns 0 (changing nothing) when it does not
 * continue `g` (its first node is not g.linked) or does not fit it.
 */
export function applyDiff(g: Graph, src: usize, len: usize): i32 {
  if (len < ((<usize>HEAD) << 2)) return 0;
  const from = <i32>load<u32>(src);
  const to = <i32>load<u32>(src, 4);
  const entry = load<i32>(src, 8);
  const maxLevel = load<i32>(src, 12);
  const lists = <i32>load<u32>(src, 24);
  if (from != g.linked || to < from || to > g.count || entry < 0 || entry >= to || maxLevel < 0 || maxLevel > MAX_LEVEL) return 0;
  // Check the whole diff before writing any of it.
  const end = src + len;
  let at = src + ((<usize>HEAD) << 2);
  const levelsAt = at;
  if (at + ((<usize>(to - from)) << 2) > end) return 0;
  for (let x = from; x < to; x++) {
    const level = load<i32>(at);
    if (level < 0 || level > maxLevel) return 0;
    at += 4;
  }
  const listsAt = at;
  for (let i = 0; i < lists; i++) {
    if (at + 8 > end) return 0;
    const node = <i32>load<u32>(at);
    const level = <i32>load<u32>(at, 4);
    if (node < 0 || node >= to || level < 0) return 0;
    const nodeLevel = node < from ? levelOf(g, node) : load<i32>(levelsAt + ((<usize>(node - from)) << 2));
    if (level > nodeLevel) return 0;
    const words = listWords(g, level);
    if (at + 8 + ((<usize>words) << 2) > end) return 0;
    const n = load<u32>(at, 8);
    if (n > <u32>(words - 1)) return 0;
    for (let j: u32 = 0; j < n; j++) if (load<u32>(at + 12 + ((<usize>j) << 2)) >= <u32>to) return 0;
    at += 8 + ((<usize>words) << 2);
  }
  if (at != end) return 0;
  for (let x = from; x < to; x++) setLevel(g, x, load<i32>(levelsAt + ((<usize>(x - from)) << 2)));
  at = listsAt;
  for (let i = 0; i < lists; i++) {
    const node = <i32>load<u32>(at);
    const level = <i32>load<u32>(at, 4);
    const bytes = (<usize>listWords(g, level)) << 2;
    memory.copy(links(g, node, level), at + 8, bytes);
    at += 8 + bytes;
  }
  g.linked = to;
  g.entry = entry;
  g.maxLevel = maxLevel;
  g.rng = load<u64>(src, 16);
  return 1;
}
