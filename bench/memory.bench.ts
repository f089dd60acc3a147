// The memory store: exact top-10 (WASM SIMD and TS scans of the same chunked matrix) against
// HNSW (weft's own, the store's default; hnswlib-wasm, the `index: 'hnswlib-wasm'` option; and
// hnswlib-node, native, as a peer) on clustered unit vectors; insert throughput through the API
// with and without the index; the index built through the API the way a user fills a store, end
// to end, beside native hnswlib's raw search of the same vectors; where the index starts to beat the exact scan; recall latency through the full API
// (hashing embedder included). Recall@10 and build times are printed as each case is prepared.
// 100K-row cases need WEFT_BENCH_LARGE=1 (building them takes minutes).
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTsKernels } from '../src/kernels/ts/index.js';
import { loadWeftModule } from '../src/kernels/index.js';
import type { KernelSet } from '../src/kernels/types.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { AnnIndex } from '../src/memory/ann-index.js';
import type { IndexKind } from '../src/memory/ann-types.js';
import { DEFAULT_HNSW_PARAMS, HnswIndex } from '../src/memory/hnsw-index.js';
import { loadHnsw } from '../src/memory/hnsw-loader.js';
import { createMemory } from '../src/memory/create-memory.js';
import type { Memory } from '../src/memory/memory.js';
import { DEFAULT_MEMORY_OPTIONS } from '../src/memory/options.js';
import { VectorMatrix } from '../src/memory/vector-matrix.js';
import { rng } from './data.js';
import type { BenchCase, BenchSuite } from './types.js';

const LARGE = process.env.WEFT_BENCH_LARGE === '1';
const ROWS = LARGE ? [10_000, 100_000] : [10_000];
const DIMS = [128, 384];
const K = 10;
const QUERIES = 200;
const CLUSTERS = 100;
// efSearch values swept over the same indexes; the store's default also times the exact scans.
const EFS = [50, 100, 200];

function gaussian(next: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
}

/**
 * `rows` unit vectors around `CLUSTERS` centres (centre components N(0,1), noise N(0, 0.5²)),
 * row-major. Queries come from the same distribution with another seed.
 */
function clustered(rows: number, dim: number, seed: number): Float32Array {
  const g = gaussian(rng(1234));
  const centres = Float32Array.from({ length: CLUSTERS * dim }, g);
  const n = gaussian(rng(seed));
  const pick = rng(seed + 1);
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const c = Math.floor(pick() * CLUSTERS) * dim;
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const x = centres[c + j] + 0.5 * n();
      out[r * dim + j] = x;
      norm += x * x;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < dim; j++) out[r * dim + j] *= inv;
  }
  return out;
}

const row = (m: Float32Array, dim: number, i: number) => m.subarray(i * dim, (i + 1) * dim);

function recallAt(found: (q: number) => number[], truth: number[][]): number {
  let hit = 0;
  truth.forEach((t, q) => {
    const f = new Set(found(q));
    hit += t.filter((id) => f.has(id)).length;
  });
  return hit / (truth.length * K);
}

function seconds(t0: number): number {
  return (performance.now() - t0) / 1000;
}

interface HnswNodeIndex {
  initIndex(maxElements: number, m?: number, efConstruction?: number, randomSeed?: number): void;
  addPoint(point: number[] | Float32Array, label: number): void;
  setEf(ef: number): void;
  searchKnn(q: number[] | Float32Array, k: number): { neighbors: number[]; distances: number[] };
}

/** hnswlib-node built over the `rows` vectors of `data` with the store's M and efConstruction. */
function nativeIndex(data: Float32Array, rows: number, dim: number): { index: HnswNodeIndex; buildSeconds: number } {
  const require = createRequire(import.meta.url);
  const { HierarchicalNSW } = require('hnswlib-node') as { HierarchicalNSW: new (space: string, dim: number) => HnswNodeIndex };
  const t0 = performance.now();
  const index = new HierarchicalNSW('ip', dim);
  index.initIndex(rows, DEFAULT_HNSW_PARAMS.m, DEFAULT_HNSW_PARAMS.efConstruction, 100);
  for (let i = 0; i < rows; i++) index.addPoint(Array.from(row(data, dim, i)), i);
  return { index, buildSeconds: seconds(t0) };
}

