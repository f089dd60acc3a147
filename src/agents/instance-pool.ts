// The instances of an agent that keeps state: created on demand by its factory, at most `max` of
// them, each lent to one task at a time and reused (the most recently returned first: its
// caches are the warmest). Shared by every run that uses the agent; within a run the agent's
// concurrency group already keeps its tasks to `max`, so only tasks of several runs at once wait.

/** A bounded pool of reusable instances. */
export class InstancePool<S> {
  private readonly idle: S[] = [];
  private readonly waiters: { resolve: (s: S) => void; reject: (e: unknown) => void }[] = [];
  /** Instances created (lent or idle), counting those being created. */
  private size = 0;

  /**
   * @param create - the agent's factory
   * @param max - at most this many instances
   */
  constructor(
    private readonly create: () => S | PromiseLike<S>,
    private readonly max: number,
  ) {}

  /** Instances created so far (lent or idle). */
  get created(): number {
    return this.size;
  }

  /** Instances waiting to be lent. */
  get available(): number {
    return this.idle.length;
  }

  /**
   * Borrows an instance: an idle one, a new one while below `max`, else the next one returned.
   * `signalOf` is read only when the call has to wait (a task's signal costs an allocation).
   */
  acquire(signalOf: () => AbortSignal | undefined): S | Promise<S> {
    if (this.idle.length > 0) return this.idle.pop()!;
    if (this.size < this.max) {
      this.size++;
      try {
        const made = this.create();
        if (typeof (made as Partial<PromiseLike<S>>)?.then !== 'function') return made as S;
        return Promise.resolve(made).catch((error: unknown) => {
          this.lost();
          throw error;
        });
      } catch (error) {
        this.lost();
        throw error;
      }
    }
    const signal = signalOf();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<S>((resolve, reject) => {
      const entry = { resolve, reject };
      const onAbort = (): void => {
        const at = this.waiters.indexOf(entry);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal!.reason);
      };
      entry.resolve = (s) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(s);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(entry);
    });
  }

  /** Returns a borrowed instance: to the first waiter, else to the idle ones. */
  release(instance: S): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(instance);
    else this.idle.push(instance);
  }

  /** A creation failed: its place is free again (a waiter may try creating instead). */
  private lost(): void {
    this.size--;
    const waiter = this.waiters.shift();
    if (waiter === undefined) return;
    try {
      Promise.resolve(this.acquire(() => undefined)).then(waiter.resolve, waiter.reject);
    } catch (error) {
      waiter.reject(error);
    }
  }
}
