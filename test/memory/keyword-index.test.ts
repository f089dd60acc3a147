import { describe, expect, it } from 'vitest';
import { fts5Idf, KeywordIndex } from '../../src/memory/keyword-index.js';

const all = () => true;

/** BM25 as FTS5 defines it, written out for a hand check (k1 1.2, b 0.75). */
function bm25(tf: number, len: number, avgdl: number, idf: number): number {
  return idf * ((tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * len) / avgdl)));
}

describe('KeywordIndex', () => {
  it('scores with FTS5 bm25: IDF floored at 1e-6, length-normalised tf, query repeats counted', () => {
    const ix = new KeywordIndex();
    ix.add(1, 'cats chase mice');
    ix.add(2, 'the cat sleeps');
    ix.add(3, 'dogs chase cats and cats run');
    ix.add(4, 'birds sing');
    const avgdl = (3 + 3 + 6 + 2) / 4;
    const idfCat = fts5Idf(4, 3);
    expect(idfCat).toBe(1e-6); // log(1.5 / 3.5) < 0
    const idfMice = Math.log(3.5 / 1.5);
    const hits = ix.search('Mice, cats!', all, 10);
    expect(hits.map((h) => h.id)).toEqual([1, 3, 2]);
    expect(hits[0].score).toBeCloseTo(bm25(1, 3, avgdl, idfMice) + bm25(1, 3, avgdl, idfCat), 12);
    expect(hits[1].score).toBeCloseTo(bm25(2, 6, avgdl, idfCat), 12);
    // A word asked twice adds its score twice.
    const twice = ix.search('mice mice', all, 1)[0].score;
    expect(twice).toBeCloseTo(2 * bm25(1, 3, avgdl, idfMice), 12);
  });

  it('matches stems: running, runs and ran-less forms meet at one term', () => {
    const ix = new KeywordIndex();
    ix.add(1, 'Libraries catalogued the collections');
    ix.add(2, 'a runner was running');
    expect(ix.search('library catalogue', all, 5).map((h) => h.id)).toEqual([1]);
    expect(ix.search('runs', all, 5).map((h) => h.id)).toEqual([2]);
    expect(ix.documentFrequency('librari')).toBe(1);
  });

  it('keeps statistics incrementally: add, replace and remove equal a fresh index', () => {
    const texts = ['alpha beta', 'beta gamma gamma', 'gamma delta', 'alpha alpha delta epsilon'];
    const grown = new KeywordIndex();
    texts.forEach((t, i) => grown.add(i + 1, t));
    grown.add(9, 'temporary words here');
    grown.add(2, 'beta beta'); // replaces row 2
    grown.remove(9);
    grown.remove(42); // unknown: nothing happens
    const fresh = new KeywordIndex();
    fresh.add(1, texts[0]);
    fresh.add(2, 'beta beta');
    fresh.add(3, texts[2]);
    fresh.add(4, texts[3]);
    expect(grown.documents).toBe(4);
    for (const q of ['alpha', 'beta gamma', 'delta epsilon alpha', 'temporary']) expect(grown.search(q, all, 10)).toEqual(fresh.search(q, all, 10));
    expect(grown.documentFrequency('temporari')).toBe(0);
  });

  it('returns the best `limit` in order, ties to the smaller id, only accepted rows, over whole-index statistics', () => {
    const ix = new KeywordIndex();
    for (let id = 1; id <= 50; id++) ix.add(id, id % 5 === 0 ? 'needle needle hay' : 'needle hay hay');
    const top = ix.search('needle', all, 7);
    expect(top.map((h) => h.id)).toEqual([5, 10, 15, 20, 25, 30, 35]);
    const even = ix.search('needle', (id) => id % 2 === 0, 3);
    expect(even.map((h) => h.id)).toEqual([10, 20, 30]);
    // Filtering does not change the statistics: the same row scores the same.
    expect(even[0].score).toBe(top[1].score);
    expect(ix.search('absent', all, 5)).toEqual([]);
    expect(new KeywordIndex().search('needle', all, 5)).toEqual([]);
    expect(ix.search('needle', all, 0)).toEqual([]);
  });
});