async function queryCases(rows: number, dim: number, wasm: KernelSet, ts: KernelSet, wanted: (n: string) => boolean): Promise<BenchCase[]> {
  const names = EFS.map((ef) => `query k=${K} rows=${rows} dim=${dim} clustered ef=${ef}`);
  if (!names.some(wanted)) return [];
  const data = clustered(rows, dim, rows + dim);
  const queries = clustered(QUERIES, dim, 99);
  const exactW = new VectorMatrix(dim, wasm);
  const exactT = new VectorMatrix(dim, ts);
  for (let i = 0; i < rows; i++) {
    exactW.set(i, row(data, dim, i));
    exactT.set(i, row(data, dim, i));
  }
  const qs = Array.from({ length: QUERIES }, (_, q) => row(queries, dim, q));
  const truth = qs.map((q) => exactT.search(q, K).map((h) => h.id));

  let t0 = performance.now();
  const lib = await loadHnsw();
  const hw = HnswIndex.create(lib, dim, DEFAULT_HNSW_PARAMS, rows);
  for (let start = 0; start < rows; start += 1000) {
    const ids = Array.from({ length: Math.min(1000, rows - start) }, (_, i) => start + i);
    hw.add(ids, ids.map((i) => row(data, dim, i)));
  }
  hw.link(Infinity);
  const buildWasm = seconds(t0);

  t0 = performance.now();
  const ww = await AnnIndex.create(dim, DEFAULT_HNSW_PARAMS, rows);
  for (let start = 0; start < rows; start += 1000) {
    const ids = Array.from({ length: Math.min(1000, rows - start) }, (_, i) => start + i);
    ww.add(ids, ids.map((i) => row(data, dim, i)));
  }
  ww.link(Infinity);
  const buildWeft = seconds(t0);

  const { index: hn, buildSeconds: buildNode } = nativeIndex(data, rows, dim);
  const qArrays = qs.map((q) => Array.from(q));
  console.log(
    `  rows=${rows} dim=${dim}: HNSW build (M ${DEFAULT_HNSW_PARAMS.m}, efConstruction ${DEFAULT_HNSW_PARAMS.efConstruction}) weft ${buildWeft.toFixed(1)} s, hnswlib-wasm ${buildWasm.toFixed(1)} s, hnswlib-node ${buildNode.toFixed(1)} s`,
  );
  const build: Record<string, number> = { weft: buildWeft, 'hnswlib-wasm': buildWasm, 'hnswlib-node': buildNode };

  const exactRecall = {
    wasm: recallAt((q) => exactW.search(qs[q], K).map((h) => h.id), truth),
    ts: recallAt((q) => exactT.search(qs[q], K).map((h) => h.id), truth),
  };
  const cases: BenchCase[] = [];
  EFS.forEach((ef, e) => {
    if (!wanted(names[e])) return;
    hw.setEfSearch(ef);
    ww.setEfSearch(ef);
    hn.setEf(ef);
    const recall = {
      ...(ef === DEFAULT_HNSW_PARAMS.efSearch ? exactRecall : {}),
      weft: recallAt((q) => ww.search(qs[q], K).map((h) => h.id), truth),
      'hnswlib-wasm': recallAt((q) => hw.search(qs[q], K).map((h) => h.id), truth),
      'hnswlib-node': recallAt((q) => hn.searchKnn(qArrays[q], K).neighbors, truth),
    };
    console.log(`  ${names[e]}: recall@10 ${Object.entries(recall).map(([v, r]) => `${v} ${r.toFixed(4)}`).join(', ')}`);
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let w = 0;
    // Each call sets its ef (a field write, and one N-API call of ~0.1 µs): cases share the indexes.
    const hnsw = {
      weft: () => {
        ww.setEfSearch(ef);
        return ww.search(qs[w++ % QUERIES], K);
      },
      'hnswlib-wasm': () => {
        hw.setEfSearch(ef);
        return hw.search(qs[c++ % QUERIES], K);
      },
      'hnswlib-node': () => {
        hn.setEf(ef);
        return hn.searchKnn(qArrays[d++ % QUERIES], K);
      },
    };
    cases.push({
      name: names[e],
      timeMs: rows >= 100_000 ? 3000 : 1000,
      metrics: Object.fromEntries(
        Object.entries(recall).map(([v, r]) => [v, { 'recall@10': r, ...(build[v] === undefined ? {} : { 'build s': build[v] }) }]),
      ),
      variants:
        ef === DEFAULT_HNSW_PARAMS.efSearch
          ? { wasm: () => exactW.search(qs[a++ % QUERIES], K), ts: () => exactT.search(qs[b++ % QUERIES], K), ...hnsw }
          : hnsw,
    });
  });
  return cases;
}

