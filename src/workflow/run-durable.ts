// A run recorded in a durable store: it begins (or resumes) its record, re-runs what was in
// flight, answers a re-run task's additions with the recorded tasks, restarts tasks suspended in
// a process that is gone, and releases the run's lease at the end.

import { RunInterruptedError } from '../errors.js';
import type { DurableStore, RecordedRun } from '../store/durable-store.js';
import { definitionDigest, taskDigest } from './definition.js';
import type { DurableHooks } from './run-extras.js';
import { restoreRun, skipRestored, type Restored } from './run-resume.js';
import type { Run } from './run.js';
import type { TaskSpec } from './types.js';

/** @internal The durable side of one run. */
export class DurableRun implements DurableHooks {
  private restored: Restored | undefined;
  private readonly replays = new Map<number, unknown>();

  constructor(
    private readonly run: Run,
    readonly store: DurableStore,
  ) {}

  /**
   * Begins the run's record: a new run is recorded, a recorded one restored (see run-resume.ts).
   * Throws what the store throws (`RUN_LEASED`), `WORKFLOW_CHANGED` and `TASK_NOT_RESUMABLE`;
   * the lease is released again then.
   */
  static begin(run: Run, acceptChanges: boolean): DurableRun {
    const store = run.wf.options.store!;
    const digest = definitionDigest(run.wf);
    const recorded: RecordedRun | undefined = store.beginRun(run.runId, { workflow: run.wf.options.name, definitionHash: digest.hash, definition: digest.tasks, dependencies: digest.dependencies, input: run.runInput });
    const durable = new DurableRun(run, store);
    if (recorded !== undefined) {
      try {
        if (run.runInput === undefined) run.runInput = recorded.input;
        durable.restored = restoreRun(run, recorded, digest, acceptChanges);
      } catch (error) {
        store.endRun(run.runId);
        throw error;
      }
    }
    run.durable = durable;
    return durable;
  }

  begin(): boolean {
    const restored = this.restored;
    if (restored === undefined) return false;
    const run = this.run;
    if (restored.ended !== undefined) {
      run.stopRecording(); // the store has all of it
      run.finish(restored.ended);
      return true;
    }
    // Running in a process that died: stalled by definition, they start again now.
    const attempts = run.s.attempts;
    for (const i of restored.inFlight) {
      attempts[i]++; // the event names the attempt that stalled (it runs again under that number)
      run.emit(16 /* task:stalled */, i, { error: new RunInterruptedError(run.graph.ids[i], 'the process running it ended') });
      attempts[i]--;
    }
    for (const [i, p] of restored.skips) skipRestored(run, i, p);
    return false;
  }

  end(): void {
    try {
      this.store.endRun(this.run.runId);
    } catch (error) {
      // A closed store has no lease to release; anything else is reported, as a recorder's error is.
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  readded(i: number, spec: TaskSpec): boolean {
    const added = this.restored?.added;
    return added !== undefined && added.has(i) && taskDigest(this.run.graph.specs[i]) === taskDigest(spec);
  }

  restart(i: number, data: unknown): boolean {
    const suspended = this.restored?.suspended;
    if (suspended === undefined || !suspended.delete(i)) return false;
    this.replays.set(i, data);
    const run = this.run;
    run.s.attempts[i] = Math.max(0, run.s.attempts[i] - 1); // the same attempt, run again
    run.startNow(i);
    return true;
  }

  takeReplay(i: number): { readonly data: unknown } | undefined {
    if (this.replays.size === 0 || !this.replays.has(i)) return undefined;
    const data = this.replays.get(i);
    this.replays.delete(i);
    return { data };
  }
}
