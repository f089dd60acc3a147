import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stem, terms, tokenize, words } from '../../src/memory/tokenize.js';

const sample = JSON.parse(readFileSync(new URL('../fixtures/ir-sample/sample.json', import.meta.url), 'utf8')) as { docs: string[]; queries: string[] };

describe('tokenize', () => {
  it('splits on anything but Unicode letters and digits, lower-cased', () => {
    expect(tokenize("Hello, World! It's 2026 — Ünïcode 東京")).toEqual(['hello', 'world', 'it', 's', '2026', 'ünïcode', '東京']);
    expect(tokenize(' ...!? ')).toEqual([]);
  });
});

describe('words, stem and terms', () => {
  it('fold diacritics as unicode61 does, then stem with Porter', () => {
    expect(words('Café Ünïcode naïve 東京')).toEqual(['cafe', 'unicode', 'naive', '東京']);
    expect(terms('The libraries were running connections')).toEqual(['the', 'librari', 'were', 'run', 'connect']);
    expect(stem('ab')).toBe('ab');
    const long = 'x'.repeat(70) + 'ing';
    expect(stem(long)).toBe(long); // FTS5 leaves tokens over 64 bytes unstemmed
  });

  it('index the same terms as SQLite FTS5 porter unicode61 (every word of the sample, accents included)', () => {
    const texts = [...sample.docs, ...sample.queries, 'Café résumé naïve façade Ångström', 'running generalizations relational conditional'];
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE f USING fts5(t, tokenize='porter unicode61'); CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance');");
    const insert = db.prepare('INSERT INTO f (rowid, t) VALUES (?, ?)');
    texts.forEach((t, i) => insert.run(i + 1, t));
    const rows = db.prepare('SELECT doc, term FROM v ORDER BY doc, "offset"').all() as { doc: number; term: string }[];
    const byDoc = new Map<number, string[]>();
    for (const r of rows) byDoc.set(r.doc, [...(byDoc.get(r.doc) ?? []), r.term]);
    texts.forEach((t, i) => expect(terms(t)).toEqual(byDoc.get(i + 1) ?? []));
    db.close();
  });
});