// Why hnswlib-wasm trails native hnswlib: the same brute-force scan (distance cost: its build has
// no WebAssembly SIMD) and a 16-point search (the fixed cost of a call: embind conversions).
async function whyCases(wasm: KernelSet, wanted: (n: string) => boolean): Promise<BenchCase[]> {
  const dim = 128;
  const rows = 10_000;
  const names = [`why brute-force k=${K} rows=${rows} dim=${dim}`, `why call overhead k=${K} rows=16 dim=${dim}`];
  if (!names.some(wanted)) return [];
  const lib = await loadHnsw();
  const require = createRequire(import.meta.url);
  const hnswNode = require('hnswlib-node') as {
    BruteforceSearch: new (space: string, dim: number) => { initIndex(n: number): void; addPoint(p: number[], l: number): void; searchKnn(q: number[], k: number): unknown };
    HierarchicalNSW: new (space: string, dim: number) => HnswNodeIndex;
  };
  const data = clustered(rows, dim, 3);
  const q = clustered(1, dim, 4);
  const qa = Array.from(q);
  const cases: BenchCase[] = [];
  if (wanted(names[0])) {
    const exact = new VectorMatrix(dim, wasm);
    const bw = new lib.BruteforceSearch('ip', dim);
    bw.initIndex(rows);
    const bn = new hnswNode.BruteforceSearch('ip', dim);
    bn.initIndex(rows);
    for (let i = 0; i < rows; i++) {
      exact.set(i, row(data, dim, i));
      bw.addPoint(row(data, dim, i), i);
      bn.addPoint(Array.from(row(data, dim, i)), i);
    }
    cases.push({
      name: names[0],
      variants: { wasm: () => exact.search(q, K), 'hnswlib-wasm': () => bw.searchKnn(q, K, undefined), 'hnswlib-node': () => bn.searchKnn(qa, K) },
    });
  }
  if (wanted(names[1])) {
    const tw = HnswIndex.create(lib, dim, DEFAULT_HNSW_PARAMS, 16);
    const ids = Array.from({ length: 16 }, (_, i) => i);
    tw.add(ids, ids.map((i) => row(data, dim, i)));
    const tn = new hnswNode.HierarchicalNSW('ip', dim);
    tn.initIndex(16, DEFAULT_HNSW_PARAMS.m, DEFAULT_HNSW_PARAMS.efConstruction, 100);
    ids.forEach((i) => tn.addPoint(Array.from(row(data, dim, i)), i));
    cases.push({ name: names[1], variants: { 'hnswlib-wasm': () => tw.search(q, K), 'hnswlib-node': () => tn.searchKnn(qa, K) } });
  }
  return cases;
}

const BATCH = 100;
/** Items of an insert burst: within PENDING_LIMIT (2048), what weft's index takes unlinked. */
const BURST = 2000;
/** Items of a sustained run: ten times what weft's index may hold unlinked. */
const SUSTAINED = 20_000;

