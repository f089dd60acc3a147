// One tokenizer for the hashing embedder and the in-memory keyword search, so that both see the
// same words: Unicode letters and digits, lower-cased (SQLite FTS5's unicode61 does the same).
const WORD = /[\p{L}\p{N}]+/gu;

/** The lower-cased words of `text`, in order. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}
