import { stemmer } from 'stemmer';

// One tokenizer for keyword search in both backends and for the hashing embedder, so that all
// see the same terms as SQLite FTS5's `porter unicode61`: Unicode letters and digits, lower-cased,
// diacritics removed (unicode61's default), then Porter-stemmed (FTS5's porter wrapper and the
// `stemmer` package implement the same 1980 algorithm: measured identical on CISI's 10,090 words).
const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;
const NON_ASCII = /[^\u0000-\u007f]/;
// FTS5's porter tokenizer leaves tokens longer than 64 bytes as they are.
const PORTER_MAX_BYTES = 64;
const encoder = new TextEncoder();

/** The lower-cased words of `text`, in order (the hashing embedder v1's tokenizer: no folding). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** The words of `text` as unicode61 splits them: lower-cased, diacritics removed, in order. */
export function words(text: string): string[] {
  const lower = text.toLowerCase();
  // NFD only when something could carry a diacritic: most texts are ASCII.
  const folded = NON_ASCII.test(lower) ? lower.normalize('NFD').replace(MARKS, '') : lower;
  return folded.match(WORD) ?? [];
}

// Stemming runs a dozen regular expressions per word; texts repeat words, so stems are memoised
// (bounded: the cache is dropped when full rather than grown without limit).
const STEM_CACHE_SIZE = 50_000;
let stems = new Map<string, string>();

/** The Porter stem of one word from {@link words}, as FTS5's porter tokenizer computes it. */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s !== undefined) return s;
  s = word.length > PORTER_MAX_BYTES / 4 && encoder.encode(word).length > PORTER_MAX_BYTES ? word : stemmer(word);
  if (stems.size >= STEM_CACHE_SIZE) stems = new Map();
  stems.set(word, s);
  return s;
}

/** The indexed terms of `text` (stemmed words, repeats kept), as FTS5 `porter unicode61` indexes them. */
export function terms(text: string): string[] {
  return words(text).map(stem);
}
