import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/memory/tokenize.js';

describe('tokenize', () => {
  it('splits on anything but Unicode letters and digits, lower-cased', () => {
    expect(tokenize("Hello, World! It's 2026 — Ünïcode 東京")).toEqual(['hello', 'world', 'it', 's', '2026', 'ünïcode', '東京']);
    expect(tokenize(' ...!? ')).toEqual([]);
  });
});
