// Recall quality of the memory store on the CISI collection (1,460 abstracts, 76 judged queries,
// read from ../shared/ir/cisi/ beside the clone; the suite is skipped with a line when it is
// absent): nDCG@10, recall@10 and MAP@100 of keyword, vector and hybrid recall in both backends,
// beside SQLite FTS5 BM25 (`porter unicode61`, raw SQL on a scratch table) and the in-browser
// libraries a user would pick instead (MiniSearch 7.2 with a Porter `processTerm`, Orama 3.1
// default), all in the same run. Timed: a keyword query through each, round-robin over the
// queries; the hybrid query in both backends; API recall at 10K items, old and new embedder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as createOrama, insertMultiple, search as searchOrama } from '@orama/orama';
import Database from 'better-sqlite3';
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { createHashingEmbedder } from '../src/memory/hashing-embedder.js';
import { createMemory } from '../src/memory/create-memory.js';
import type { Memory } from '../src/memory/memory.js';
import { words } from '../src/memory/tokenize.js';
import type { RecallMode } from '../src/memory/types.js';
import { loadCisi, rng, type IrCollection } from './data.js';
import type { BenchCase, BenchSuite } from './types.js';

const DEPTH = 100;

type Quality = Readonly<Record<'nDCG@10' | 'recall@10' | 'MAP@100', number>>;

/** Means over the judged queries (binary gains; AP divided by the number of relevant items). */
function quality(c: IrCollection, ranked: (query: string) => number[]): Quality {
  let ndcg = 0;
  let recall = 0;
  let map = 0;
  for (const q of c.queries) {
    const rel = c.relevant.get(q.id)!;
    const ids = ranked(q.text).slice(0, DEPTH);
    let dcg = 0;
    let found = 0;
    let found10 = 0;
    let ap = 0;
    ids.forEach((id, i) => {
      if (!rel.has(id)) return;
      found++;
      ap += found / (i + 1);
      if (i < 10) {
        dcg += 1 / Math.log2(i + 2);
        found10++;
      }
    });
    let ideal = 0;
    for (let i = 0; i < Math.min(10, rel.size); i++) ideal += 1 / Math.log2(i + 2);
    ndcg += dcg / ideal;
    recall += found10 / rel.size;
    map += ap / rel.size;
  }
  const n = c.queries.length;
  return { 'nDCG@10': ndcg / n, 'recall@10': recall / n, 'MAP@100': map / n };
}

const show = (q: Quality) => `nDCG@10 ${q['nDCG@10'].toFixed(3)}, recall@10 ${q['recall@10'].toFixed(3)}, MAP@100 ${q['MAP@100'].toFixed(3)}`;

/** A memory holding the collection; item ids map back to document ids. */
async function load(c: IrCollection, path: string | undefined, dim?: number) {
  const m = await createMemory({ path, ...(dim === undefined ? {} : { dim }) });
  const docOf = new Map<number, number>();
  for (let s = 0; s < c.docs.length; s += 1000) {
    const batch = c.docs.slice(s, s + 1000);
    const items = await m.rememberMany(batch.map((d) => d.text));
    items.forEach((item, i) => docOf.set(item.id, batch[i].id));
  }
  return { m, docOf };
}

/** Ranked document ids for every query, so that each mode is asked once (recall is async). */
async function rankAll(c: IrCollection, m: Memory, docOf: Map<number, number>, mode: RecallMode): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const q of c.queries) out.set(q.text, (await m.recall(q.text, { mode, k: DEPTH })).map((h) => docOf.get(h.id)!));
  return out;
}

function fts5Scratch(c: IrCollection) {
  const db = new Database(':memory:');
  db.exec("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61')");
  const insert = db.prepare('INSERT INTO t (rowid, text) VALUES (?, ?)');
  db.transaction(() => c.docs.forEach((d) => insert.run(d.id, d.text)))();
  const stmt = db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t), rowid LIMIT ?').pluck();
  // Every query word OR-ed, repeats kept, as the store asks it.
  return (query: string) => stmt.all(words(query).map((w) => `"${w}"`).join(' OR '), DEPTH) as number[];
}

function miniSearch(c: IrCollection) {
  const ms = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], processTerm: (t) => stemmer(t.toLowerCase()) });
  ms.addAll(c.docs);
  return (query: string) => ms.search(query).slice(0, DEPTH).map((r) => r.id as number);
}

function orama(c: IrCollection) {
  const db = createOrama({ schema: { text: 'string', doc: 'number' } as const });
  void insertMultiple(db, c.docs.map((d) => ({ text: d.text, doc: d.id })));
  return (query: string) => {
    const r = searchOrama(db, { term: query, limit: DEPTH });
    if (r instanceof Promise) throw new Error('Orama answered asynchronously; the bench expects its synchronous search');
    return r.hits.map((h) => h.document.doc as number);
  };
}

const topTen = (ids: readonly number[]) => ids.slice(0, 10).join(',');

