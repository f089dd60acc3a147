// The ANN index's exports: a handle (the graph's address) and pointers in, counts out. The host
// writes vectors straight into the graph's vector array (annVectors, after annReserve) and then
// calls annAppend, so inserting copies each vector once and converts nothing.

import { Graph, createGraph, freeGraph, reserve } from './graph';
import { linkNext } from './insert';
import { searchGraph } from './search';
import { serializedSize, serializeGraph, deserializeGraph } from './serialize';
import { diffSize, writeDiff, applyDiff } from './diff';

@inline
function graph(h: usize): Graph {
  return changetype<Graph>(h);
}

/** A new empty index; levels are drawn from a generator seeded with `seed`. */
export function annCreate(dim: i32, m: i32, efConstruction: i32, seed: u32): usize {
  return changetype<usize>(createGraph(dim, m, efConstruction, seed));
}

export function annFree(h: usize): void {
  freeGraph(graph(h));
}

/** Makes room for `capacity` nodes; array addresses (annVectors) may change. */
export function annReserve(h: usize, capacity: i32): void {
  reserve(graph(h), capacity);
}

export function annCapacity(h: usize): i32 {
  return graph(h).capacity;
}

/** The vector array: node i's vector is at annVectors + 4·dim·i. */
export function annVectors(h: usize): usize {
  return graph(h).vectors;
}

export function annCount(h: usize): i32 {
  return graph(h).count;
}

export function annLinked(h: usize): i32 {
  return graph(h).linked;
}

export function annDeletedCount(h: usize): i32 {
  return graph(h).deletedCount;
}

/** Takes the `n` vectors written after the last node as new (pending) nodes; returns the first id. */
export function annAppend(h: usize, n: i32): i32 {
  const g = graph(h);
  const first = g.count;
  if (n < 0 || first + n > g.capacity) return -1;
  g.count = first + n;
  return first;
}

/** Links up to `max` pending nodes into the graph; returns how many stay pending. */
export function annLink(h: usize, max: i32): i32 {
  const g = graph(h);
  for (let i = 0; i < max && g.linked < g.count; i++) linkNext(g);
  return g.count - g.linked;
}

/** Tombstones `node`: never returned again, still walked through. Returns 1 if it was live. */
export function annDelete(h: usize, node: i32): i32 {
  const g = graph(h);
  if (node < 0 || node >= g.count || load<u8>(g.deleted + <usize>node) != 0) return 0;
  store<u8>(g.deleted + <usize>node, 1);
  g.deletedCount++;
  return 1;
}

/** The `k` nearest live nodes to the query at `q`; see searchGraph. */
export function annSearch(h: usize, q: usize, k: i32, ef: i32, allow: usize, outIds: usize, outDist: usize): i32 {
  return searchGraph(graph(h), q, k, ef, allow, outIds, outDist);
}

export function annSerializedSize(h: usize): usize {
  return serializedSize(graph(h));
}

export function annSerialize(h: usize, out: usize): void {
  serializeGraph(graph(h), out);
}

/** A handle for the graph in the `len` bytes at `src`, or 0 when they are not a valid one. */
export function annDeserialize(src: usize, len: usize): usize {
  return deserializeGraph(src, len);
}

/** Makes linking record the lists it writes, for {@link annDiffSize}/{@link annDiffWrite} (a linker thread's graph). */
export function annTrack(h: usize): void {
  graph(h).tracking = 1;
}

/** Bytes of the diff of nodes [from, linked) and the lists written since the last diff. */
export function annDiffSize(h: usize, from: i32): usize {
  return diffSize(graph(h), from);
}

/** Writes that diff at `out` and starts the next. */
export function annDiffWrite(h: usize, from: i32, out: usize): void {
  writeDiff(graph(h), from, out);
}

/** Applies a diff of `len` bytes at `src` (from a linker fed the same nodes); 1 if it did, 0 if it does not fit. */
export function annApplyDiff(h: usize, src: usize, len: usize): i32 {
  return applyDiff(graph(h), src, len);
}
