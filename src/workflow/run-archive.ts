// Archival: a run that streams millions of added tasks keeps only the live ones in memory. A
// succeeded added task whose dependents have all finished is forgotten `archiveAfterMs` later:
// its output, spec and edges go, its slot is taken by the next added task (so the typed arrays
// stay as large as the most tasks alive at once), and the run counts it among the succeeded.
// Its record stays in the store. Defined tasks are never archived: they are the definition.

import type { RunCore } from './run-core.js';
import type { ArchiveHooks } from './run-extras.js';
import { SUCCEEDED } from './state.js';

/** @internal Archives one run's finished added tasks. */
export class ArchiveWatch implements ArchiveHooks {
  /** Tasks waiting out the retention window, oldest first (from `head`), with their times. */
  private queue: number[] = [];
  private times: number[] = [];
  private head = 0;
  private readonly queued = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly run: RunCore,
    private readonly afterMs: number,
  ) {}

  /** A watch for `run` if its workflow archives. */
  static forRun(run: RunCore): ArchiveWatch | undefined {
    const after = run.wf.options.archiveAfterMs;
    return after === undefined ? undefined : new ArchiveWatch(run, after);
  }

  finished(i: number): void {
    const graph = this.run.graph;
    if (!graph.isDefined(i)) this.consider(i);
    for (const p of graph.predecessors(i)) if (!graph.isDefined(p)) this.consider(p);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Whether task `i` can go: succeeded, and every dependent finished (none needs its output again). */
  private ready(i: number): boolean {
    const status = this.run.s.status;
    if (status[i] !== SUCCEEDED || this.run.graph.isFree(i)) return false;
    let open = false;
    this.run.graph.forEachSucc(i, (d) => (open ||= status[d] < SUCCEEDED));
    return !open;
  }

  private consider(i: number): void {
    if (this.queued.has(i) || !this.ready(i)) return;
    this.queued.add(i);
    this.queue.push(i);
    this.times.push(this.run.clock);
    // A stream of synchronous tasks may never let a timer fire: sweep as tasks finish, too.
    if (this.times[this.head] + this.afterMs <= this.run.clock) this.sweep(this.run.clock);
    else if (this.timer === undefined) this.arm(this.afterMs);
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sweep(this.run.tick());
    }, ms);
  }

  /** Archives the tasks whose retention window is over at `now`, and arms the timer for the rest. */
  private sweep(now: number): void {
    const run = this.run;
    if (run.settled) return;
    const { queue, times } = this;
    let k = this.head;
    for (; k < queue.length && times[k] + this.afterMs <= now; k++) {
      const i = queue[k];
      this.queued.delete(i);
      if (!this.ready(i)) continue; // reopened or given a new dependent since
      run.s.outputs[i] = undefined;
      run.errors.delete(i);
      run.graph.release(i);
    }
    if (k === queue.length) {
      this.queue = [];
      this.times = [];
      this.head = 0;
    } else {
      this.head = k;
      if (k > 4096 && k * 2 > queue.length) {
        this.queue = queue.slice(k);
        this.times = times.slice(k);
        this.head = 0;
      }
      if (this.timer === undefined) this.arm(Math.max(0, this.times[this.head] + this.afterMs - now));
    }
  }
}
