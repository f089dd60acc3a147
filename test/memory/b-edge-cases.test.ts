import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHashingEmbedder, createMemory, createOpenAIEmbedder, runMemory } from '../../src/memory/index.js';
import { deferred } from '../helpers/deferred.js';

// Cases found in review; each once returned wrong results or lost data.
const dir = mkdtempSync(join(tmpdir(), 'weft-memory-edge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fillers = Array.from({ length: 30 }, (_, i) => `filler number ${i} about topic${i}`);

describe('memory edge cases', () => {
  it('an entity updated by a connection without an index is found after reopening', async () => {
    const file = join(dir, 'reopen.db');
    const a = await createMemory({ path: file, hnswThreshold: 10 });
    await a.rememberMany(fillers);
    await a.remember('likes apples', { entity: 'Alice' });
    await a.whenIndexed();
    await a.close();
    const b = await createMemory({ path: file, hnswThreshold: Infinity });
    await b.remember('zebra banana kiwi', { entity: 'Alice' });
    await b.close();
    const c = await createMemory({ path: file, hnswThreshold: 10 });
    expect((await c.recall('zebra banana kiwi', { k: 1 }))[0].entity).toBe('Alice');
    await c.whenIndexed();
    const [hit] = await c.recall('zebra banana kiwi', { k: 1 });
    expect(c.lastSearchPath).toBe('hnsw');
    expect(hit.entity).toBe('Alice');
    await c.close();
  });

  it('an entity updated by another connection is found through this connection’s index', async () => {
    const file = join(dir, 'second.db');
    const a = await createMemory({ path: file, hnswThreshold: 10 });
    await a.rememberMany(fillers);
    await a.remember('likes apples', { entity: 'Alice' });
    await a.whenIndexed();
    const b = await createMemory({ path: file, hnswThreshold: Infinity });
    await b.remember('zebra banana kiwi', { entity: 'Alice' });
    const [hit] = await a.recall('zebra banana kiwi', { k: 1 });
    expect(a.lastSearchPath).toBe('hnsw');
    const [exact] = await b.recall('zebra banana kiwi', { k: 1 });
    expect(hit.id).toBe(exact.id);
    expect(hit.score).toBeCloseTo(exact.score, 3);
    await a.close();
    await b.close();
  });

  it('forgetting an entity while a merge into it is being embedded does not bring the facts back', async () => {
    const base = createHashingEmbedder({ dim: 64 });
    let hold: Promise<void> | undefined;
    const embedding = deferred();
    const embedder = { id: base.id, dim: 64, async embed(texts: readonly string[]) { if (hold) { embedding.resolve(); await hold; } return base.embed(texts); } };
    const m = await createMemory({ path: join(dir, 'forget.db'), embedder });
    await m.remember('secret fact', { entity: 'Alice' });
    const release = deferred();
    hold = release.promise;
    const pending = m.remember('new fact', { entity: 'Alice' });
    await embedding.promise;
    expect(m.forget({ entity: 'Alice' })).toBe(1);
    hold = undefined;
    release.resolve();
    expect((await pending).text).toBe('new fact');
    expect(m.entity('Alice')!.text).toBe('new fact');
    await m.close();
  });

  it('a run’s hybrid recall fuses ranks over all the scopes it sees, not per scope', async () => {
    const m = await createMemory({ path: join(dir, 'hybrid.db') });
    await m.remember('deploy failed disk full');
    await m.remember('deploy failed network');
    await m.remember('the deploy', { runId: 'r1' });
    const q = 'deploy failed disk full';
    const view = await runMemory(m, 'r1').recall(q, { k: 2, mode: 'hybrid' });
    expect(view.map((h) => h.text)).toEqual(['deploy failed disk full', 'deploy failed network']);
    await m.close();
  });

  it('metadata handed out by the in-memory backend is the caller’s copy', async () => {
    const m = await createMemory();
    const { id } = await m.remember({ text: 'x y', metadata: { team: 'infra' } });
    (m.get(id)!.metadata as Record<string, unknown>).team = 'changed';
    expect(m.count({ filter: { team: 'infra' } })).toBe(1);
    await m.close();
  });

  it('non-finite vectors from an embedder or in a query are refused', async () => {
    const h = createHashingEmbedder({ dim: 8 });
    const embedder = async (texts: readonly string[]) => (texts[0] === 'bad' ? [new Float32Array(8).fill(NaN)] : h.embed(texts));
    const m = await createMemory({ dim: 8, embedder });
    await expect(m.remember('bad')).rejects.toMatchObject({ code: 'EMBEDDING_FAILED' });
    expect(m.count()).toBe(0);
    await expect(m.recall(new Float32Array(8).fill(Infinity))).rejects.toThrow('Expected `query` to be a vector of finite numbers');
    await m.close();
  });

  it('an abort during an embeddings request (response started) rejects with the abort reason', async () => {
    const arrived = deferred();
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":[');
      arrived.resolve(); // the body never completes
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const embedder = createOpenAIEmbedder({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', dim: 2, maxRetries: 0 });
    const controller = new AbortController();
    const result = embedder.embed(['a'], controller.signal);
    await arrived.promise;
    controller.abort(new Error('stop'));
    await expect(result).rejects.toThrow('stop');
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('a short-term item whose run ends while it is being embedded is refused, not left behind', async () => {
    const base = createHashingEmbedder({ dim: 64 });
    const embedding = deferred();
    const release = deferred();
    let hold = true;
    const embedder = { id: base.id, dim: 64, async embed(texts: readonly string[]) { if (hold) { embedding.resolve(); await release.promise; } return base.embed(texts); } };
    const m = await createMemory({ path: join(dir, 'ended.db'), embedder });
    const pending = m.remember('draft', { runId: 'r9' });
    await embedding.promise;
    m.endRun('r9');
    release.resolve();
    await expect(pending).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(m.count({ runId: 'r9' })).toBe(0);
    // The id can be used again by a later run.
    hold = false;
    await m.remember('next draft', { runId: 'r9' });
    expect(m.count({ runId: 'r9' })).toBe(1);
    await m.close();
  });
});
