import { matchesFilter } from './filter.js';
import type { MemoryBackend, NewRow, StoreMeta, StoredRow } from './backend.js';
import { tokenize } from './tokenize.js';
import type { MemorySelector } from './types.js';
import type { Hit } from './vector-matrix.js';

// BM25 parameters, SQLite FTS5's defaults, so both backends rank keywords alike.
const K1 = 1.2;
const B = 0.75;

function matches(row: StoredRow, s: MemorySelector): boolean {
  return (
    (s.scope === undefined || row.scope === s.scope) &&
    (s.runId === undefined || row.runId === s.runId) &&
    (s.entity === undefined || row.entity === s.entity) &&
    (s.filter === undefined || matchesFilter(row.metadata, s.filter))
  );
}

/** A row as handed out: callers own its metadata (as SQLite's parsed copies), never the stored one. */
function copyOut(r: StoredRow): StoredRow {
  return { ...r, metadata: structuredClone(r.metadata) };
}

/**
 * The browser backend: the same interface as {@link SqliteBackend} over plain maps, nothing
 * persisted. Keyword search is BM25 computed on the fly over the selected rows.
 */
export class InMemoryBackend implements MemoryBackend {
  readonly source = ':memory:';
  readonly persistent = false;
  private readonly rows = new Map<number, StoredRow>();
  private nextId = 1;
  private meta: StoreMeta | undefined;

  readMeta(): StoreMeta | undefined {
    return this.meta;
  }

  writeMeta(meta: StoreMeta): void {
    this.meta = meta;
  }

  insert(rows: readonly NewRow[]): number[] {
    return rows.map((r) => {
      const id = this.nextId++;
      this.rows.set(id, {
        id,
        scope: r.scope,
        runId: r.runId,
        entity: r.entity,
        text: r.text,
        metadata: structuredClone(r.metadata),
        vector: r.vector.slice(),
        createdAt: r.now,
        updatedAt: r.now,
      });
      return id;
    });
  }

  update(id: number, r: Pick<NewRow, 'text' | 'metadata' | 'vector' | 'now'>): void {
    const old = this.rows.get(id);
    if (old === undefined) return;
    this.rows.set(id, { ...old, text: r.text, metadata: structuredClone(r.metadata), vector: r.vector.slice(), updatedAt: r.now });
  }

  delete(ids: readonly number[]): void {
    for (const id of ids) this.rows.delete(id);
  }

  getMany(ids: readonly number[]): StoredRow[] {
    const out: StoredRow[] = [];
    for (const id of ids) {
      const r = this.rows.get(id);
      if (r !== undefined) out.push(copyOut(r));
    }
    return out;
  }

  findEntity(name: string): StoredRow | undefined {
    for (const r of this.rows.values()) if (r.scope === 'entity' && r.entity === name) return copyOut(r);
    return undefined;
  }

  list(selector: MemorySelector, limit: number, offset: number): StoredRow[] {
    const out: StoredRow[] = [];
    let skipped = 0;
    for (const r of this.rows.values()) {
      if (out.length >= limit) break;
      if (!matches(r, selector)) continue;
      if (skipped++ < offset) continue;
      out.push(copyOut(r));
    }
    return out;
  }

  ids(selector: MemorySelector): number[] {
    const out: number[] = [];
    for (const r of this.rows.values()) if (matches(r, selector)) out.push(r.id);
    return out;
  }

  count(selector: MemorySelector): number {
    return this.ids(selector).length;
  }

  *vectors(): Iterable<{ id: number; vector: Float32Array }> {
    for (const r of this.rows.values()) yield { id: r.id, vector: r.vector };
  }

  keyword(query: string, selector: MemorySelector, limit: number): Hit[] {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0) return [];
    // Statistics over the whole store, as FTS5 computes them.
    const docs = [...this.rows.values()].map((r) => ({ row: r, words: tokenize(r.text) }));
    const n = docs.length;
    const avg = docs.reduce((a, d) => a + d.words.length, 0) / Math.max(1, n);
    const df = new Map(terms.map((t) => [t, docs.filter((d) => d.words.includes(t)).length]));
    const hits: Hit[] = [];
    for (const d of docs) {
      if (!matches(d.row, selector)) continue;
      let score = 0;
      for (const t of terms) {
        const tf = d.words.filter((w) => w === t).length;
        if (tf === 0) continue;
        // FTS5's idf: no +1 smoothing, but never below 1e-6 (a word in most rows still counts a little).
        const idf = Math.max(1e-6, Math.log((n - df.get(t)! + 0.5) / (df.get(t)! + 0.5)));
        score += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.words.length) / avg));
      }
      if (score > 0) hits.push({ id: d.row.id, score });
    }
    hits.sort((a, b) => b.score - a.score || a.id - b.id);
    return hits.slice(0, limit);
  }

  loadIndex(): Uint8Array | undefined {
    return undefined;
  }

  saveIndex(): void {}

  externalVersion(): number {
    return 0;
  }

  close(): void {
    this.rows.clear();
  }
}
