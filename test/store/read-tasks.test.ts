import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../src/index.js';
import { BlobStore } from '../../src/store/blobs.js';
import { openStore } from '../../src/store/open-store.js';
import { TaskBulkReader } from '../../src/store/read-tasks.js';
import type { RunStore } from '../../src/store/store-api.js';
import type { RecordedTask } from '../../src/store/durable-store.js';
import { tempDir } from '../helpers/temp-dir.js';

const META = { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined };

let tmp: ReturnType<typeof tempDir>;
let store: RunStore;
beforeEach(() => {
  tmp = tempDir('weft-read-tasks-');
  store = openStore({ path: tmp.file('runs.db'), inlineBytes: 64 * 1024 });
});
afterEach(() => {
  store.close();
  tmp.remove();
});

const ev = (type: WorkflowEvent['type'], taskId: string, time: number, extra: Partial<WorkflowEvent> = {}): WorkflowEvent =>
  ({ type, time, runId: 'r1', taskId, attempt: 1, ...extra }) as WorkflowEvent;

/** The run's tasks read row by row (the query path), by id. */
function rowByRow(): Map<string, RecordedTask> {
  return new Map(store.tasks('r1', { limit: 1_000_000 }).map((t) => [t.id, t]));
}

/** The run's tasks read by the bulk reader on a second connection. */
function bulk(): Map<string, RecordedTask> {
  const db = new Database(tmp.file('runs.db'), { readonly: true });
  try {
    const rid = db.prepare("SELECT rid FROM weft_runs WHERE id = 'r1'").pluck().get() as number;
    return new TaskBulkReader(db, new BlobStore(db)).read(rid);
  } finally {
    db.close();
  }
}

describe('TaskBulkReader', () => {
  it('reads what the row-by-row path reads, over several pages, times to the bit', () => {
    store.beginRun('r1', META);
    const events: WorkflowEvent[] = [];
    // Ids that escape in JSON, times with fractions, outputs of every size class, parents, agents, deadlines.
    for (let i = 0; i < 20_000; i++) {
      const id = i % 997 === 0 ? `t"${i}\\\n\u0001é` : `t${i}`;
      const t0 = 1_764_655_800_123.4567 + i * 0.0131;
      events.push(ev('task:start', id, t0, i % 3 === 0 ? { deadline: t0 + 1000.25, agent: `agent-${i % 5}` } : {}));
      if (i % 4 === 3) continue; // left running
      const output = i % 1000 === 1 ? 'x'.repeat(5000) : i % 1000 === 2 ? 'y'.repeat(70_000) : i % 7 === 0 ? undefined : { i, s: `v${i}` };
      events.push(ev('task:succeeded', id, t0 + 1.5, { output }));
    }
    store.record(events);
    store.record([ev('task:added', 'child', 1, { parent: 't1', spec: { id: 'child', agent: 'a' } as never }), ev('task:start', 'child', 2)]);
    const expected = rowByRow();
    const got = bulk();
    expect(got.size).toBe(expected.size);
    expect([...got.keys()]).toEqual([...expected.keys()]);
    for (const [id, task] of expected) expect(got.get(id)).toStrictEqual(task);
    expect(got.get('t1')!.startedAt).toBe(1_764_655_800_123.4567 + 0.0131);
    expect(got.get('child')!.parent).toBe('t1');
  });

  it('matches errors to their tasks when two distinct errors have the same length, and shares equal ones', () => {
    store.beginRun('r1', META);
    const a = Object.assign(new Error('same-length-a'), { code: 'X' });
    const b = Object.assign(new Error('same-length-b'), { code: 'X' });
    b.stack = a.stack!.replace('same-length-a', 'same-length-b');
    const c = new RangeError('a different length entirely');
    const events = [...Array(30).keys()].map((i) => ev('task:failed', `t${i}`, 5, { error: i % 3 === 0 ? a : i % 3 === 1 ? b : c }));
    store.record(events);
    const got = bulk();
    const expected = rowByRow();
    for (const [id, task] of expected) expect(got.get(id)).toStrictEqual(task);
    expect((got.get('t0')!.error as Error).message).toBe('same-length-a');
    expect((got.get('t1')!.error as Error).message).toBe('same-length-b');
    expect(got.get('t2')!.error).toBeInstanceOf(RangeError);
    expect(got.get('t3')!.error).toBe(got.get('t0')!.error);
    expect(got.get('t4')!.error).toBe(got.get('t1')!.error);
    expect(got.get('t5')!.error).toBe(got.get('t2')!.error);
  });

  it('reads suspended payloads, with and without an output beside them', () => {
    store.beginRun('r1', META);
    store.record([
      ev('task:start', 'a', 1),
      ev('task:suspended', 'a', 2, { reason: 'approve', payload: { amount: 3 } }),
      ev('task:start', 'b', 1),
      ev('task:suspended', 'b', 2, { reason: 'wait' }),
    ]);
    const got = bulk();
    expect(got.get('a')!.suspended).toEqual({ reason: 'approve', payload: { amount: 3 } });
    expect(got.get('b')!.suspended).toEqual({ reason: 'wait' });
    for (const [id, task] of rowByRow()) expect(got.get(id)).toStrictEqual(task);
  });

  it('decodes an output nested to the codec depth limit (one level too deep inside the page array)', () => {
    store.beginRun('r1', META);
    let deep: unknown = 1;
    for (let k = 0; k < 511; k++) deep = [deep];
    store.record([ev('task:succeeded', 'deep', 1, { output: deep }), ev('task:succeeded', 'flat', 1, { output: 7 })]);
    const got = bulk();
    expect(got.get('deep')!.output).toEqual(deep);
    expect(got.get('flat')!.output).toBe(7);
  });

  it('reads an empty run as no tasks', () => {
    store.beginRun('r1', META);
    expect(bulk().size).toBe(0);
  });
});
