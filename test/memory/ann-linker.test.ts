import { describe, expect, it } from 'vitest';
import { AnnIndex } from '../../src/memory/ann-index.js';
import { DEFAULT_HNSW_PARAMS } from '../../src/memory/hnsw-index.js';
import { clusteredVectors } from './clustered-vectors.js';

// weft's index linked on a worker thread (ann-linker.ts, ann-link-thread.ts, assembly/ann/diff.ts).
// The thread runs dist/memory/ann-link-thread.js: `npm run build:ts` first.
const DIM = 24;
const data = clusteredVectors(3000, DIM, { seed: 21, centres: 20, noise: 0.4, cycle: false });
const ids = data.map((_, i) => 500 + i);
const params = { ...DEFAULT_HNSW_PARAMS, efSearch: 64 };

async function linked(index: AnnIndex): Promise<void> {
  while (index.pending > 0) {
    await index.progress();
    // After a linker failure linking goes on here.
    if (!index.linksElsewhere) index.link(Infinity);
  }
}

function addInBatches(index: AnnIndex, n: number, batch = 250): void {
  for (let s = 0; s < n; s += batch) index.add(ids.slice(s, Math.min(n, s + batch)), data.slice(s, Math.min(n, s + batch)));
}

describe('AnnIndex linked on a worker thread', () => {
  it('builds the same graph on the thread as on its own thread from the same inserts', async () => {
    const remote = await AnnIndex.create(DIM, params, 16, undefined, true);
    const local = await AnnIndex.create(DIM, params, 16);
    expect(remote.linksElsewhere).toBe(true);
    expect(local.linksElsewhere).toBe(false);
    addInBatches(remote, data.length);
    addInBatches(local, data.length);
    // link() is the thread's job: here it links nothing.
    expect(remote.link(100)).toBe(data.length);
    await linked(remote);
    local.link(Infinity);
    expect(remote.linkerError).toBeUndefined();
    expect(await remote.toBytes()).toEqual(await local.toBytes());
    remote.dispose();
  });

  it('finds items appended while the thread is behind, and never returns deleted ones', async () => {
    const index = await AnnIndex.create(DIM, params, 16, undefined, true);
    addInBatches(index, 2000);
    await linked(index);
    index.add(ids.slice(2000), data.slice(2000));
    // Nothing of these is linked yet (the thread cannot have answered within this turn).
    expect(index.pending).toBe(1000);
    for (const i of [2000, 2500, 2999]) expect(index.search(data[i], 1)[0].id).toBe(ids[i]);
    index.delete(ids[2500]);
    index.delete(ids[10]);
    expect(index.search(data[2500], 5).map((h) => h.id)).not.toContain(ids[2500]);
    await linked(index);
    expect(index.pending).toBe(0);
    for (const i of [2000, 2999, 11]) expect(index.search(data[i], 1)[0].id).toBe(ids[i]);
    expect(index.search(data[10], 5).map((h) => h.id)).not.toContain(ids[10]);
    index.dispose();
  });

  it('goes on linking on its own thread when the linker thread dies', async () => {
    const index = await AnnIndex.create(DIM, params, 16, undefined, true);
    addInBatches(index, data.length);
    // A real thread, stopped from outside: what a crash of it looks like from here.
    const linker = (index as unknown as { linker: { worker: { terminate(): Promise<number> } } }).linker;
    await linker.worker.terminate();
    await linked(index);
    expect(index.linksElsewhere).toBe(false);
    expect(index.linkerError?.message).toMatch(/exited/);
    expect(index.pending).toBe(0);
    const reread = await AnnIndex.fromBytes(DIM, params, await index.toBytes());
    for (const i of [0, 1500, 2999]) expect(reread.search(data[i], 1)[0].id).toBe(ids[i]);
  });

  it('refuses a diff that does not continue its graph, stops the thread and links here', async () => {
    const index = await AnnIndex.create(DIM, params, 16, undefined, true);
    addInBatches(index, 1000);
    const before = await index.toBytes();
    (index as unknown as { applyDiff(bytes: Uint8Array): void }).applyDiff(new Uint8Array(28).fill(7));
    expect(index.linksElsewhere).toBe(false);
    expect(index.linkerError?.message).toMatch(/does not fit/);
    // Nothing of the bad diff was applied: the graph is still the one before it.
    expect(await index.toBytes()).toEqual(before);
    await linked(index);
    expect(index.search(data[999], 1)[0].id).toBe(ids[999]);
  });

  it('hands a loaded index to its thread, which links what was saved unlinked', async () => {
    const first = await AnnIndex.create(DIM, params, 16);
    addInBatches(first, 2000);
    first.link(Infinity);
    first.add(ids.slice(2000), data.slice(2000));
    const saved = await first.toBytes();
    const loaded = await AnnIndex.fromBytes(DIM, params, saved, undefined, true);
    expect(loaded.linksElsewhere).toBe(true);
    expect(loaded.pending).toBe(1000);
    await linked(loaded);
    first.link(Infinity);
    expect(loaded.linkerError).toBeUndefined();
    expect(await loaded.toBytes()).toEqual(await first.toBytes());
    loaded.dispose();
  });
});