async function cisiCases(c: IrCollection, dir: string, cleanup: Memory[], wanted: (n: string) => boolean): Promise<BenchCase[]> {
  const names = ['keyword query cisi', 'hybrid query cisi', 'embedder dim cisi'];
  if (!names.some(wanted)) return [];
  const backends = { sqlite: await load(c, join(dir, 'cisi.db')), 'in-memory': await load(c, undefined) };
  cleanup.push(backends.sqlite.m, backends['in-memory'].m);
  const metrics: Record<string, Quality> = {};
  const runs: Record<string, Map<string, number[]>> = {};
  for (const [backend, { m, docOf }] of Object.entries(backends)) {
    for (const mode of ['keyword', 'vector', 'hybrid'] as const) {
      const r = await rankAll(c, m, docOf, mode);
      runs[`${mode} ${backend}`] = r;
      metrics[`${mode} ${backend}`] = quality(c, (q) => r.get(q)!);
    }
  }
  const fts5 = fts5Scratch(c);
  const mini = miniSearch(c);
  const ora = orama(c);
  metrics['fts5-porter'] = quality(c, fts5);
  metrics.minisearch = quality(c, mini);
  metrics['@orama/orama'] = quality(c, ora);
  for (const [name, q] of Object.entries(metrics)) console.log(`  CISI ${name.padEnd(18)} ${show(q)}`);
  const same = (a: string, b: (q: string) => number[]) => c.queries.filter((q) => topTen(runs[a].get(q.text)!) === topTen(b(q.text))).length;
  console.log(
    `  CISI keyword parity (same top 10, ${c.queries.length} queries): in-memory vs sqlite ${same('keyword in-memory', (q) => runs['keyword sqlite'].get(q)!)}, ` +
      `sqlite vs raw FTS5 ${same('keyword sqlite', fts5)}`,
  );
  const cases: BenchCase[] = [];
  const next = rng(3);
  const query = () => c.queries[Math.floor(next() * c.queries.length)].text;
  if (wanted(names[0])) {
    const sq = backends.sqlite.m;
    const im = backends['in-memory'].m;
    cases.push({
      name: names[0],
      timeMs: 3000,
      metrics: {
        sqlite: metrics['keyword sqlite'],
        'in-memory': metrics['keyword in-memory'],
        'fts5-porter': metrics['fts5-porter'],
        minisearch: metrics.minisearch,
        '@orama/orama': metrics['@orama/orama'],
      },
      variants: {
        sqlite: () => sq.recall(query(), { mode: 'keyword', k: 10 }),
        'in-memory': () => im.recall(query(), { mode: 'keyword', k: 10 }),
        'fts5-porter': () => fts5(query()),
        minisearch: () => mini(query()),
        '@orama/orama': () => ora(query()),
      },
    });
  }
  if (wanted(names[1])) {
    const variants: Record<string, () => unknown> = {};
    for (const [backend, { m }] of Object.entries(backends)) variants[backend] = () => m.recall(query(), { mode: 'hybrid', k: 10 });
    cases.push({
      name: names[1],
      timeMs: 3000,
      metrics: Object.fromEntries(Object.keys(backends).flatMap((b) => [[b, { ...metrics[`hybrid ${b}`], 'vector nDCG@10': metrics[`vector ${b}`]['nDCG@10'] }]])),
      variants,
    });
  }
  if (wanted(names[2])) {
    // The default dimension's trade: vector quality against bytes per item (and scan time).
    for (const dim of [128, 256, 384, 512, 1024]) {
      const { m, docOf } = await load(c, undefined, dim);
      const vec = await rankAll(c, m, docOf, 'vector');
      const hyb = await rankAll(c, m, docOf, 'hybrid');
      await m.close();
      console.log(`  CISI hashing-v2 dim ${dim} (${dim * 4} bytes/item): vector ${show(quality(c, (q) => vec.get(q)!))}; hybrid ${show(quality(c, (q) => hyb.get(q)!))}`);
    }
  }
  return cases;
}

const WORDS = 'agent task memory vector search index query result cache store run graph node edge tool model prompt answer error retry limit queue worker batch token plan step goal fact user data file report'.split(' ');

/** API recall latency at 10K items, weft 0.1's embedder against the new default, side by side. */
async function apiCase(dir: string, cleanup: Memory[]): Promise<BenchCase> {
  const pick = rng(5);
  const sentence = () => Array.from({ length: 8 + Math.floor(pick() * 8) }, () => WORDS[Math.floor(pick() * WORDS.length)]).join(' ');
  const texts = Array.from({ length: 10_000 }, sentence);
  const queries = Array.from({ length: 200 }, sentence);
  const make = async (file: string, version: 1 | 2) => {
    const m = await createMemory({ path: join(dir, file), embedder: createHashingEmbedder({ version }) });
    for (let s = 0; s < texts.length; s += 1000) await m.rememberMany(texts.slice(s, s + 1000));
    cleanup.push(m);
    return m;
  };
  const v1 = await make('api-v1.db', 1);
  const v2 = await make('api-v2.db', 2);
  let a = 0;
  let b = 0;
  return {
    name: 'api recall k=10 items=10000 dim=256 sqlite embedder',
    timeMs: 1500,
    variants: {
      'hashing-v1': () => v1.recall(queries[a++ % queries.length], { k: 10 }),
      'hashing-v2': () => v2.recall(queries[b++ % queries.length], { k: 10 }),
    },
  };
}

const suite: BenchSuite = {
  name: 'memory-quality',
  async cases(wanted) {
    const dir = mkdtempSync(join(tmpdir(), 'weft-bench-quality-'));
    const cleanup: Memory[] = [];
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const cases: BenchCase[] = [];
    const cisi = loadCisi(new URL('../../shared/ir/cisi/', import.meta.url));
    if (cisi === undefined) console.log('  memory-quality: no CISI collection at ../shared/ir/cisi/ beside the clone: CISI cases skipped');
    else cases.push(...(await cisiCases(cisi, dir, cleanup, wanted)));
    if (wanted('api recall k=10 items=10000 dim=256 sqlite embedder')) cases.push(await apiCase(dir, cleanup));
    return cases;
  },
};

export default suite;
