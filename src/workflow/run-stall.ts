// Stall detection: a running attempt that says nothing (no heartbeat, no step ending) for longer
// than its `stallTimeoutMs` is presumed stuck, a hung socket or a lost worker, and gets its
// `onStall` action. One timer per run, armed while any watched attempt runs, checks the
// attempts' last signs of life; a task without a limit costs one map lookup at start.

import { TaskStalledError } from '../errors.js';
import type { RunCore } from './run-core.js';
import { cancelTask, failAttempt, failTask } from './run-end.js';
import type { StallHooks } from './run-extras.js';
import { RUNNING } from './state.js';
import type { StallAction } from './types.js';

/** @internal Watches one run's attempts for stalls. */
export class StallWatch implements StallHooks {
  /** Run-relative ms of each watched attempt's last sign of life. */
  private readonly last = new Map<number, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private period = Infinity;

  constructor(private readonly run: RunCore) {}

  /** A watch for `run` if the workflow or one of its tasks can stall (added tasks with a limit create it then). */
  static forRun(run: RunCore): StallWatch | undefined {
    if (run.wf.options.stallTimeoutMs !== undefined) return new StallWatch(run);
    return run.graph.specs.some((s) => s.stallTimeoutMs !== undefined) ? new StallWatch(run) : undefined;
  }

  /** Task `i`'s limit, or undefined. */
  private limit(i: number): number | undefined {
    return this.run.graph.specs[i].stallTimeoutMs ?? this.run.wf.options.stallTimeoutMs;
  }

  started(i: number): void {
    const limit = this.limit(i);
    if (limit === undefined) return;
    this.last.set(i, this.run.clock);
    // Checked at a quarter of the shortest limit: a stall is noticed within 1.25 limits.
    const period = Math.max(1, limit / 4);
    if (this.timer === undefined || period < this.period) this.arm(period);
  }

  beat(i: number): void {
    if (this.last.has(i)) this.last.set(i, this.run.tick());
  }

  ended(i: number): void {
    if (this.last.size === 0) return;
    this.last.delete(i);
    if (this.last.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.period = Infinity;
  }

  private arm(period: number): void {
    this.stop();
    this.period = period;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.check();
      if (this.last.size > 0 && this.timer === undefined && !this.run.settled) this.arm(period);
    }, period);
  }

  private check(): void {
    const run = this.run;
    const now = run.tick();
    const stalled: number[] = [];
    for (const [i, t] of this.last) if (now - t > this.limit(i)! && run.s.status[i] === RUNNING) stalled.push(i);
    for (const i of stalled) {
      if (run.settled) return;
      const spec = run.graph.specs[i];
      const action: StallAction = spec.onStall ?? run.wf.options.onStall;
      const error = new TaskStalledError(run.graph.ids[i], this.limit(i)!);
      this.last.delete(i);
      run.emit(16 /* task:stalled */, i, { error });
      run.controllers.get(i)?.abort(error);
      if (action === 'cancel') cancelTask(run, run.graph.ids[i], error);
      else if (action === 'fail') {
        run.endAttempt(i, error);
        failTask(run, i, error);
      } else failAttempt(run, i, run.s.attempts[i], error);
    }
  }
}
