// Graph walks: the greedy descent through the upper levels and the ef-bounded best-first search
// of one level (results in g.results, a max-heap by distance).

import { Graph, distance, links, isDeleted, nextGeneration, touch } from './graph';
import { heapKey, heapId, heapPush, heapPop, heapReplaceTop } from './heap';

/** The closest node to `q` reachable greedily from `ep` at `level` (tombstones navigate too). */
export function greedy(g: Graph, q: usize, ep: i32, level: i32): i32 {
  let cur = ep;
  let curDist = distance(g, q, cur);
  let changed = true;
  while (changed) {
    changed = false;
    const list = links(g, cur, level);
    const n = <i32>load<u32>(list);
    for (let i = 0; i < n; i++) {
      const c = <i32>load<u32>(list + 4 + ((<usize>i) << 2));
      const d = distance(g, q, c);
      if (d < curDist) {
        curDist = d;
        cur = c;
        changed = true;
      }
    }
  }
  return cur;
}

/**
 * Best-first search of `level` from `ep` keeping the `ef` closest accepted nodes in g.results
 * (returns their count). Tombstones and nodes outside `allow` (a byte per node, 0 = all allowed)
 * are walked through but never kept.
 */
export function searchLevel(g: Graph, q: usize, ep: i32, ef: i32, level: i32, allow: usize): i32 {
  const gen = nextGeneration(g);
  const visited = g.visited;
  const cand = g.candidates;
  const res = g.results;
  const d0 = distance(g, q, ep);
  store<u32>(visited + ((<usize>ep) << 2), gen);
  let nc = heapPush(cand, 0, -d0, <u32>ep);
  let nr = 0;
  let bound = f32.MAX_VALUE;
  if (!isDeleted(g, ep) && (allow == 0 || load<u8>(allow + <usize>ep) != 0)) {
    nr = heapPush(res, 0, d0, <u32>ep);
    bound = d0;
  }
  while (nc > 0) {
    const cd = -heapKey(cand, 0);
    // With the result list full, no candidate farther than its worst can improve it.
    if (cd > bound && nr >= ef) break;
    const c = <i32>heapId(cand, 0);
    nc = heapPop(cand, nc);
    // The next candidate's link list is read soon: start its cache miss now.
    if (nc > 0) g.sink ^= load<u32>(links(g, <i32>heapId(cand, 0), level));
    // Three passes over the link list: mark the unvisited, touch their vectors (all misses in
    // flight together), then score them and update the heaps.
    const list = links(g, c, level);
    const n = <i32>load<u32>(list);
    const ids = g.batch;
    const dists = g.batch + ((<usize>g.m0) << 2);
    let u = 0;
    for (let i = 0; i < n; i++) {
      const x = load<u32>(list + 4 + ((<usize>i) << 2));
      const stamp = visited + ((<usize>x) << 2);
      if (load<u32>(stamp) == gen) continue;
      store<u32>(stamp, gen);
      store<u32>(ids + ((<usize>u) << 2), x);
      u++;
    }
    for (let j = 0; j < u; j++) touch(g, <i32>load<u32>(ids + ((<usize>j) << 2)));
    for (let j = 0; j < u; j++) store<f32>(dists + ((<usize>j) << 2), distance(g, q, <i32>load<u32>(ids + ((<usize>j) << 2))));
    for (let j = 0; j < u; j++) {
      const x = <i32>load<u32>(ids + ((<usize>j) << 2));
      const d = load<f32>(dists + ((<usize>j) << 2));
      if (nr < ef || d < bound) {
        nc = heapPush(cand, nc, -d, <u32>x);
        if (!isDeleted(g, x) && (allow == 0 || load<u8>(allow + <usize>x) != 0)) {
          // Full: the new pair replaces the worst in one sift instead of a push and a pop.
          if (nr < ef) nr = heapPush(res, nr, d, <u32>x);
          else heapReplaceTop(res, nr, d, <u32>x);
          bound = heapKey(res, 0);
        }
      }
    }
  }
  return nr;
}

/**
 * The `k` nearest live nodes to `q` (restricted to `allow` when non-zero): the graph searched
 * with `ef`, then the pending nodes scanned exactly. Writes ids and distances, closest first, to
 * `outIds`/`outDist`; returns the count.
 */
export function searchGraph(g: Graph, q: usize, k: i32, ef: i32, allow: usize, outIds: usize, outDist: usize): i32 {
  if (k <= 0) return 0;
  const res = g.results;
  let nr = 0;
  if (g.linked > 0) {
    let ep = g.entry;
    for (let level = g.maxLevel; level > 0; level--) ep = greedy(g, q, ep, level);
    nr = searchLevel(g, q, ep, max(ef, k), 0, allow);
    while (nr > k) nr = heapPop(res, nr);
  }
  for (let x = g.linked; x < g.count; x++) {
    if (isDeleted(g, x) || (allow != 0 && load<u8>(allow + <usize>x) == 0)) continue;
    const d = distance(g, q, x);
    if (nr < k) nr = heapPush(res, nr, d, <u32>x);
    else if (d < heapKey(res, 0)) {
      nr = heapPop(res, nr);
      nr = heapPush(res, nr, d, <u32>x);
    }
  }
  const count = nr;
  while (nr > 0) {
    const at = (<usize>(nr - 1)) << 2;
    store<u32>(outIds + at, heapId(res, 0));
    store<f32>(outDist + at, heapKey(res, 0));
    nr = heapPop(res, nr);
  }
  return count;
}