async function insertCase(rows: number, dim: number, dir: string, cleanup: Memory[]): Promise<BenchCase> {
  const pool = clustered(rows + 50_000, dim, 7);
  const embed = async (texts: readonly string[]) => texts.map((t) => row(pool, dim, Number(t) % (rows + 50_000)));
  const open = async (file: string, hnswThreshold: number, index: IndexKind, indexThread = true) => {
    const m = await createMemory({ path: join(dir, file), dim, embedder: embed, hnswThreshold, index, indexThread });
    for (let s = 0; s < rows; s += 1000) await m.rememberMany(Array.from({ length: Math.min(1000, rows - s) }, (_, i) => String(s + i)));
    await m.whenIndexed();
    cleanup.push(m);
    return m;
  };
  const timed = async (file: string, hnswThreshold: number, index: IndexKind, indexThread = true): Promise<[Memory, number]> => {
    const t0 = performance.now();
    const m = await open(file, hnswThreshold, index, indexThread);
    return [m, seconds(t0)];
  };
  const [plain, tPlain] = await timed(`insert-${rows}-${dim}.db`, Infinity, 'weft');
  const [weft, tWeft] = await timed(`insert-${rows}-${dim}-weft.db`, 1, 'weft');
  const [here, tHere] = await timed(`insert-${rows}-${dim}-weft-here.db`, 1, 'weft', false);
  const [lib, tLib] = await timed(`insert-${rows}-${dim}-hnswlib.db`, 1, 'hnswlib-wasm');
  console.log(
    `  insert prefill ${rows} × ${dim} through the API (ready included): no index ${tPlain.toFixed(1)} s, weft ${tWeft.toFixed(1)} s (linking on this thread ${tHere.toFixed(1)} s), hnswlib-wasm ${tLib.toFixed(1)} s`,
  );
  let next = rows;
  const batch = () => Array.from({ length: BATCH }, () => String(next++));
  // A burst: BURST items in batches of BATCH, one awaited after the other. Within PENDING_LIMIT
  // weft's index takes them as pending (searched exactly) and links them in the background, so
  // the calls return at the SQLite rate; "linked" waits for the index to hold them all in its
  // graph. Three bursts per store, the median of each rate.
  const burst = async (m: Memory) => {
    const calls: number[] = [];
    const linked: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      for (let b = 0; b < BURST / BATCH; b++) await m.rememberMany(batch());
      calls.push(BURST / seconds(t0));
      await m.whenIndexed();
      linked.push(BURST / seconds(t0));
    }
    const mid = (xs: number[]) => xs.sort((a, b) => a - b)[1];
    return { [`burst ${BURST} calls items/s`]: mid(calls), [`burst ${BURST} linked items/s`]: mid(linked) };
  };
  // Sustained, until linked: SUSTAINED items (ten times what may wait unlinked) in batches of
  // BATCH, then whenIndexed(); the rate is the lower of storing's and linking's.
  const sustained = async (m: Memory) => {
    const t0 = performance.now();
    for (let b = 0; b < SUSTAINED / BATCH; b++) await m.rememberMany(batch());
    const calls = SUSTAINED / seconds(t0);
    await m.whenIndexed();
    return { [`sustained ${SUSTAINED} calls items/s`]: calls, [`sustained ${SUSTAINED} linked items/s`]: SUSTAINED / seconds(t0) };
  };
  const both = async (m: Memory) => ({ ...(await burst(m)), ...(await sustained(m)) });
  const bursts = { wasm: await both(plain), weft: await both(weft), 'weft on this thread': await both(here), 'hnswlib-wasm': await both(lib) };
  console.log(`  insert bursts of ${BURST}, then ${SUSTAINED} (items/s until the calls return / until linked, each): ${Object.entries(bursts).map(([v, b]) => `${v} ${Object.values(b).map((x) => x.toFixed(0)).join(' / ')}`).join(', ')}`);
  // Sustained inserts: whatever the background has not linked when a batch arrives beyond
  // PENDING_LIMIT is linked by the insert itself, so over a long run this is the link rate.
  return {
    name: `insert batch=${BATCH} rows=${rows} dim=${dim} clustered sqlite`,
    opsPerCall: BATCH,
    timeMs: 1500,
    // Items per second while filling the store to `rows` in batches of 1000, until the index is ready.
    metrics: {
      wasm: { 'prefill items/s': rows / tPlain, ...bursts.wasm },
      weft: { 'prefill items/s': rows / tWeft, ...bursts.weft },
      'weft on this thread': { 'prefill items/s': rows / tHere, ...bursts['weft on this thread'] },
      'hnswlib-wasm': { 'prefill items/s': rows / tLib, ...bursts['hnswlib-wasm'] },
    },
    variants: {
      wasm: () => plain.rememberMany(batch()),
      weft: () => weft.rememberMany(batch()),
      'weft on this thread': () => here.rememberMany(batch()),
      'hnswlib-wasm': () => lib.rememberMany(batch()),
    },
  };
}

