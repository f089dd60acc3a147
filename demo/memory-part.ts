// "Memory": weft's memory store in the page (its in-memory backend): add texts, recall them by
// keyword (BM25), by vector (the hashing embedder, exact SIMD scan) or both (hybrid), with
// scores; and the exact scan against weft's HNSW index (WebAssembly) on synthetic vectors.

import { createMemory, type Memory, type RecallMode } from '../dist/browser.js';
import { $, el, fmtNs, setText } from '../src/view/page/dom.js';

const SEED = [
  'The deploy failed: the disk was full on build-3.',
  'Alice owns the billing service and prefers Postgres.',
  'Rate limits on the model API reset every minute.',
  'The nightly backup of the orders database took 42 minutes.',
  'Bob moved the search cluster to the new data centre.',
  'A retry with exponential backoff fixed the flaky upload step.',
  'The planner agent splits a topic into research questions.',
  'Vector search scans unit vectors with WebAssembly SIMD.',
];

/** Wires the Memory section. */
export async function setupMemory(): Promise<void> {
  const section = $('#memory');
  const memory: Memory = await createMemory();
  await memory.rememberMany(SEED);
  const showCount = () => setText('#memory-count', `${memory.count()} texts stored`);
  showCount();

  $('#memory-add-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $<HTMLTextAreaElement>('#memory-text');
    const text = input.value.trim();
    if (text === '') return setText('#memory-count', 'Type a text to add first.');
    await memory.remember(text);
    input.value = '';
    showCount();
  });

  $('#memory-recall-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = $<HTMLInputElement>('#memory-query').value.trim();
    const mode = $<HTMLSelectElement>('#memory-mode').value as RecallMode;
    const body = $('#recall-results tbody');
    if (query === '') return setText('#recall-time', 'Type a query first.');
    const t0 = performance.now();
    const hits = await memory.recall(query, { k: 5, mode });
    const ms = performance.now() - t0;
    body.replaceChildren(
      ...hits.map((h, i) => {
        const tr = el('tr');
        tr.append(el('td', String(i + 1)), el('td', h.score.toFixed(4), { class: 'num' }), el('td', h.text));
        return tr;
      }),
    );
    if (hits.length === 0) {
      const tr = el('tr');
      tr.append(el('td', 'No match.', { colspan: '3' }));
      body.append(tr);
    }
    section.dataset.results = String(hits.length);
    setText('#recall-time', `${hits.length} results in ${(ms * 1000).toFixed(0)} µs (${mode})`);
  });

  $('#memory-index').addEventListener('click', () => void indexTimings());
}

/** Exact scan against the HNSW index over the same synthetic clustered vectors. */
async function indexTimings(): Promise<void> {
  const button = $<HTMLButtonElement>('#memory-index');
  button.disabled = true;
  setText('#index-result', 'Building both stores…');
  const rows = 5000;
  const dim = 64;
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const centres = Array.from({ length: 20 }, () => Float32Array.from({ length: dim }, rnd));
  const vectors = Array.from({ length: rows }, (_, i) => Float32Array.from(centres[i % 20], (x) => x + 0.4 * rnd()));
  const embedder = async (texts: readonly string[]) => texts.map((t) => vectors[Number(t)]);
  const texts = vectors.map((_, i) => String(i));
  const exact = await createMemory({ dim, embedder, hnswThreshold: Infinity });
  const ann = await createMemory({ dim, embedder, hnswThreshold: 1000 });
  try {
    await exact.rememberMany(texts);
    const b0 = performance.now();
    await ann.rememberMany(texts);
    await ann.whenIndexed();
    const buildMs = performance.now() - b0;
    const queries = Array.from({ length: 200 }, (_, q) => String((q * 37) % rows));
    const time = async (m: Memory) => {
      const t0 = performance.now();
      const found: string[][] = [];
      for (const q of queries) found.push((await m.recall(q, { k: 10, mode: 'vector' })).map((h) => h.text));
      return { ns: ((performance.now() - t0) * 1e6) / queries.length, found };
    };
    const e = await time(exact);
    const a = await time(ann);
    let same = 0;
    a.found.forEach((ids, q) => (same += ids.filter((id) => e.found[q].includes(id)).length));
    const path = ann.lastSearchPath;
    const res = $('#index-result');
    res.dataset.exactNs = e.ns.toFixed(0);
    res.dataset.hnswNs = a.ns.toFixed(0);
    res.textContent =
      path === 'hnsw'
        ? `${rows.toLocaleString('en-US')} vectors × ${dim}, top 10, ${queries.length} queries: exact scan ${fmtNs(e.ns)} per query, HNSW ${fmtNs(a.ns)} (${(e.ns / a.ns).toFixed(1)}× faster, recall@10 ${(same / (queries.length * 10)).toFixed(3)}; index built in ${Math.round(buildMs)} ms).`
        : `Exact scan only: ${fmtNs(e.ns)} per query (the HNSW index is not available here: search path ${path}).`;
  } finally {
    await exact.close();
    await ann.close();
    button.disabled = false;
  }
}
