import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../src/index.js';
import { openStore } from '../../src/store/open-store.js';
import type { RunStore } from '../../src/store/store-api.js';
import { tempDir } from '../helpers/temp-dir.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('weft-store-retention-');
});
afterEach(() => tmp.remove());

const META = { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined };

/** Records a finished run of `tasks` tasks (each with a small output, a step and, every 100th, a large output) ending at `endedAt`. */
function finishRun(store: RunStore, runId: string, tasks: number, endedAt: number): void {
  store.beginRun(runId, META);
  const batch: WorkflowEvent[] = [{ type: 'run:start', time: endedAt - 1, runId }];
  for (let i = 0; i < tasks; i++) {
    const output = i % 100 === 0 ? { big: `${runId}:${i}:`.padEnd(4000, 'z') } : { n: i };
    batch.push({ type: 'task:start', time: endedAt - 1, runId, taskId: `t${i}`, attempt: 1 }, { type: 'task:succeeded', time: endedAt - 1, runId, taskId: `t${i}`, attempt: 1, output });
  }
  batch.push({ type: 'run:end', time: endedAt, runId, status: 'succeeded' });
  store.record(batch);
  store.writeStep(runId, 't0', 'k', 'v'.repeat(5000));
  store.endRun(runId);
}

const bytesOf = (path: string) => statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);

describe('retention', () => {
  it('maxRuns keeps the newest finished runs and deletes the others with their tasks, events, steps and blobs', () => {
    const path = tmp.file('r.db');
    const store = openStore({ path, retention: { maxRuns: 2 } });
    for (let k = 0; k < 4; k++) finishRun(store, `run${k}`, 50, 1000 + k);
    store.beginRun('live', META); // running: never pruned
    expect(store.runs().map((r) => r.runId).sort()).toEqual(['live', 'run2', 'run3']);
    store.close();
    const db = new Database(path, { readonly: true });
    const perRun = (table: string) => db.prepare(`SELECT count(DISTINCT run) FROM ${table}`).pluck().get();
    expect([perRun('weft_tasks'), perRun('weft_events'), perRun('weft_steps')]).toEqual([2, 2, 2]);
    // A large output per kept run (t0), and their steps' value, stored once (the same bytes).
    expect(db.prepare('SELECT count(*) FROM weft_blobs').pluck().get()).toBe(3);
    db.close();
  });

  it('maxAgeMs deletes finished runs that ended longer ago (on open and through prune)', () => {
    const path = tmp.file('age.db');
    const store = openStore({ path });
    const now = Date.now();
    finishRun(store, 'old', 5, now - 60_000);
    finishRun(store, 'new', 5, now);
    store.close();
    const aged = openStore({ path, retention: { maxAgeMs: 30_000 } });
    expect(aged.runs().map((r) => r.runId)).toEqual(['new']);
    expect(aged.prune(now + 45_000)).toEqual({ runs: 1, blobs: 2 });
    expect(aged.runs()).toEqual([]);
    aged.close();
  });

  it('a definition\'s dependencies go with the last run that refers to them', () => {
    const path = tmp.file('d.db');
    const store = openStore({ path, retention: { maxRuns: 1 } });
    const withDeps = (runId: string, hash: string) => {
      store.beginRun(runId, { ...META, definitionHash: hash, definition: { a: '1', b: '2' }, dependencies: { b: ['a'] } });
      store.record([{ type: 'run:end', time: Date.now(), runId, status: 'succeeded' }]);
      store.endRun(runId);
    };
    withDeps('one', 'h1');
    withDeps('two', 'h1'); // 'one' is pruned; h1 is still 'two's
    expect(store.dependencies('two')).toEqual({ a: [], b: ['a'] });
    withDeps('three', 'h2'); // 'two' is pruned, and h1 with it
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT hash FROM weft_definitions').pluck().all()).toEqual(['h2']);
    db.close();
  });

  it('interrupted runs are kept (they may be resumed)', () => {
    const store = openStore({ path: tmp.file('i.db'), retention: { maxRuns: 0 } });
    store.beginRun('cut', META);
    store.endRun('cut');
    expect(store.runs().map((r) => [r.runId, r.status])).toEqual([['cut', 'interrupted']]);
    store.close();
  });

  it('10 runs of 10K tasks with maxRuns 2: the file stops growing once 2 runs are kept', () => {
    const path = tmp.file('big.db');
    const store = openStore({ path, retention: { maxRuns: 2 } });
    const sizes: number[] = [];
    for (let k = 0; k < 10; k++) {
      finishRun(store, `run${k}`, 10_000, 1000 + k);
      sizes.push(bytesOf(path));
    }
    store.close();
    const steady = Math.max(...sizes.slice(2, 4));
    // Pages freed by a deleted run are reused or given back: no growth beyond the first runs' size.
    expect(Math.max(...sizes.slice(4))).toBeLessThanOrEqual(steady * 1.25);
    expect(sizes[9]).toBeLessThan(sizes[1] * 3);
  });
});
