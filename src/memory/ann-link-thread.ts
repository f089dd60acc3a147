// The linker thread of weft's HNSW index (started by ann-linker.ts): its own instance of the
// module holds a copy of the graph, takes the appends and deletes the serving index takes, links
// pending nodes in slices of a few milliseconds and posts each slice's diff. Between slices the
// thread's event loop runs, so appends keep arriving while it links.
import { parentPort, workerData } from 'node:worker_threads';
import { annArena } from '../kernels/wasm/ann.js';
import type { AnnDiffExports, LinkerAdd, LinkerInit } from './ann-link-protocol.js';

/** Milliseconds of linking per diff: long enough that a diff carries many nodes, short enough that appends are not held up. */
const SLICE_MS = 4;

const port = parentPort!;
const init = workerData as LinkerInit;
const queued: LinkerAdd[] = [];
let apply: ((msg: LinkerAdd) => void) | undefined;
port.on('message', (msg: LinkerAdd) => (apply === undefined ? queued.push(msg) : apply(msg)));

const arena = await annArena(init.module);
const ex = arena.exports as AnnDiffExports;
let h: number;
if (init.graph === undefined) {
  h = ex.annCreate(init.dim, init.m, init.efConstruction, init.seed);
  ex.annReserve(h, init.capacity);
} else {
  const src = arena.alloc(init.graph.byteLength);
  arena.u8.set(init.graph, src);
  h = ex.annDeserialize(src, init.graph.byteLength);
  arena.free(src);
  if (h === 0) throw new Error('the linker could not read the index it was given');
}
ex.annTrack(h);
arena.refresh();

let linking = false;

function step(): void {
  const from = ex.annLinked(h);
  if (ex.annCount(h) === from) {
    linking = false;
    return;
  }
  const t0 = performance.now();
  do ex.annLink(h, 4);
  while (ex.annLinked(h) < ex.annCount(h) && performance.now() - t0 < SLICE_MS);
  const size = ex.annDiffSize(h, from);
  const ptr = arena.scratch(size);
  ex.annDiffWrite(h, from, ptr);
  arena.refresh();
  const bytes = arena.u8.slice(ptr, ptr + size);
  port.postMessage({ type: 'diff', bytes }, [bytes.buffer as ArrayBuffer]);
  setImmediate(step);
}

apply = (msg) => {
  for (const node of msg.deletes) ex.annDelete(h, node);
  const n = msg.vectors.length / init.dim;
  if (n > 0) {
    const count = ex.annCount(h);
    const capacity = ex.annCapacity(h);
    if (count + n > capacity) ex.annReserve(h, Math.max(count + n, Math.ceil(capacity * 1.5)));
    arena.refresh();
    arena.f32.set(msg.vectors, (ex.annVectors(h) >>> 2) + count * init.dim);
    ex.annAppend(h, n);
  }
  kick();
};

/** Starts linking if there are pending nodes and it is not under way. */
function kick(): void {
  if (linking || ex.annLinked(h) === ex.annCount(h)) return;
  linking = true;
  setImmediate(step);
}

for (const msg of queued.splice(0)) apply(msg);
// A loaded graph may come with pending nodes of its own.
kick();