/**
 * The way a user fills a store: the default options, batches of 1000 through `rememberMany`
 * (the index starts building in the background at `hnswThreshold`), then `whenIndexed()`. Reports
 * the time from the last insert until the index is ready, against hnswlib-node's build of the
 * same vectors (the query case's), and recall through the API with the index.
 */
async function endToEndCase(rows: number, dim: number, kinds: readonly IndexKind[], dir: string, cleanup: Memory[]): Promise<BenchCase> {
  const data = clustered(rows, dim, rows + dim);
  const queries = clustered(QUERIES, dim, 99);
  const exact = new VectorMatrix(dim, createTsKernels());
  for (let i = 0; i < rows; i++) exact.set(i, row(data, dim, i));
  const qs = Array.from({ length: QUERIES }, (_, q) => row(queries, dim, q));
  const embed = async (texts: readonly string[]) => texts.map((t) => row(data, dim, Number(t)));
  // Ids are assigned 1..rows in insertion order by SQLite: item i is row i - 1.
  const truth = qs.map((q) => exact.search(q, K).map((h) => h.id + 1));
  // The target of recall through the API: native hnswlib's raw search of the same vectors (same
  // M, efConstruction and efSearch), in the same run; its build time is the index's yardstick.
  const native = nativeIndex(data, rows, dim);
  const metrics: Record<string, Record<string, number>> = {};
  const variants: Record<string, () => unknown> = {};
  for (const index of kinds) {
    // The default threshold, except that a store smaller than it would never build an index.
    const hnswThreshold = Math.min(DEFAULT_MEMORY_OPTIONS.hnswThreshold, rows / 2);
    const m = await createMemory({ path: join(dir, `e2e-${rows}-${dim}-${index}.db`), dim, embedder: embed, index, hnswThreshold });
    cleanup.push(m);
    const t0 = performance.now();
    for (let s = 0; s < rows; s += 1000) await m.rememberMany(Array.from({ length: Math.min(1000, rows - s) }, (_, i) => String(s + i)));
    const inserted = seconds(t0);
    const t1 = performance.now();
    await m.whenIndexed();
    const ready = seconds(t1);
    const got: number[][] = [];
    for (const q of qs) got.push((await m.recall(q, { k: K })).map((r) => r.id));
    const recall = recallAt((q) => got[q], truth);
    const node = native.buildSeconds;
    metrics[index] = { 'inserts s': inserted, 'ready after last insert s': ready, 'ready / hnswlib-node build': ready / node, 'recall@10': recall };
    console.log(`  e2e ${rows} × ${dim} ${index}: inserts ${inserted.toFixed(1)} s, ready ${ready.toFixed(1)} s after the last (hnswlib-node builds in ${node.toFixed(1)} s), recall@10 ${recall.toFixed(4)} via ${m.lastSearchPath}`);
    let i = 0;
    variants[index] = () => m.recall(qs[i++ % QUERIES], { k: K });
  }
  native.index.setEf(DEFAULT_HNSW_PARAMS.efSearch);
  const qArrays = qs.map((q) => Array.from(q));
  metrics['hnswlib-node raw'] = { 'build s': native.buildSeconds, 'recall@10': recallAt((q) => native.index.searchKnn(qArrays[q], K).neighbors.map((id) => id + 1), truth) };
  let n = 0;
  variants['hnswlib-node raw'] = () => native.index.searchKnn(qArrays[n++ % QUERIES], K);
  return { name: `api build+recall k=${K} rows=${rows} dim=${dim} clustered sqlite`, timeMs: 1500, metrics, variants };
}

