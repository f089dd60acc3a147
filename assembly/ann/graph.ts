// The HNSW graph's state in linear memory (Malkov & Yashunin): vectors stored once, row-major by
// node; level-0 links in one flat array of (1 + M0) u32 per node (a count, then ids); upper levels
// sparse, one block per node that has any; tombstones as one byte per node. Nodes [linked, count)
// have vectors but no links yet ("pending"): searches scan them exactly, so an index that is still
// catching up with inserts never misses them.

import { dotAt } from '../vector/dot';

/** The most levels a node can get (the level distribution makes > 16 vanishingly rare). */
export const MAX_LEVEL: i32 = 30;

@unmanaged
export class Graph {
  dim: i32;
  m: i32;
  m0: i32;
  efConstruction: i32;
  count: i32;
  linked: i32;
  capacity: i32;
  entry: i32;
  maxLevel: i32;
  deletedCount: i32;
  gen: u32;
  rng: u64;
  levelMult: f64;
  stride: usize;
  link0Stride: usize;
  upperStride: usize;
  vectors: usize;
  levels: usize;
  link0: usize;
  upper: usize;
  deleted: usize;
  visited: usize;
  candidates: usize;
  results: usize;
  scratch: usize;
  /** Room for one link list's unvisited ids and their distances (2 · M0 words). */
  batch: usize;
  /** Where the memory touches of {@link touch} leave their (unused) result. */
  sink: u32;
  /** Whether linking records the lists it writes (a linker thread's graph: see diff.ts). */
  tracking: i32;
  /** The (node, level) pairs of the lists written since the last diff, two u32 each. */
  log: usize;
  logLen: i32;
  logCap: i32;
}

/** Distance in inner-product space: 1 − dot (cosine distance on unit vectors). */
@inline
export function distance(g: Graph, q: usize, node: i32): f32 {
  return <f32>1.0 - dotAt(q, g.vectors + (<usize>node) * g.stride, g.dim);
}

@inline
export function vectorAt(g: Graph, node: i32): usize {
  return g.vectors + (<usize>node) * g.stride;
}

/** The link list (a u32 count, then ids) of `node` at `level`. */
@inline
export function links(g: Graph, node: i32, level: i32): usize {
  if (level == 0) return g.link0 + (<usize>node) * g.link0Stride;
  return load<usize>(g.upper + ((<usize>node) << 2)) + (<usize>(level - 1)) * g.upperStride;
}

@inline
export function levelOf(g: Graph, node: i32): i32 {
  return load<i32>(g.levels + ((<usize>node) << 2));
}

@inline
export function isDeleted(g: Graph, node: i32): bool {
  return load<u8>(g.deleted + <usize>node) != 0;
}

function grow(ptr: usize, oldBytes: usize, newBytes: usize): usize {
  const p = ptr == 0 ? heap.alloc(newBytes) : heap.realloc(ptr, newBytes);
  memory.fill(p + oldBytes, 0, newBytes - oldBytes);
  return p;
}

/** An empty graph; `seed` makes level generation (and so the whole build) reproducible. */
export function createGraph(dim: i32, m: i32, efConstruction: i32, seed: u32): Graph {
  const g = changetype<Graph>(heap.alloc(offsetof<Graph>()));
  memory.fill(changetype<usize>(g), 0, offsetof<Graph>());
  g.dim = dim;
  g.m = m;
  g.m0 = 2 * m;
  g.efConstruction = efConstruction;
  g.entry = -1;
  g.rng = (<u64>seed) * 0x9e3779b97f4a7c15 + 0x2545f4914f6cdd1d;
  g.levelMult = 1.0 / Math.log(<f64>m);
  g.stride = (<usize>dim) << 2;
  g.link0Stride = (<usize>(1 + g.m0)) << 2;
  g.upperStride = (<usize>(1 + m)) << 2;
  // Neighbour selection sorts at most max(efConstruction, M0) + 1 candidates and keeps M0.
  const sel = max(efConstruction, g.m0) + 2;
  g.scratch = heap.alloc((<usize>sel) << 4);
  g.batch = heap.alloc((<usize>g.m0) << 3);
  return g;
}

