// The count of busy threads (or workers) a pool hands out, shared by Node's thread pool and the
// browser's Web Worker pool: take one now or wait for one (FIFO), give it back, and wake whoever
// waits (runs' gates with onIdle, attempts with acquire) when one is free or the pool closes.

/** @internal Free and busy slots of a pool, and who waits for one. */
export class SlotCount {
  private busy = 0;
  private readonly waiters: (() => void)[] = [];
  private closed = false;

  /**
   * @param size - slots in all
   * @param closedMessage - the error message of a take after {@link close}
   */
  constructor(
    readonly size: number,
    private readonly closedMessage: string,
  ) {}

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Slots free right now. */
  get idle(): number {
    return this.closed ? 0 : this.size - this.busy;
  }

  /** Takes a free slot, or returns `false`; throws once closed. */
  tryAcquire(): boolean {
    if (this.closed) throw new Error(this.closedMessage);
    if (this.busy >= this.size) return false;
    this.busy++;
    return true;
  }

  /** Waits for a free slot (FIFO among waiters) and takes it; rejects on `signal` or close. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        if (this.closed) reject(new Error(this.closedMessage));
        else if (this.tryAcquire()) resolve();
        else this.waiters.unshift(wake);
      };
      const onAbort = (): void => {
        const at = this.waiters.indexOf(wake);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(wake);
    });
  }

  /** Calls `wake` once when a slot may be free; returns a function that withdraws it. */
  onIdle(wake: () => void): () => void {
    if (this.closed) queueMicrotask(wake);
    else this.waiters.push(wake);
    return () => {
      const at = this.waiters.indexOf(wake);
      if (at >= 0) this.waiters.splice(at, 1);
    };
  }

  /** Gives a slot back and lets the waiters have it. */
  release(): void {
    this.busy--;
    while (this.busy < this.size && this.waiters.length > 0 && !this.closed) this.waiters.shift()!();
  }

  /** Closes: whoever waits learns now that no slot will come. Returns whether it was open. */
  close(): boolean {
    if (this.closed) return false;
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
    return true;
  }
}
