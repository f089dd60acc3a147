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
  const got: (ThreadMessage | { t: 'started'; threadId: number; cpu0: number })[] = [];
  const seen = deferred<void>();
  const attempt: LinkedAttempt = {
    lastBeat: -1,
    started(link: ThreadLink, cpu0: number) {
      got.push({ t: 'started', threadId: link.threadId, cpu0 });
      if (got.length === n) seen.resolve();
    },
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
    expect(links.accept({ weftThreadError: {} })).toBe(false);
    expect(links.accept({ weftLink: port2, threadId: 7, path: undefined })).toBe(true);
    const a = recorder(2);
    const b = recorder(2);
    const ida = links.track(a.attempt);
    const idb = links.track(b.attempt);
    const ended = links.track(recorder(1).attempt);
    links.untrack(ended);
    port1.postMessage({ t: 'start', id: ida, cpu0: 1.5 });
    port1.postMessage({ t: 'tokens', id: ended, n: 1 });
    port1.postMessage({ t: 'start', id: idb, cpu0: 2 });
    port1.postMessage({ t: 'stream', id: idb, delta: 'x' });
    port1.postMessage({ t: 'heartbeat', id: ida, progress: 0.5 });
    await Promise.all([a.seen, b.seen]);
    expect(a.got).toEqual([{ t: 'started', threadId: 7, cpu0: 1.5 }, { t: 'heartbeat', id: ida, progress: 0.5 }]);
    expect(b.got).toEqual([{ t: 'started', threadId: 7, cpu0: 2 }, { t: 'stream', id: idb, delta: 'x' }]);
    expect(links.link(7)?.clock).toBeUndefined(); // no /proc path given
    // The thread's side going away closes the link.
    const closed = deferred<void>();
    port2.once('close', () => closed.resolve());
    port1.close();
    await closed.promise;
    expect(links.link(7)).toBeUndefined();
    links.close();
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