/** Makes room for `capacity` nodes (never shrinks). Addresses of the arrays may change. */
export function reserve(g: Graph, capacity: i32): void {
  if (capacity <= g.capacity) return;
  const old = <usize>g.capacity;
  const cap = <usize>capacity;
  g.vectors = grow(g.vectors, old * g.stride, cap * g.stride);
  g.levels = grow(g.levels, old << 2, cap << 2);
  g.link0 = grow(g.link0, old * g.link0Stride, cap * g.link0Stride);
  g.upper = grow(g.upper, old << 2, cap << 2);
  g.deleted = grow(g.deleted, old, cap);
  // Visit stamps restart from zero with the new array, so the generation restarts too.
  if (g.visited != 0) heap.free(g.visited);
  g.visited = heap.alloc(cap << 2);
  memory.fill(g.visited, 0, cap << 2);
  g.gen = 0;
  // Every node enters each heap at most once per search, so capacity + 2 entries always suffice.
  if (g.candidates != 0) heap.free(g.candidates);
  if (g.results != 0) heap.free(g.results);
  g.candidates = heap.alloc((cap + 2) << 3);
  g.results = heap.alloc((cap + 2) << 3);
  g.capacity = capacity;
}

/** Frees the graph and all its arrays. */
export function freeGraph(g: Graph): void {
  for (let i = 0; i < g.count; i++) {
    const block = load<usize>(g.upper + ((<usize>i) << 2));
    if (block != 0) heap.free(block);
  }
  if (g.capacity > 0) {
    heap.free(g.vectors);
    heap.free(g.levels);
    heap.free(g.link0);
    heap.free(g.upper);
    heap.free(g.deleted);
    heap.free(g.visited);
    heap.free(g.candidates);
    heap.free(g.results);
  }
  heap.free(g.scratch);
  heap.free(g.batch);
  if (g.log != 0) heap.free(g.log);
  heap.free(changetype<usize>(g));
}

/**
 * Reads one word of every cache line of `node`'s vector. WebAssembly has no prefetch: touching
 * the vectors of a whole link list first puts all their cache misses in flight at once, instead
 * of one after the other inside each distance (measured at 100K rows, where vectors outgrow the
 * caches). The result goes to `g.sink` so the loads are not optimised away.
 */
@inline
export function touch(g: Graph, node: i32): void {
  let p = vectorAt(g, node);
  const end = p + g.stride;
  let acc: u32 = 0;
  while (p < end) {
    acc ^= load<u32>(p);
    p += 64;
  }
  g.sink ^= acc;
}

/** Gives `node` its level and, above level 0, a zeroed block for its upper-level lists. */
export function setLevel(g: Graph, node: i32, level: i32): void {
  store<i32>(g.levels + ((<usize>node) << 2), level);
  if (level == 0) return;
  const bytes = (<usize>level) * g.upperStride;
  const block = heap.alloc(bytes);
  memory.fill(block, 0, bytes);
  store<usize>(g.upper + ((<usize>node) << 2), block);
}

/** A fresh visit generation (stamps are cleared when the counter wraps). */
@inline
export function nextGeneration(g: Graph): u32 {
  let gen = g.gen + 1;
  if (gen == 0) {
    memory.fill(g.visited, 0, (<usize>g.capacity) << 2);
    gen = 1;
  }
  g.gen = gen;
  return gen;
}

/** A level drawn from the exponential distribution with mL = 1 / ln M (splitmix64 underneath). */
export function randomLevel(g: Graph): i32 {
  g.rng += 0x9e3779b97f4a7c15;
  let z = g.rng;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  z ^= z >> 31;
  const u = (<f64>((z >> 11) + 1)) * 1.1102230246251565e-16; // (0, 1]
  const level = <i32>Math.floor(-Math.log(u) * g.levelMult);
  return min(level, MAX_LEVEL);
}
