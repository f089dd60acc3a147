import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getKernels } from '../../src/kernels/index.js';
import { BlobStore } from '../../src/store/blobs.js';
import { openStore } from '../../src/store/run-store.js';
import { tempDir } from '../helpers/temp-dir.js';

let tmp: ReturnType<typeof tempDir>;
let db: Database.Database;
let blobs: BlobStore;
beforeEach(() => {
  tmp = tempDir('weft-store-blobs-');
  openStore({ path: tmp.file('b.db') }).close();
  db = new Database(tmp.file('b.db'));
  blobs = new BlobStore(db);
});
afterEach(() => {
  db.close();
  tmp.remove();
});

const count = () => db.prepare('SELECT count(*) FROM weft_blobs').pluck().get();

describe('BlobStore', () => {
  it('stores the same bytes once, addressed by xxh64 and length', () => {
    const bytes = new Uint8Array(5000).fill(7);
    const id = blobs.put(bytes);
    expect(blobs.put(new Uint8Array(5000).fill(7))).toBe(id);
    expect(count()).toBe(1);
    const row = db.prepare('SELECT hash, length FROM weft_blobs WHERE id = ?').safeIntegers(true).get(id) as { hash: bigint; length: bigint };
    expect(BigInt.asUintN(64, row.hash)).toBe(getKernels().codec.xxh64(bytes));
    expect(row.length).toBe(5000n);
    expect(new Uint8Array(blobs.get(id)!)).toEqual(bytes);
  });

  it('on a hash collision, compares the bytes and keeps both values', () => {
    const mine = new Uint8Array([1, 2, 3, 4]);
    const hash = BigInt.asIntN(64, getKernels().codec.xxh64(mine));
    // Another value with the same hash and length (as a collision would be).
    const impostor = db.prepare('INSERT INTO weft_blobs (hash, length, data) VALUES (?, ?, ?)').run(hash, 4, Buffer.from([9, 9, 9, 9])).lastInsertRowid;
    const id = blobs.put(mine);
    expect(id).not.toBe(Number(impostor));
    expect(new Uint8Array(blobs.get(id)!)).toEqual(mine);
    expect(blobs.put(mine)).toBe(id);
    expect(count()).toBe(2);
  });

  it('prunes only the blobs no task output or step refers to', () => {
    const used = blobs.put(new Uint8Array([1]));
    const step = blobs.put(new Uint8Array([2]));
    blobs.put(new Uint8Array([3]));
    db.prepare("INSERT INTO weft_tasks (run, id, status, output_blob) VALUES (1, 'a', 'succeeded', ?)").run(used);
    db.prepare("INSERT INTO weft_steps (run, task, key, value_blob, written_at) VALUES (1, 'a', 'k', ?, 0)").run(step);
    expect(blobs.pruneUnreferenced()).toBe(1);
    expect(db.prepare('SELECT id FROM weft_blobs ORDER BY id').pluck().all()).toEqual([used, step]);
  });
});

describe('large values in the store', () => {
  it('an output above inlineBytes goes to weft_blobs once, however many tasks return it', () => {
    const store = openStore({ path: tmp.file('s.db'), inlineBytes: 64 });
    store.beginRun('r', { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined });
    const big = { text: 'y'.repeat(10_000) };
    store.record(['a', 'b', 'c'].map((id) => ({ type: 'task:succeeded' as const, time: 1, runId: 'r', taskId: id, attempt: 1, output: big })));
    store.record([{ type: 'task:succeeded', time: 1, runId: 'r', taskId: 'small', attempt: 1, output: 'tiny' }]);
    expect(store.tasks('r').map((t) => t.output)).toEqual([big, big, big, 'tiny']);
    store.writeStep('r', 'a', 'big', big);
    expect(store.readStep('r', 'a', 'big')).toEqual({ value: big });
    store.close();
    const s = new Database(tmp.file('s.db'), { readonly: true });
    expect(s.prepare('SELECT count(*) FROM weft_blobs').pluck().get()).toBe(1);
    s.close();
  });
});
