import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemory } from '../../src/memory/create-memory.js';
import type { Memory } from '../../src/memory/memory.js';
import { tempDir } from '../helpers/temp-dir.js';
import { clusteredVectors } from './clustered-vectors.js';

const tmp = tempDir('weft-memory-ann-');
afterAll(() => tmp.remove());

// weft's own HNSW through the API: a real SQLite file, reopened; vectors from a plug-in embedder
// (the text is the vector's index).
const DIM = 16;
const vectors = clusteredVectors(1500, DIM, { seed: 3, centres: 8, noise: 0.3, cycle: true });
const embedder = async (texts: readonly string[]) => texts.map((t) => vectors[Number(t.split(' ')[1])]);
const texts = vectors.map((_, i) => ({ text: `v ${i}`, metadata: { half: i % 2 === 0 ? 'even' : 'odd' } }));
const open = (file: string, extra: object = {}) => createMemory({ path: tmp.file(file), dim: DIM, embedder, hnswThreshold: 500, ...extra });
const top = async (m: Memory, q: number, options = {}) => (await m.recall(`v ${q}`, { k: 10, ...options })).map((h) => h.text);

describe('memory with the weft HNSW index', () => {
  it('is the default, saves into the SQLite file and serves from it after reopening', async () => {
    const m = await open('persist.db');
    await m.rememberMany(texts);
    await m.whenIndexed();
    expect(m.indexed).toBe(true);
    const before = await top(m, 42);
    expect(m.lastSearchPath).toBe('hnsw');
    await m.close();
    const db = new Database(tmp.file('persist.db'), { readonly: true });
    const { bytes } = db.prepare('SELECT bytes FROM weft_memory_index').get() as { bytes: Buffer };
    db.close();
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('WHNW');
    const again = await open('persist.db');
    // Loaded, not rebuilt: indexed before any background work could run.
    expect(again.indexed).toBe(true);
    expect(await top(again, 42)).toEqual(before);
    expect(again.lastSearchPath).toBe('hnsw');
    await again.close();
  });

  it('rebuilds from the vectors when the saved index is corrupt', async () => {
    const m = await open('corrupt.db');
    await m.rememberMany(texts);
    await m.whenIndexed();
    const before = await top(m, 7);
    await m.close();
    const db = new Database(tmp.file('corrupt.db'));
    const { bytes } = db.prepare('SELECT bytes FROM weft_memory_index').get() as { bytes: Buffer };
    const bad = Buffer.from(bytes);
    bad.writeUInt32LE(0xffffffff, 64 + 1500 * DIM * 4 + 1500 * 4 + 4); // a link past the last node
    db.prepare('UPDATE weft_memory_index SET bytes = ?').run(bad);
    db.close();
    const again = await open('corrupt.db');
    expect(again.indexed).toBe(false);
    expect(await top(again, 7)).toEqual(before);
    expect(again.lastSearchPath).toBe('exact');
    await again.whenIndexed();
    expect(again.indexed).toBe(true);
    expect(await top(again, 7)).toEqual(before);
    await again.close();
  });

  it('rebuilds an index saved by hnswlib-wasm, and the other way round', async () => {
    const m = await open('kinds.db', { index: 'hnswlib-wasm' });
    await m.rememberMany(texts);
    await m.whenIndexed();
    await m.close();
    const weft = await open('kinds.db');
    expect(weft.indexed).toBe(false);
    await weft.whenIndexed();
    expect(weft.indexed).toBe(true);
    await weft.close();
    const lib = await open('kinds.db', { index: 'hnswlib-wasm' });
    expect(lib.indexed).toBe(false);
    await lib.whenIndexed();
    expect(lib.indexed).toBe(true);
    await lib.close();
  });

  it('keeps filtered recall correct through the index and never returns forgotten items', async () => {
    const m = await open('filter.db', { exactFilterLimit: 100 });
    const items = await m.rememberMany(texts);
    await m.whenIndexed();
    const even = await m.recall('v 10', { k: 10, filter: { half: 'even' } });
    expect(m.lastSearchPath).toBe('hnsw-filtered');
    expect(even).toHaveLength(10);
    expect(even.every((h) => h.metadata.half === 'even')).toBe(true);
    const gone = items.filter((_, i) => i % 5 === 0).map((it) => it.id);
    m.forget(gone);
    const set = new Set(gone);
    for (let q = 0; q < 40; q++) {
      const hits = await m.recall(`v ${q * 37}`, { k: 10 });
      expect(hits).toHaveLength(10);
      expect(hits.some((h) => set.has(h.id))).toBe(false);
    }
    await m.close();
  });

  it('repairs by rebuilding once tombstones pass a quarter of the graph', async () => {
    const m = await open('repair.db');
    const items = await m.rememberMany(texts);
    await m.whenIndexed();
    m.forget(items.slice(0, 600).map((it) => it.id));
    await m.whenIndexed();
    const exact = await createMemory({ dim: DIM, embedder, hnswThreshold: Infinity });
    await exact.rememberMany(texts.slice(600));
    let found = 0;
    for (let q = 600; q < 1500; q += 30) {
      const truth = new Set(await top(exact, q));
      found += (await top(m, q)).filter((t) => truth.has(t)).length;
      expect(m.lastSearchPath).toBe('hnsw');
    }
    expect(found / 300).toBeGreaterThanOrEqual(0.95);
    await m.close();
    // The saved index is the rebuilt one: no tombstones in its header (offset 36).
    const db = new Database(tmp.file('repair.db'), { readonly: true });
    const { bytes } = db.prepare('SELECT bytes FROM weft_memory_index').get() as { bytes: Buffer };
    db.close();
    expect(bytes.readInt32LE(36)).toBe(0);
    expect(bytes.readInt32LE(20)).toBe(900);
    await exact.close();
  });

  it('validates the index option', async () => {
    await expect(createMemory({ dim: DIM, embedder, index: 'faiss' as never })).rejects.toThrow(
      "Expected `index` to be one of 'weft', 'hnswlib-wasm', got `\"faiss\"` (string)",
    );
  });
});
