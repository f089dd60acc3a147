// What the run engine asks of its optional parts (a durable store's resume and journal, stall
// detection, archival, a drain), as interfaces: run-core.ts holds them by these types, and the
// parts (run-durable.ts, run-stall.ts, run-archive.ts, run-drain.ts) import the engine, never the
// other way round. A run without them pays one `undefined` check where each could act.

import type { DurableStore } from '../store/durable-store.js';
import type { TaskSpec } from './types.js';

/** A run recorded in a durable store (run-durable.ts). */
export interface DurableHooks {
  readonly store: DurableStore;
  /** At the run's start: tasks found in flight are re-run; returns true when the recorded run had ended (it is replayed, not run). */
  begin(): boolean;
  /** After the `run:end` batch is recorded: releases the run's lease. */
  end(): void;
  /** `addTask` of an id the run has: true when it is the same task the recorded run added (the add is a no-op). */
  readded(i: number, spec: TaskSpec): boolean;
  /** Task `i` was suspended in a process that is gone: its waiter died with it, so it runs again with `data`. */
  restart(i: number, data: unknown): boolean;
  /** The data a re-run task's `ctx.suspend()` returns at once (it was resumed before it ran again). */
  takeReplay(i: number): { readonly data: unknown } | undefined;
}

/** Stall detection of the running attempts of tasks with a `stallTimeoutMs` (run-stall.ts). */
export interface StallHooks {
  /** An attempt of task `i` started: its stall clock starts. */
  started(i: number): void;
  /** Task `i` showed life (`heartbeat`, a step). */
  beat(i: number): void;
  /** Task `i`'s attempt ended (or suspended): its clock stops. */
  ended(i: number): void;
  /** The run ended: stop the clock. */
  stop(): void;
}

/** Archival of finished added tasks (run-archive.ts). */
export interface ArchiveHooks {
  /** Task `i` reached a final status. */
  finished(i: number): void;
  /** The run ended. */
  stop(): void;
}
