// The pool's end of its threads' links: one MessagePort per thread, received once when the
// thread starts, with the thread's CPU clock opened then (not per attempt: opening the schedstat
// file costs ~90 µs, a MessageChannel per attempt more). Messages name their attempt by job id;
// this routes them to the live attempt, and beats for attempts whose thread has said nothing for
// a while (durable runs read heartbeats to tell a live task from a dead one).

import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { SchedstatClock } from './worker-cpu.js';
import { SLOT_ACTIVE0, SLOT_CPU0, SLOT_JOB, type EngineMessage, type LinkHello, type ThreadMessage } from './worker-protocol.js';

/** One thread's link. */
export class ThreadLink {
  /** The thread's CPU clock (Linux), open for the thread's life. */
  readonly clock: SchedstatClock | undefined;
  closed = false;

  private readonly slot: Float64Array;

  constructor(
    readonly threadId: number,
    private readonly port: MessagePort,
    path: string | undefined,
    slot: SharedArrayBuffer,
    private readonly route: (m: ThreadMessage) => void,
  ) {
    this.clock = path === undefined ? undefined : SchedstatClock.open(path);
    this.slot = new Float64Array(slot);
    port.on('message', route);
  }

  /** Whether the thread is running job `id` now. */
  runs(id: number): boolean {
    return this.slot[SLOT_JOB] === id;
  }

  /** The thread's CPU ms and event-loop active ms when its current job started. */
  get cpu0(): number {
    return this.slot[SLOT_CPU0];
  }

  get active0(): number {
    return this.slot[SLOT_ACTIVE0];
  }

  /**
   * Delivers now what the thread has posted so far. A job's result comes on piscina's port, not
   * this one, and two ports keep no order between them: the thread posted its reports before it
   * returned, so they are queued here by the time its result lands, and are read first.
   */
  drain(): void {
    if (this.closed) return;
    for (let e = receiveMessageOnPort(this.port); e !== undefined; e = receiveMessageOnPort(this.port)) this.route(e.message as ThreadMessage);
  }

  send(message: EngineMessage): void {
    if (!this.closed) this.port.postMessage(message);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clock?.close();
    this.port.close();
  }
}

/** An attempt as the links see it (worker-attempt.ts). */
export interface LinkedAttempt {
  /** A message about the attempt from its thread. */
  receive(message: ThreadMessage): void;
  /** performance.now() of the attempt's last heartbeat (or of its dispatch). */
  readonly lastBeat: number;
  /** The link of the thread running it, if one is (found on demand, see {@link ThreadLinks.running}). */
  readonly link: ThreadLink | undefined;
  /** A beat on the thread's behalf. */
  beat(): void;
}

/** The links of a pool's threads and the attempts they run. */
export class ThreadLinks {
  private readonly links = new Map<number, ThreadLink>();
  private readonly attempts = new Map<number, LinkedAttempt>();
  /** Who waits for the link of a thread whose result came before its link (its first job). */
  private readonly waiting = new Map<number, ((link: ThreadLink | undefined) => void)[]>();
  private nextId = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** @param heartbeatMs - see `WorkerPoolOptions.heartbeatMs` (0: no automatic beats) */
  constructor(private readonly heartbeatMs: number) {}

  /** A thread's first message: its link. Returns false for any other message. */
  accept(message: unknown): boolean {
    const hello = message as LinkHello | null;
    if (typeof hello !== 'object' || hello === null || hello.weftLink === undefined) return false;
    const port = hello.weftLink;
    const link = new ThreadLink(hello.threadId, port, hello.path, hello.slot, (m) => this.attempts.get(m.id)?.receive(m)); // none: a late report of an ended attempt
    this.links.set(hello.threadId, link);
    const waiters = this.waiting.get(hello.threadId);
    if (waiters !== undefined) {
      this.waiting.delete(hello.threadId);
      for (const wake of waiters) wake(link);
    }
    // The thread's end closes its side; ours follows.
    port.once('close', () => {
      link.close();
      if (this.links.get(hello.threadId) === link) this.links.delete(hello.threadId);
    });
    port.unref(); // an idle pool never keeps the process alive
    return true;
  }

  /** The link of thread `threadId`, if it is open. */
  link(threadId: number): ThreadLink | undefined {
    return this.links.get(threadId);
  }

  /** The link of the thread running job `id` now, if one is (a look at each thread's slot: a handful). */
  running(id: number): ThreadLink | undefined {
    for (const link of this.links.values()) if (link.runs(id)) return link;
    return undefined;
  }

  /** Every open link. */
  all(): IterableIterator<ThreadLink> {
    return this.links.values();
  }

  /** The link of thread `threadId` once it has come (it was posted when the thread started); `undefined` if the pool closes first. */
  linked(threadId: number): ThreadLink | Promise<ThreadLink | undefined> {
    const link = this.links.get(threadId);
    if (link !== undefined) return link;
    return new Promise((resolve) => {
      const list = this.waiting.get(threadId);
      if (list === undefined) this.waiting.set(threadId, [resolve]);
      else list.push(resolve);
    });
  }

  /** Registers an attempt; returns its job id. */
  track(attempt: LinkedAttempt): number {
    const id = ++this.nextId;
    this.attempts.set(id, attempt);
    if (this.timer === undefined && this.heartbeatMs > 0) {
      this.timer = setInterval(() => this.beat(), this.heartbeatMs / 2);
      this.timer.unref();
    }
    return id;
  }

  untrack(id: number): void {
    this.attempts.delete(id);
    if (this.attempts.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private beat(): void {
    const due = performance.now() - this.heartbeatMs;
    for (const attempt of this.attempts.values()) if (attempt.lastBeat <= due && attempt.link !== undefined) attempt.beat();
  }

  /** Closes every link (the pool is closing). */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const link of this.links.values()) link.close();
    this.links.clear();
    this.attempts.clear();
    for (const list of this.waiting.values()) for (const wake of list) wake(undefined);
    this.waiting.clear();
  }
}
