// The pool's end of its threads' links: messages routed to their attempt by job id over one
// long-lived port per thread (real MessagePorts here), and the automatic heartbeats of worker
// tasks that say nothing themselves (on real threads).
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { ThreadLinks, type LinkedAttempt, type ThreadLink } from '../../src/executors/worker-link.js';
import { createWorkerPool } from '../../src/executors/worker-pool.js';
import type { ThreadMessage } from '../../src/executors/worker-protocol.js';
import { workflow } from '../../src/workflow/index.js';
import type { WorkflowEvent } from '../../src/workflow/types.js';
import { deferred } from '../helpers/deferred.js';

const module = new URL('../fixtures/workers/agents.mjs', import.meta.url);
const beating = createWorkerPool({ threads: 1, heartbeatMs: 20 });
const silent = createWorkerPool({ threads: 1, heartbeatMs: 0 });
afterAll(() => Promise.all([beating.close(), silent.close()]));

/** An attempt that records what reaches it, resolving `seen` after `n` messages. */
function recorder(n: number) {
  const got: ThreadMessage[] = [];
  const seen = deferred<void>();
  const attempt: LinkedAttempt = {
    lastBeat: 0,
    link: undefined,
    receive(m) {
      got.push(m);
      if (got.length === n) seen.resolve();
    },
    beat() {},
  };
  return { attempt, got, seen: seen.promise };
}

describe('ThreadLinks', () => {
  it("routes each message on a thread's one port to its attempt by job id, and drops those of ended attempts", async () => {
    const links = new ThreadLinks(0);
    const { port1, port2 } = new MessageChannel();
    const slot = new SharedArrayBuffer(24);
    expect(links.accept({ weftThreadError: {} })).toBe(false);
    expect(links.accept({ weftLink: port2, threadId: 7, path: undefined, slot })).toBe(true);
    const a = recorder(2);
    const b = recorder(1);
    const ida = links.track(a.attempt);
    const idb = links.track(b.attempt);
    const ended = links.track(recorder(1).attempt);
    links.untrack(ended);
    port1.postMessage({ t: 'tokens', id: ended, n: 1 });
    port1.postMessage({ t: 'stream', id: idb, delta: 'x' });
    port1.postMessage({ t: 'tokens', id: ida, n: 3 });
    port1.postMessage({ t: 'heartbeat', id: ida, progress: 0.5 });
    await Promise.all([a.seen, b.seen]);
    expect(a.got).toEqual([{ t: 'tokens', id: ida, n: 3 }, { t: 'heartbeat', id: ida, progress: 0.5 }]);
    expect(b.got).toEqual([{ t: 'stream', id: idb, delta: 'x' }]);
    // Which thread runs a job, and its start figures, are read from the thread's slot.
    expect(links.running(idb)).toBeUndefined();
    new Float64Array(slot).set([idb, 12.5, 3]);
    const link = links.running(idb)!;
    expect([link.threadId, link.cpu0, link.active0, link.clock]).toEqual([7, 12.5, 3, undefined]); // no /proc path given
    // The thread's side going away closes the link.
    const closed = deferred<void>();
    port2.once('close', () => closed.resolve());
    port1.close();
    await closed.promise;
    expect(links.link(7)).toBeUndefined();
    links.close();
  });

  it('drains what a thread posted before its result, in order, when asked', () => {
    const links = new ThreadLinks(0);
    const { port1, port2 } = new MessageChannel();
    links.accept({ weftLink: port2, threadId: 9, path: undefined, slot: new SharedArrayBuffer(24) });
    const a = recorder(2);
    const id = links.track(a.attempt);
    port1.postMessage({ t: 'tokens', id, n: 1 });
    port1.postMessage({ t: 'tokens', id, n: 2 });
    (links.linked(9) as ThreadLink).drain(); // synchronously: no event-loop turn in between
    expect(a.got.map((m) => (m as { n: number }).n)).toEqual([1, 2]);
    links.close();
    port1.close();
  });
});

describe('automatic heartbeats', () => {
  it('beats every heartbeatMs for a worker task that never beats itself, while its thread is alive', async () => {
    const h = workflow({ workerPool: beating }).task({ id: 'quiet', worker: { module, export: 'quiet' } }).start();
    const beats: WorkflowEvent[] = [];
    const three = deferred<void>();
    h.on('task:heartbeat', (e) => {
      beats.push(e);
      if (beats.length === 3) three.resolve();
    });
    await three.promise;
    h.cancelTask('quiet');
    const result = await h.result;
    expect(isWeftError(result.task('quiet')!.error, 'TASK_CANCELLED')).toBe(true);
    expect(beats.slice(0, 3).map((e) => [e.taskId, e.progress])).toEqual([
      ['quiet', undefined],
      ['quiet', undefined],
      ['quiet', undefined],
    ]);
  });

  it('with heartbeatMs: 0, forwards only the beats the task sends', async () => {
    const h = workflow({ workerPool: silent }).task({ id: 'r', worker: { module, export: 'reports' } }).start();
    const beats: unknown[] = [];
    h.on('task:heartbeat', (e) => beats.push(e.progress));
    await h.result;
    expect(beats).toEqual([{ step: 1 }]);
  });

  it('checks the option', () => {
    expect(() => createWorkerPool({ heartbeatMs: -5 })).toThrow('Expected `heartbeatMs` to be an integer >= 0, got `-5` (number)');
  });
});
