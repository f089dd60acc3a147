import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { encodeValue, tagsOf } from './filter.js';
import type { MemoryBackend, NewRow, StoreMeta, StoredRow } from './backend.js';
import type { TermStatistics } from './embedder.js';
import { InvalidStateError } from '../errors.js';
import { checkInteger } from '../internal/validate.js';
import { words } from './tokenize.js';
import type { MemoryMetadata, MemoryScope, MemorySelector } from './types.js';
import type { Hit } from './vector-matrix.js';

/**
 * The file format's version, in `weft_memory_meta` under `schema`. 1: FTS5 with `unicode61`
 * (weft 0.1); 2: FTS5 with `porter unicode61` and an `fts5vocab` table for document frequencies.
 */
export const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS weft_memory_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS weft_memory_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  scope TEXT NOT NULL,
  run_id TEXT,
  entity TEXT,
  text TEXT NOT NULL,
  metadata TEXT NOT NULL,
  vector BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS weft_memory_items_scope ON weft_memory_items (scope, run_id);
CREATE UNIQUE INDEX IF NOT EXISTS weft_memory_items_entity ON weft_memory_items (entity) WHERE scope = 'entity';
CREATE TABLE IF NOT EXISTS weft_memory_tags (
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  item_id INTEGER NOT NULL,
  PRIMARY KEY (key, value, item_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS weft_memory_tags_item ON weft_memory_tags (item_id);
CREATE VIRTUAL TABLE IF NOT EXISTS weft_memory_fts USING fts5(text, content='weft_memory_items', content_rowid='id', tokenize='porter unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS weft_memory_vocab USING fts5vocab(weft_memory_fts, 'row');
CREATE TRIGGER IF NOT EXISTS weft_memory_fts_ai AFTER INSERT ON weft_memory_items BEGIN
  INSERT INTO weft_memory_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS weft_memory_fts_ad AFTER DELETE ON weft_memory_items BEGIN
  INSERT INTO weft_memory_fts(weft_memory_fts, rowid, text) VALUES ('delete', old.id, old.text);
  DELETE FROM weft_memory_tags WHERE item_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS weft_memory_fts_au AFTER UPDATE OF text ON weft_memory_items BEGIN
  INSERT INTO weft_memory_fts(weft_memory_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO weft_memory_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TABLE IF NOT EXISTS weft_memory_index (id INTEGER PRIMARY KEY CHECK (id = 1), bytes BLOB NOT NULL);
`;

interface Row {
  id: number;
  scope: MemoryScope;
  run_id: string | null;
  entity: string | null;
  text: string;
  metadata: string;
  vector: Buffer | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, scope, run_id, entity, text, metadata, vector, created_at, updated_at';
/**
 * The columns of an item without its vector, read as raw arrays in this order (see
 * {@link fromItemArray}), after the store's data_version as of the same read (for recall).
 */
const ITEM_COLUMNS = '(SELECT data_version FROM pragma_data_version), id, scope, run_id, entity, text, metadata, created_at, updated_at';
type ItemArray = [number, number, MemoryScope, string | null, string | null, string, string, number, number];
const NO_VECTOR = new Float32Array(0);
/**
 * Reads of up to this many items by id use a statement of that many `?` (one per count, prepared
 * once): a recall's k rows are one cached statement with no JSON to write or parse.
 */
const FIXED_ARITY_MAX = 64;

function toBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

function fromBlob(b: Buffer): Float32Array {
  // Copy: the Buffer may be unaligned for a Float32Array view.
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

function toStored(r: Row): StoredRow {
  return {
    id: r.id,
    scope: r.scope,
    runId: r.run_id,
    entity: r.entity,
    text: r.text,
    metadata: JSON.parse(r.metadata) as MemoryMetadata,
    vector: r.vector === null ? NO_VECTOR : fromBlob(r.vector),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function fromItemArray(r: ItemArray): StoredRow {
  return {
    id: r[1],
    scope: r[2],
    runId: r[3],
    entity: r[4],
    text: r[5],
    metadata: JSON.parse(r[6]) as MemoryMetadata,
    vector: NO_VECTOR,
    createdAt: r[7],
    updatedAt: r[8],
  };
}

/** A WHERE clause (over `weft_memory_items` as `i`) and its parameters for a selector. */
function where(s: MemorySelector): [string, unknown[]] {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (s.scope !== undefined) {
    parts.push('i.scope = ?');
    params.push(s.scope);
  }
  if (s.runId !== undefined) {
    parts.push('i.run_id = ?');
    params.push(s.runId);
  }
  if (s.entity !== undefined) {
    parts.push('i.entity = ?');
    params.push(s.entity);
  }
  for (const [key, value] of Object.entries(s.filter ?? {})) {
    // One indexed lookup per condition (primary key of weft_memory_tags).
    parts.push('i.id IN (SELECT item_id FROM weft_memory_tags WHERE key = ? AND value = ?)');
    params.push(key, encodeValue(value));
  }
  return [parts.length ? `WHERE ${parts.join(' AND ')}` : '', params];
}

/** Options of {@link SqliteBackend}. */
export interface SqliteBackendOptions {
  /** Milliseconds to wait for another connection's write lock. @default 5000 */
  readonly busyTimeoutMs?: number;
  /**
   * Bytes of the file SQLite reads through a memory map instead of `read()` calls into its page
   * cache (2 MB by default): a recall's k rows are random pages of a file that outgrows that
   * cache (10 rows of 100K: 60 µs read, 45 µs mapped, measured). 0 turns the map off.
   * @default 268435456 (256 MiB; address space, not memory: pages come from the OS cache)
   */
  readonly mmapBytes?: number;
}

/**
 * The Node backend: one SQLite file through better-sqlite3, in WAL mode (readers do not block
 * the writer), with prepared statements, vectors as Float32 BLOBs, metadata as JSON plus an
 * indexed key/value table for equality filters, FTS5 for keywords, and the HNSW index as a BLOB.
 */
export class SqliteBackend implements MemoryBackend {
  readonly source: string;
  readonly persistent: boolean;
  private readonly db: Db;
  private readonly stmts: {
    insert: Statement;
    tag: Statement;
    update: Statement;
    untag: Statement;
    remove: Statement;
    byId: Statement;
    byIds: Statement;
    itemsByIds: Statement;
    entity: Statement;
    vectors: Statement;
    metaGet: Statement;
    metaSet: Statement;
    indexGet: Statement;
    indexSet: Statement;
    indexDrop: Statement;
    rows: Statement;
    documentFrequency: Statement;
    dataVersion: Statement;
  };
  /** `itemsByArity[n]`: the items of n ids, for n up to {@link FIXED_ARITY_MAX}. */
  private readonly itemsByArity: Statement[] = [];
  // Statements whose WHERE depends on the selector's shape: prepared once per distinct SQL.
  private readonly dynamic = new Map<string, Statement>();
  // Document frequencies for termStatistics(); `documents` is -1 after a write of ours (recounted on use).
  private termCache = { version: -1, documents: -1, countedAt: -1, counts: new Map<string, number>() };
  private readonly insertTx: (rows: readonly NewRow[]) => number[];
  private readonly deleteTx: (ids: readonly number[]) => void;
  private readonly updateTx: (id: number, row: Pick<NewRow, 'text' | 'metadata' | 'vector' | 'now'>) => void;

  /**
   * @param path - the database file (created when missing), or `:memory:`
   * @param options - see {@link SqliteBackendOptions}
   */
  constructor(path: string, options: SqliteBackendOptions = {}) {
    this.source = path;
    this.persistent = path !== ':memory:' && path !== '';
    const mmapBytes = checkInteger('mmapBytes', options.mmapBytes ?? 268_435_456, 0);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.db.pragma(`mmap_size = ${mmapBytes}`);
    this.migrate();
    this.db.exec(SCHEMA);
    const db = this.db;
    this.stmts = {
      insert: db.prepare(
        'INSERT INTO weft_memory_items (scope, run_id, entity, text, metadata, vector, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      tag: db.prepare('INSERT OR IGNORE INTO weft_memory_tags (key, value, item_id) VALUES (?, ?, ?)'),
      update: db.prepare('UPDATE weft_memory_items SET text = ?, metadata = ?, vector = ?, updated_at = ? WHERE id = ?'),
      untag: db.prepare('DELETE FROM weft_memory_tags WHERE item_id = ?'),
      remove: db.prepare('DELETE FROM weft_memory_items WHERE id = ?'),
      byId: db.prepare(`SELECT ${COLUMNS} FROM weft_memory_items WHERE id = ?`),
      byIds: db.prepare(`SELECT ${COLUMNS} FROM weft_memory_items WHERE id IN (SELECT value FROM json_each(?))`),
      itemsByIds: db.prepare(`SELECT ${ITEM_COLUMNS} FROM weft_memory_items WHERE id IN (SELECT value FROM json_each(?))`).raw(true),
      entity: db.prepare(`SELECT ${COLUMNS} FROM weft_memory_items WHERE scope = 'entity' AND entity = ?`),
      vectors: db.prepare('SELECT id, vector FROM weft_memory_items'),
      metaGet: db.prepare('SELECT key, value FROM weft_memory_meta'),
      metaSet: db.prepare('INSERT OR REPLACE INTO weft_memory_meta (key, value) VALUES (?, ?)'),
      indexGet: db.prepare('SELECT bytes FROM weft_memory_index WHERE id = 1'),
      indexSet: db.prepare('INSERT OR REPLACE INTO weft_memory_index (id, bytes) VALUES (1, ?)'),
      indexDrop: db.prepare('DELETE FROM weft_memory_index'),
      rows: db.prepare('SELECT count(*) FROM weft_memory_items').pluck(),
      documentFrequency: db.prepare('SELECT doc FROM weft_memory_vocab WHERE term = ?').pluck(),
      // Prepared once: db.pragma() prepares its statement on every call (7 µs, twice per recall).
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
    };
    this.insertTx = db.transaction((rows: readonly NewRow[]) =>
      rows.map((r) => {
        const id = Number(
          this.stmts.insert.run(r.scope, r.runId, r.entity, r.text, JSON.stringify(r.metadata), toBlob(r.vector), r.now, r.now)
            .lastInsertRowid,
        );
        for (const [k, v] of tagsOf(r.metadata)) this.stmts.tag.run(k, v, id);
        return id;
      }),
    );
    this.deleteTx = db.transaction((ids: readonly number[]) => {
      for (const id of ids) this.stmts.remove.run(id);
    });
    this.updateTx = db.transaction((id: number, r: Pick<NewRow, 'text' | 'metadata' | 'vector' | 'now'>) => {
      this.stmts.update.run(r.text, JSON.stringify(r.metadata), toBlob(r.vector), r.now, id);
      this.stmts.untag.run(id);
      for (const [k, v] of tagsOf(r.metadata)) this.stmts.tag.run(k, v, id);
    });
  }

  /**
   * Brings a file written by an older weft up to {@link SCHEMA_VERSION}: a schema-1 file's FTS
   * index (unicode61) is dropped and rebuilt from the items with `porter unicode61`. One
   * immediate transaction, so a second connection opening the same file waits, then sees it done.
   */
  private migrate(): void {
    const db = this.db;
    // The file's schema version; undefined for a new file (SCHEMA creates the current version).
    const version = (): number | undefined => {
      const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'weft_memory_meta'").get() !== undefined;
      if (!hasMeta) return undefined;
      const stored = db.prepare("SELECT value FROM weft_memory_meta WHERE key = 'schema'").pluck().get() as string | undefined;
      return stored === undefined ? 1 : Number(stored);
    };
    const before = version();
    if (before !== undefined && before > SCHEMA_VERSION) {
      throw new InvalidStateError(`memory ${this.source} has schema ${before}, written by a newer weft (this one reads up to ${SCHEMA_VERSION})`);
    }
    if (before === undefined || before === SCHEMA_VERSION) return; // no write lock taken for nothing
    db.transaction(() => {
      if (version() !== before) return; // another connection migrated it meanwhile
      db.exec('DROP TABLE IF EXISTS weft_memory_vocab; DROP TABLE IF EXISTS weft_memory_fts;');
      db.exec(SCHEMA);
      // An external-content table rebuilds its index from the content table (weft_memory_items).
      db.exec("INSERT INTO weft_memory_fts(weft_memory_fts) VALUES ('rebuild')");
      db.prepare("INSERT OR REPLACE INTO weft_memory_meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
    }).immediate();
  }

  private prepare(sql: string): Statement {
    let stmt = this.dynamic.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.dynamic.set(sql, stmt);
    }
    return stmt;
  }

  readMeta(): StoreMeta | undefined {
    const rows = this.stmts.metaGet.all() as { key: string; value: string }[];
    const m = new Map(rows.map((r) => [r.key, r.value]));
    if (!m.has('dim') || !m.has('embedder')) return undefined;
    return { dim: Number(m.get('dim')), embedder: m.get('embedder')! };
  }

  writeMeta(meta: StoreMeta): void {
    this.db.transaction(() => {
      this.stmts.metaSet.run('dim', String(meta.dim));
      this.stmts.metaSet.run('embedder', meta.embedder);
      this.stmts.metaSet.run('schema', String(SCHEMA_VERSION));
    })();
  }

  insert(rows: readonly NewRow[]): number[] {
    this.termCache.documents = -1;
    return this.insertTx(rows);
  }

  update(id: number, row: Pick<NewRow, 'text' | 'metadata' | 'vector' | 'now'>): void {
    this.updateTx(id, row);
  }

  delete(ids: readonly number[]): void {
    this.termCache.documents = -1;
    this.deleteTx(ids);
  }

  getMany(ids: readonly number[], vectors = true): StoredRow[] {
    if (!vectors) return this.recallItems(ids).rows;
    if (ids.length === 1) {
      const r = this.stmts.byId.get(ids[0]) as Row | undefined;
      return r === undefined ? [] : [toStored(r)];
    }
    // One statement for the lot, then back into the order asked.
    const rows = new Map((this.stmts.byIds.all(JSON.stringify(ids)) as Row[]).map((r) => [r.id, r]));
    const out: StoredRow[] = [];
    for (const id of ids) {
      const r = rows.get(id);
      if (r !== undefined) out.push(toStored(r));
    }
    return out;
  }

  /**
   * Items without their vectors, in the order asked (what a recall returns), and data_version
   * read by the same statement: one cached statement for the lot, read as arrays rather than one
   * object per row and column name.
   */
  recallItems(ids: readonly number[]): { rows: StoredRow[]; version: number } {
    const n = ids.length;
    if (n === 0) return { rows: [], version: this.externalVersion() };
    let rows: ItemArray[];
    if (n <= FIXED_ARITY_MAX) {
      let stmt = this.itemsByArity[n];
      if (stmt === undefined) {
        stmt = this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM weft_memory_items WHERE id IN (${'?, '.repeat(n - 1)}?)`).raw(true);
        this.itemsByArity[n] = stmt;
      }
      rows = stmt.all(...ids) as ItemArray[];
    } else {
      rows = this.stmts.itemsByIds.all(JSON.stringify(ids)) as ItemArray[];
    }
    // No row found, no version read with them.
    const version = rows.length > 0 ? rows[0][0] : this.externalVersion();
    const out: StoredRow[] = [];
    if (n > FIXED_ARITY_MAX) {
      const byId = new Map(rows.map((r) => [r[1], r]));
      for (const id of ids) {
        const r = byId.get(id);
        if (r !== undefined) out.push(fromItemArray(r));
      }
      return { rows: out, version };
    }
    // SQLite returns them by rowid; a recall's k are few, so a scan per id beats building a map.
    for (const id of ids) {
      for (const r of rows) {
        if (r[1] === id) {
          out.push(fromItemArray(r));
          break;
        }
      }
    }
    return { rows: out, version };
  }

  findEntity(name: string): StoredRow | undefined {
    const r = this.stmts.entity.get(name) as Row | undefined;
    return r === undefined ? undefined : toStored(r);
  }

  list(selector: MemorySelector, limit: number, offset: number): StoredRow[] {
    const [w, params] = where(selector);
    const rows = this
      .prepare(`SELECT ${COLUMNS} FROM weft_memory_items i ${w} ORDER BY i.id LIMIT ? OFFSET ?`)
      .all(...params, limit === Infinity ? -1 : limit, offset) as Row[];
    return rows.map(toStored);
  }

  ids(selector: MemorySelector): number[] {
    const [w, params] = where(selector);
    return this.prepare(`SELECT i.id FROM weft_memory_items i ${w}`).pluck().all(...params) as number[];
  }

  count(selector: MemorySelector): number {
    const [w, params] = where(selector);
    return this.prepare(`SELECT count(*) FROM weft_memory_items i ${w}`).pluck().get(...params) as number;
  }

  *vectors(): Iterable<{ id: number; vector: Float32Array }> {
    for (const r of this.stmts.vectors.iterate() as Iterable<{ id: number; vector: Buffer }>) {
      yield { id: r.id, vector: fromBlob(r.vector) };
    }
  }

  keyword(query: string, selector: MemorySelector, limit: number): Hit[] {
    const ws = words(query);
    if (ws.length === 0) return [];
    // Each word quoted, so FTS5 syntax in user text (AND, NEAR, *, ") is taken literally; repeats
    // stay (FTS5 counts each phrase: a word asked twice weighs twice, as in the in-memory index).
    const match = ws.map((w) => `"${w.replace(/"/g, '""')}"`).join(' OR ');
    const [w, params] = where(selector);
    const rows = this
      .prepare(
        `SELECT f.rowid AS id, bm25(weft_memory_fts) AS rank FROM weft_memory_fts f JOIN weft_memory_items i ON i.id = f.rowid ` +
          `${w ? `${w} AND` : 'WHERE'} weft_memory_fts MATCH ? ORDER BY rank, f.rowid LIMIT ?`,
      )
      .all(...params, match, limit) as { id: number; rank: number }[];
    return rows.map((r) => ({ id: r.id, score: -r.rank }));
  }

  termStatistics(): TermStatistics {
    // fts5vocab counts a term's rows by walking its doclist (0.17 ms for a term in 3,000 of 10K
    // rows), so counts are cached until another connection writes or the number of items moves
    // by more than 1%: IDF that stale changes no ranking noticeably, and a query stays cheap.
    const version = this.externalVersion();
    let c = this.termCache;
    if (version !== c.version) c = this.termCache = { version, documents: -1, countedAt: -1, counts: new Map() };
    if (c.documents < 0) c.documents = this.stmts.rows.get() as number;
    if (Math.abs(c.documents - c.countedAt) > Math.floor(c.countedAt / 100)) {
      c.counts = new Map();
      c.countedAt = c.documents;
    }
    const { counts } = c;
    const stmt = this.stmts.documentFrequency;
    return {
      documents: c.documents,
      documentFrequency(term) {
        let n = counts.get(term);
        if (n === undefined) counts.set(term, (n = (stmt.get(term) as number | undefined) ?? 0));
        return n;
      },
    };
  }

  loadIndex(): Uint8Array | undefined {
    const r = this.stmts.indexGet.get() as { bytes: Buffer } | undefined;
    return r === undefined ? undefined : new Uint8Array(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
  }

  saveIndex(bytes: Uint8Array | undefined): void {
    if (bytes === undefined) this.stmts.indexDrop.run();
    else this.stmts.indexSet.run(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  externalVersion(): number {
    // Changes only when another connection commits (SQLite's data_version).
    return this.stmts.dataVersion.get() as number;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
