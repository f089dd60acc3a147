// Event fan-out for a run. Emitting is skipped entirely (no event object is built) while nobody
// listens, which keeps the engine's per-task cost flat when events are not consumed.

import type { WorkflowEvent, WorkflowEventType } from './types.js';

/** A listener of run events. */
export type WorkflowListener = (event: WorkflowEvent) => void;

/** Listeners by type ('*' for all) and async iterators over one run's events. */
export class EventHub {
  /** Whether anything listens: the engine checks this before building an event. */
  active = false;
  // Copy-on-write arrays: emit() iterates them as they are, with no copy per event, and a
  // listener that unsubscribes during dispatch does not disturb the loop.
  private byType = new Map<string, readonly WorkflowListener[]>();
  private all: readonly WorkflowListener[] = [];
  private readonly iterators = new Set<(event: WorkflowEvent | null) => void>();
  private closed = false;

  /** Subscribes to one type, or every type with `'*'`; returns the unsubscribe function. */
  on(type: WorkflowEventType | '*', listener: WorkflowListener): () => void {
    if (typeof listener !== 'function') throw new TypeError(`Expected \`listener\` to be a function, got \`${String(listener)}\` (${typeof listener})`);
    this.set(type, [...this.get(type), listener]);
    this.active = true;
    return () => {
      const list = this.get(type);
      const at = list.indexOf(listener);
      if (at >= 0) this.set(type, [...list.slice(0, at), ...list.slice(at + 1)]);
      this.refresh();
    };
  }

  private get(type: string): readonly WorkflowListener[] {
    return type === '*' ? this.all : (this.byType.get(type) ?? []);
  }

  private set(type: string, list: readonly WorkflowListener[]): void {
    if (type === '*') this.all = list;
    else this.byType.set(type, list);
  }

  private refresh(): void {
    let any = this.iterators.size > 0 || this.all.length > 0;
    for (const list of this.byType.values()) any ||= list.length > 0;
    this.active = any;
  }

  /** Delivers `event` to its listeners, then the '*' ones, then the iterators. */
  emit(event: WorkflowEvent): void {
    if (this.byType.size > 0) {
      const typed = this.byType.get(event.type);
      if (typed !== undefined) for (let k = 0; k < typed.length; k++) callSafely(typed[k], event);
    }
    const all = this.all;
    for (let k = 0; k < all.length; k++) callSafely(all[k], event);
    if (this.iterators.size > 0) for (const push of this.iterators) push(event);
  }

  /**
   * An async iterator over the events from now on; it ends after `run:end`. Events are buffered
   * until read, so read it (or `return()` it) rather than abandoning it on a long run.
   */
  iterate(): AsyncIterableIterator<WorkflowEvent> {
    const buffer: WorkflowEvent[] = [];
    let ended = this.closed;
    // Several next() calls may be pending at once: each gets the next event in turn.
    const waiting: ((r: IteratorResult<WorkflowEvent>) => void)[] = [];
    const push = (event: WorkflowEvent | null): void => {
      if (event === null) ended = true;
      else buffer.push(event);
      while (waiting.length > 0 && (buffer.length > 0 || ended)) {
        const w = waiting.shift()!;
        if (buffer.length > 0) w({ value: buffer.shift()!, done: false });
        else w({ value: undefined, done: true });
      }
    };
    const stop = (): void => {
      this.iterators.delete(push);
      this.refresh();
    };
    if (!ended) {
      this.iterators.add(push);
      this.active = true;
    }
    return {
      next: () => {
        if (buffer.length > 0) return Promise.resolve({ value: buffer.shift()!, done: false });
        if (ended) {
          stop();
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve) => waiting.push(resolve));
      },
      return: () => {
        stop();
        ended = true;
        buffer.length = 0;
        for (const w of waiting.splice(0)) w({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Ends every iterator (after the run's last event). */
  close(): void {
    this.closed = true;
    for (const push of this.iterators) push(null);
    this.iterators.clear();
  }
}

// A throwing listener must not break the run; report it the way an unhandled error would be.
function callSafely(listener: WorkflowListener, event: WorkflowEvent): void {
  try {
    listener(event);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