/** Exact scan against weft's index (ef 100) at small sizes: where the default `hnswThreshold` sits. */
async function thresholdCases(wasm: KernelSet, wanted: (n: string) => boolean): Promise<BenchCase[]> {
  const dim = 256;
  const cases: BenchCase[] = [];
  for (const rows of [1000, 2000, 5000, 10_000, 20_000]) {
    const name = `threshold k=${K} rows=${rows} dim=${dim} clustered`;
    if (!wanted(name)) continue;
    const data = clustered(rows, dim, rows + 5);
    const qs = Array.from({ length: QUERIES }, (_, q) => row(clustered(QUERIES, dim, 98), dim, q));
    const exact = new VectorMatrix(dim, wasm);
    for (let i = 0; i < rows; i++) exact.set(i, row(data, dim, i));
    const t0 = performance.now();
    const ann = await AnnIndex.create(dim, DEFAULT_HNSW_PARAMS, rows);
    ann.add(Array.from({ length: rows }, (_, i) => i), Array.from({ length: rows }, (_, i) => row(data, dim, i)));
    ann.link(Infinity);
    const build = seconds(t0);
    const truth = qs.map((q) => exact.search(q, K).map((h) => h.id));
    let a = 0;
    let b = 0;
    cases.push({
      name,
      metrics: { weft: { 'recall@10': recallAt((q) => ann.search(qs[q], K).map((h) => h.id), truth), 'build s': build } },
      variants: { wasm: () => exact.search(qs[a++ % QUERIES], K), weft: () => ann.search(qs[b++ % QUERIES], K) },
    });
  }
  return cases;
}

const WORDS = 'agent task memory vector search index query result cache store run graph node edge tool model prompt answer error retry limit queue worker batch token plan step goal fact user data file report'.split(' ');

async function apiCase(items: number, wasm: KernelSet, ts: KernelSet, dir: string, cleanup: Memory[]): Promise<BenchCase> {
  const pick = rng(5);
  const sentence = () => Array.from({ length: 8 + Math.floor(pick() * 8) }, () => WORDS[Math.floor(pick() * WORDS.length)]).join(' ');
  const texts = Array.from({ length: items }, sentence);
  const queries = Array.from({ length: QUERIES }, sentence);
  const make = async (kernels: KernelSet, file: string) => {
    const m = await createMemory({ path: join(dir, file), kernels });
    for (let s = 0; s < items; s += 1000) await m.rememberMany(texts.slice(s, s + 1000));
    // Steady state: past the default threshold the index builds in the background, on this thread.
    await m.whenIndexed();
    cleanup.push(m);
    return m;
  };
  const mw = await make(wasm, 'api-wasm.db');
  const mt = await make(ts, 'api-ts.db');
  let a = 0;
  let b = 0;
  return {
    name: `api recall k=${K} items=${items} dim=256 hashing-embedder sqlite`,
    timeMs: 1500,
    variants: {
      wasm: () => mw.recall(queries[a++ % QUERIES], { k: K }),
      ts: () => mt.recall(queries[b++ % QUERIES], { k: K }),
    },
  };
}

const suite: BenchSuite = {
  name: 'memory',
  async cases(wanted) {
    const wasm = await createWasmKernels(await loadWeftModule());
    const ts = createTsKernels();
    const dir = mkdtempSync(join(tmpdir(), 'weft-bench-memory-'));
    const cleanup: Memory[] = [];
    // The databases are only read and written by the cases; removed when the process exits.
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const cases: BenchCase[] = [];
    for (const rows of ROWS) {
      for (const dim of DIMS) {
        cases.push(...(await queryCases(rows, dim, wasm, ts, wanted)));
      }
    }
    for (const rows of ROWS) {
      if (wanted(`insert batch=${BATCH} rows=${rows} dim=128 clustered sqlite`)) cases.push(await insertCase(rows, 128, dir, cleanup));
    }
    for (const rows of ROWS) {
      // hnswlib-wasm through the API at 100K takes minutes to build: the 10K case shows the gap.
      const kinds: IndexKind[] = rows > 10_000 ? ['weft'] : ['weft', 'hnswlib-wasm'];
      if (wanted(`api build+recall k=${K} rows=${rows} dim=128 clustered sqlite`)) cases.push(await endToEndCase(rows, 128, kinds, dir, cleanup));
    }
    cases.push(...(await thresholdCases(wasm, wanted)));
    cases.push(...(await whyCases(wasm, wanted)));
    if (wanted(`api recall k=${K} items=10000 dim=256 hashing-embedder sqlite`)) cases.push(await apiCase(10_000, wasm, ts, dir, cleanup));
    return cases;
  },
};

export default suite;
