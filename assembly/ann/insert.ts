// Linking a node into the graph: per level, an efConstruction search, the heuristic neighbour
// selection (keep a candidate only if it is closer to the new node than to every neighbour kept
// so far, which spreads links across directions and keeps clusters connected), then reverse
// links, pruned by the same heuristic when a neighbour's list is full.

import { Graph, distance, links, vectorAt, randomLevel, setLevel } from './graph';
import { heapKey, heapId, heapPop } from './heap';
import { greedy, searchLevel } from './search';
import { dotAt } from '../vector/dot';
import { logList } from './diff';

/**
 * Heuristic selection from `n` (distance, id) pairs at `cands` sorted closest first: writes at
 * most `maxM` ids to `out`, returns how many.
 */
function selectNeighbours(g: Graph, cands: usize, n: i32, maxM: i32, out: usize): i32 {
  if (n <= maxM) {
    for (let i = 0; i < n; i++) store<u32>(out + ((<usize>i) << 2), load<u32>(cands + ((<usize>i) << 3), 4));
    return n;
  }
  let kept = 0;
  for (let i = 0; i < n && kept < maxM; i++) {
    const d = load<f32>(cands + ((<usize>i) << 3));
    const id = <i32>load<u32>(cands + ((<usize>i) << 3), 4);
    const v = vectorAt(g, id);
    let good = true;
    for (let j = 0; j < kept; j++) {
      const r = <i32>load<u32>(out + ((<usize>j) << 2));
      if (<f32>1.0 - dotAt(v, vectorAt(g, r), g.dim) < d) {
        good = false;
        break;
      }
    }
    if (good) {
      store<u32>(out + ((<usize>kept) << 2), <u32>id);
      kept++;
    }
  }
  return kept;
}

/** Inserts the pair (d, id) into the sorted run of `n` pairs at `at` (closest first). */
@inline
function insertSorted(at: usize, n: i32, d: f32, id: u32): void {
  let i = n;
  while (i > 0 && load<f32>(at + ((<usize>(i - 1)) << 3)) > d) {
    store<u64>(at + ((<usize>i) << 3), load<u64>(at + ((<usize>(i - 1)) << 3)));
    i--;
  }
  store<f32>(at + ((<usize>i) << 3), d);
  store<u32>(at + ((<usize>i) << 3), id, 4);
}

/** Adds `node` to the list of `target` at `level`, pruning the list when it is full. */
function addLink(g: Graph, target: i32, node: i32, level: i32): void {
  const list = links(g, target, level);
  const maxM = level == 0 ? g.m0 : g.m;
  const n = <i32>load<u32>(list);
  if (g.tracking != 0) logList(g, target, level);
  if (n < maxM) {
    store<u32>(list + 4 + ((<usize>n) << 2), <u32>node);
    store<u32>(list, n + 1);
    return;
  }
  const tv = vectorAt(g, target);
  const cands = g.scratch;
  insertSorted(cands, 0, distance(g, tv, node), <u32>node);
  for (let i = 0; i < n; i++) {
    const x = load<u32>(list + 4 + ((<usize>i) << 2));
    insertSorted(cands, i + 1, distance(g, tv, <i32>x), x);
  }
  store<u32>(list, selectNeighbours(g, cands, n + 1, maxM, list + 4));
}

/** Links node `g.linked` (its vector already stored) into the graph. */
export function linkNext(g: Graph): void {
  const node = g.linked;
  const level = randomLevel(g);
  setLevel(g, node, level);
  g.linked = node + 1;
  if (g.entry < 0) {
    g.entry = node;
    g.maxLevel = level;
    return;
  }
  const q = vectorAt(g, node);
  let ep = g.entry;
  for (let l = g.maxLevel; l > level; l--) ep = greedy(g, q, ep, l);
  const cands = g.scratch;
  const selected = g.scratch + ((<usize>(max(g.efConstruction, g.m0) + 2)) << 3);
  for (let l = min(level, g.maxLevel); l >= 0; l--) {
    let nr = searchLevel(g, q, ep, g.efConstruction, l, 0);
    // The results heap pops the farthest first: fill the sorted run from its end.
    const n = nr;
    while (nr > 0) {
      const at = cands + ((<usize>(nr - 1)) << 3);
      store<f32>(at, heapKey(g.results, 0));
      store<u32>(at, heapId(g.results, 0), 4);
      nr = heapPop(g.results, nr);
    }
    if (n == 0) continue; // every candidate was a tombstone: this level stays unlinked
    const kept = selectNeighbours(g, cands, n, g.m, selected);
    const own = links(g, node, l);
    for (let i = 0; i < kept; i++) {
      const x = load<u32>(selected + ((<usize>i) << 2));
      store<u32>(own + 4 + ((<usize>i) << 2), x);
    }
    store<u32>(own, kept);
    if (g.tracking != 0) logList(g, node, l);
    // The closest candidate enters the next level down; read before addLink reuses the scratch.
    ep = <i32>load<u32>(cands, 4);
    for (let i = 0; i < kept; i++) addLink(g, <i32>load<u32>(selected + ((<usize>i) << 2)), node, l);
  }
  if (level > g.maxLevel) {
    g.maxLevel = level;
    g.entry = node;
  }
}

