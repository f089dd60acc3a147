import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { tempDir } from '../helpers/temp-dir.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('weft-store-open-store-');
});
afterEach(() => tmp.remove());

describe('openStore', () => {
  it('returns a store on the file, with its resolved options', () => {
    const store = openStore({ path: tmp.file('s.db'), retention: { maxRuns: 3 } });
    expect(store.path).toBe(tmp.file('s.db'));
    expect(store.options.retention).toEqual({ maxRuns: 3 });
    expect(store.runs()).toEqual([]);
    store.close();
  });

  it('validates its options before touching the file', () => {
    expect(() => openStore({ path: tmp.file('s.db'), leaseTimeoutMs: -1 })).toThrow('Expected `leaseTimeoutMs` to be an integer >= 1, got `-1` (number)');
  });
});
