// The object a task receives. Its AbortSignal is created on first read: most tasks never look
// at it, and an AbortController per task would dominate the cost of a no-op task.

import { InvalidStateError } from '../errors.js';
import { addDependency, addTask, suspendTask } from './run-control.js';
import type { Run } from './run.js';
import { memoryOf } from './run-input.js';
import type { TaskContext, TaskSpec } from './types.js';
import type { RunMemory } from '../memory/run-memory.js';

/** @internal */
export class TaskContextImpl implements TaskContext {
  // Kept here as well as in the run: the signal a task holds must stay the same object, with the
  // same reason, after the attempt ends.
  private controller: AbortController | undefined;

  constructor(
    private readonly run: Run,
    private readonly index: number,
    readonly attempt: number,
  ) {}

  get taskId(): string {
    return this.run.ids[this.index];
  }

  get runInput(): unknown {
    return this.run.runInput;
  }

  get memory(): RunMemory | undefined {
    return memoryOf(this.run);
  }

  get resumeData(): unknown {
    return this.run.resumeData.get(this.index);
  }

  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const run = this.run;
    const i = this.index;
    this.controller = new AbortController();
    if (!run.isCurrent(i, this.attempt)) {
      // First read after the attempt ended (cancelled, timed out, or the run is over).
      this.controller.abort(run.errorOf(i) ?? new InvalidStateError(`attempt ${this.attempt} of task \`${this.taskId}\` is over`));
    } else {
      run.controllers.set(i, this.controller);
    }
    return this.controller.signal;
  }

  addTask(spec: TaskSpec, options?: { signal?: AbortSignal }): Promise<void> {
    return addTask(this.run, spec, options?.signal);
  }

  addDependency(taskId: string, dependsOn: string): void {
    addDependency(this.run, taskId, dependsOn);
  }

  reportTokens(tokens: number): void {
    if (typeof tokens !== 'number' || !(tokens >= 0) || !Number.isFinite(tokens)) {
      throw new RangeError(`Expected \`tokens\` to be a finite number >= 0, got \`${String(tokens)}\` (${typeof tokens})`);
    }
    const l = this.run.s.limiter.length > 0 ? this.run.s.limiter[this.index] : 0;
    if (l !== 0) this.run.wf.limiters[l].charge(tokens);
  }

  suspend(reason: string, payload?: unknown): Promise<unknown> {
    return suspendTask(this.run, this.index, this.attempt, reason, payload);
  }
}
