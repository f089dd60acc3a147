import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemory } from '../../src/memory/create-memory.js';
import { createHashingEmbedder } from '../../src/memory/hashing-embedder.js';
import { SCHEMA_VERSION } from '../../src/memory/sqlite-backend.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('weft-migrate-');
afterAll(() => tmp.remove());

// Written by weft 0.1 (see test/fixtures/ir-sample/README.md): schema 1, FTS5 unicode61, hashing-v1.
const OLD = fileURLToPath(new URL('../fixtures/ir-sample/memory-v1.db', import.meta.url));

function copyOld(name: string): string {
  const path = tmp.file(name);
  copyFileSync(OLD, path);
  return path;
}

const ftsSql = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return {
      sql: db.prepare("SELECT sql FROM sqlite_master WHERE name = 'weft_memory_fts'").pluck().get() as string,
      schema: db.prepare("SELECT value FROM weft_memory_meta WHERE key = 'schema'").pluck().get() as string,
    };
  } finally {
    db.close();
  }
};

describe('SqliteBackend migration of older files', () => {
  it("rebuilds a schema-1 file's FTS index with porter, keeping every item, and opens it with its embedder", async () => {
    const path = copyOld('old.db');
    expect(ftsSql(path)).toEqual({ sql: expect.not.stringContaining('porter'), schema: '1' });
    // Without stemming, 'library' could not find 'libraries'.
    const m = await createMemory({ path });
    expect(ftsSql(path)).toEqual({ sql: expect.stringContaining("tokenize='porter unicode61'"), schema: String(SCHEMA_VERSION) });
    expect(m.embedder.id).toBe('hashing-v1:uni+bi');
    expect(m.count()).toBe(7);
    expect(m.entity('ada')?.text).toBe('Ada prefers indexed searches');
    const hits = await m.recall('library catalogues', { mode: 'keyword' });
    expect(hits.map((h) => h.text)).toEqual(['The libraries catalogued their books by subject.', 'A catalogue of library holdings helps readers find books.']);
    expect((await m.recall('running', { mode: 'keyword' })).map((h) => h.text)).toEqual(['Running experiments on retrieval systems.', 'She runs the information retrieval laboratory.']);
    // The old vectors still answer (same embedder), and new items join the rebuilt index.
    expect((await m.recall('library holdings', { k: 1 }))[0].text).toBe('A catalogue of library holdings helps readers find books.');
    await m.remember('Ranking functions weigh rare terms');
    expect((await m.recall('ranked term', { mode: 'keyword' }))[0].text).toBe('Ranking functions weigh rare terms');
    await m.close();

    // Reopened: already current, nothing rebuilt, same answers.
    const again = await createMemory({ path });
    expect((await again.recall('library catalogues', { mode: 'keyword' })).map((h) => h.id)).toEqual(hits.map((h) => h.id));
    expect(again.count()).toBe(8);
    await again.close();
  });

  it('still refuses another embedder on an old file, and an explicit version-1 embedder opens it', async () => {
    const path = copyOld('explicit.db');
    const wrong = await createMemory({ path, embedder: createHashingEmbedder() }).catch((e: unknown) => e);
    expect((wrong as { code?: string }).code).toBe('EMBEDDER_MISMATCH');
    const wrongDim = await createMemory({ path, dim: 128 }).catch((e: unknown) => e);
    expect((wrongDim as { code?: string }).code).toBe('DIMENSION_MISMATCH');
    const m = await createMemory({ path, embedder: createHashingEmbedder({ version: 1 }) });
    expect(m.count()).toBe(7);
    await m.close();
  });

  it('migrates once when two connections open the same old file', async () => {
    const path = copyOld('twice.db');
    const [a, b] = await Promise.all([createMemory({ path }), createMemory({ path })]);
    for (const m of [a, b]) expect((await m.recall('libraries', { mode: 'keyword' })).length).toBe(2);
    await a.close();
    await b.close();
    const db = new Database(path);
    // The index holds each item once: an integrity check of the external-content table passes.
    expect(() => db.exec("INSERT INTO weft_memory_fts(weft_memory_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    db.close();
  });

  it('refuses a file written by a newer weft', async () => {
    const path = copyOld('newer.db');
    const db = new Database(path);
    db.prepare("UPDATE weft_memory_meta SET value = '99' WHERE key = 'schema'").run();
    db.close();
    const error = await createMemory({ path }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('INVALID_STATE');
    expect((error as Error).message).toContain('schema 99');
  });

  it('creates new files at the current schema with the new default embedder', async () => {
    const path = tmp.file('new.db');
    const m = await createMemory({ path });
    expect(m.embedder.id).toBe('hashing-v2:uni');
    await m.close();
    expect(ftsSql(path).schema).toBe(String(SCHEMA_VERSION));
  });
});
