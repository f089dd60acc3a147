import { matchesFilter } from './filter.js';
import { isEmptySelector, type MemoryBackend, type NewRow, type StoreMeta, type StoredRow } from './backend.js';
import { KeywordIndex } from './keyword-index.js';
import type { TermStatistics } from './embedder.js';
import type { MemorySelector } from './types.js';
import type { Hit } from './vector-matrix.js';

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
 * persisted. Keyword search is a {@link KeywordIndex}, ranked as SQLite FTS5 ranks.
 */
export class InMemoryBackend implements MemoryBackend {
  readonly source = ':memory:';
  readonly persistent = false;
  private readonly rows = new Map<number, StoredRow>();
  private nextId = 1;
  private meta: StoreMeta | undefined;
  private index = new KeywordIndex();

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
      this.index.add(id, r.text);
      return id;
    });
  }

  update(id: number, r: Pick<NewRow, 'text' | 'metadata' | 'vector' | 'now'>): void {
    const old = this.rows.get(id);
    if (old === undefined) return;
    this.rows.set(id, { ...old, text: r.text, metadata: structuredClone(r.metadata), vector: r.vector.slice(), updatedAt: r.now });
    this.index.add(id, r.text);
  }

  delete(ids: readonly number[]): void {
    for (const id of ids) {
      this.rows.delete(id);
      this.index.remove(id);
    }
  }

  getMany(ids: readonly number[]): StoredRow[] {
    const out: StoredRow[] = [];
    for (const id of ids) {
      const r = this.rows.get(id);
      if (r !== undefined) out.push(copyOut(r));
    }
    return out;
  }

  recallItems(ids: readonly number[]): { rows: StoredRow[]; version: number } {
    return { rows: this.getMany(ids), version: this.externalVersion() };
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
    // Statistics over the whole store, as FTS5 computes them; the selector only filters.
    const accept = isEmptySelector(selector) ? () => true : (id: number) => matches(this.rows.get(id)!, selector);
    return this.index.search(query, accept, limit);
  }

  termStatistics(): TermStatistics {
    return { documents: this.index.documents, documentFrequency: (term) => this.index.documentFrequency(term) };
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
    this.index = new KeywordIndex();
  }
}
