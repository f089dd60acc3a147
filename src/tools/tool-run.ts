// One run of a tool, which identical concurrent calls of a cached tool share. Its AbortSignal is
// made on first read: adding and removing listeners on AbortSignals costs Node 20 more than the
// rest of a call (measured: ~30 µs against ~5 µs on the shared machine), so a call that
// finishes in time touches no signal at all. Callers wait through their session (one abort
// listener per session), and the run is aborted when its last waiter leaves or its time is up.

/** @internal */
export class ToolRun {
  readonly promise: Promise<unknown>;
  /** Callers waiting on the run; when the last one leaves (its session aborted), the run aborts. */
  waiters = 0;
  private controller: AbortController | undefined;
  private reason: unknown;
  /** Whether it has resolved or rejected. */
  settled = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private resolveRun!: (value: unknown) => void;
  private rejectRun!: (error: unknown) => void;
  /** The session's set of runs it aborts itself (uncached runs), while this one runs. */
  owner: Set<ToolRun> | undefined;

  constructor() {
    this.promise = new Promise((resolve, reject) => {
      this.resolveRun = resolve;
      this.rejectRun = reject;
    });
  }

  /** The signal the tool sees: aborted with the reason the run was aborted with. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Times the run out after `ms` (`Infinity`: never), with the error `timeout()` makes. */
  limit(ms: number, timeout: () => unknown): void {
    if (ms !== Infinity) this.timer = setTimeout(() => this.abort(timeout()), ms);
  }

  resolve(value: unknown): void {
    this.finish();
    this.resolveRun(value);
  }

  reject(error: unknown): void {
    this.finish();
    this.rejectRun(error);
  }

  /** Fails the run with `reason` and aborts the tool's signal (nothing once it has settled). */
  abort(reason: unknown): void {
    if (this.settled) return;
    this.reason = reason;
    this.controller?.abort(reason);
    this.reject(reason);
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.owner?.delete(this);
  }
}

interface Waiter {
  readonly run: ToolRun;
  readonly fail: (reason: unknown) => void;
}

/** @internal A session's callers waiting on runs, released together when the session's signal aborts. */
export class Waiting {
  private readonly waiters = new Set<Waiter>();
  private readonly owned = new Set<ToolRun>();
  private listening = false;

  constructor(private readonly signal: AbortSignal) {}

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.signal.addEventListener('abort', () => this.release(), { once: true });
  }

  /** A run only this session waits on: returned as it is, and aborted if the session aborts first. */
  own(run: ToolRun): Promise<unknown> {
    if (!run.settled) {
      this.listen();
      run.owner = this.owned;
      this.owned.add(run);
    }
    return run.promise;
  }

  /** Waits for a shared `run`; rejects with the signal's reason if the session aborts first. */
  wait(run: ToolRun): Promise<unknown> {
    this.listen();
    run.waiters += 1;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { run, fail: reject };
      this.waiters.add(waiter);
      run.promise.then(
        (value) => {
          this.waiters.delete(waiter);
          resolve(value);
        },
        (error: unknown) => {
          this.waiters.delete(waiter);
          reject(error);
        },
      );
    });
  }

  private release(): void {
    const reason = this.signal.reason;
    for (const run of [...this.owned]) run.abort(reason);
    for (const waiter of this.waiters) {
      waiter.fail(reason);
      waiter.run.waiters -= 1;
      if (waiter.run.waiters === 0) waiter.run.abort(reason);
    }
    this.waiters.clear();
  }
}
