// One attempt of one task: what the engine hands its executor (see executors/executor.ts) and,
// the same object, the context the task function receives. Its AbortSignal is created on first
// read: most tasks never look at it, and an AbortController per task would dominate the cost of
// a no-op task.

import { checkUsage } from '../agents/usage.js';
import { DuplicateStepError, InvalidStateError } from '../errors.js';
import type { Attempt } from '../executors/executor.js';
import type { AttemptResources } from '../executors/worker-options.js';
import type { RunMemory } from '../memory/run-memory.js';
import { checkAmount, expectedMessage } from '../internal/validate.js';
import { addDependency, addTask, suspendTask } from './run-control.js';
import type { RunCore } from './run-core.js';
import { runStep, runTransaction } from './step.js';
import type { AgentTaskSpec, StepContext, StoreDatabase, TaskContext, TaskInput, TaskSpec, Usage } from './types.js';

/** @internal */
export class AttemptContext implements Attempt, TaskContext {
  // Kept here as well as in the run: the signal a task holds must stay the same object, with the
  // same reason, after the attempt ends.
  private controller: AbortController | undefined;
  private listener: ((reason: unknown) => void) | undefined;
  private keys: Set<string> | undefined;

  constructor(
    private readonly run: RunCore,
    private readonly index: number,
    readonly attempt: number,
    readonly input: TaskInput,
  ) {}

  get runId(): string {
    return this.run.runId;
  }

  get taskId(): string {
    return this.run.graph.ids[this.index];
  }

  get task(): TaskSpec {
    return this.run.graph.specs[this.index];
  }

  get context(): TaskContext {
    return this;
  }

  get durable(): boolean {
    return this.run.durable !== undefined;
  }

  get priority(): number {
    return this.run.s.priority[this.index];
  }

  get runInput(): unknown {
    return this.run.runInput;
  }

  get memory(): RunMemory | undefined {
    return this.run.memory;
  }

  get resumeData(): unknown {
    return this.run.resumeData.get(this.index);
  }

  get deadline(): number | undefined {
    const run = this.run;
    if (run.deadlines.size === 0 || !run.isCurrent(this.index, this.attempt)) return undefined;
    return run.deadlines.get(this.index);
  }

  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    this.controller = new AbortController();
    if (!this.register()) this.controller.abort(this.overReason());
    return this.controller.signal;
  }

  /** Calls `listener` once, with the reason, when the engine gives up on this attempt: what `signal` tells, without making one (an executor far away needs only this). */
  onAbort(listener: (reason: unknown) => void): void {
    this.listener = listener;
    if (!this.register()) this.abort(this.overReason());
  }

  /** @internal The run aborts the attempt through this (its `controllers` entry). */
  abort(reason: unknown): void {
    this.controller?.abort(reason);
    const listener = this.listener;
    this.listener = undefined;
    listener?.(reason);
  }

  /** Enters this attempt in the run's aborters (again is harmless); false when it is over already. */
  private register(): boolean {
    const run = this.run;
    if (!run.isCurrent(this.index, this.attempt)) return false;
    run.controllers.set(this.index, this);
    return true;
  }

  // First read after the attempt ended (cancelled, timed out, or the run is over).
  private overReason(): unknown {
    return this.run.errorOf(this.index) ?? new InvalidStateError(`attempt ${this.attempt} of task \`${this.taskId}\` is over`);
  }

  addTask(spec: TaskSpec | AgentTaskSpec, options?: { signal?: AbortSignal }): Promise<void> {
    return addTask(this.run, spec, options?.signal, this.index);
  }

  addDependency(taskId: string, dependsOn: string): void {
    addDependency(this.run, taskId, dependsOn);
  }

  reportTokens(tokens: number): void {
    checkAmount('tokens', tokens);
    const run = this.run;
    run.tokens += tokens;
    const l = run.s.limiter.length > 0 ? run.s.limiter[this.index] : 0;
    if (l !== 0) run.wf.limiters[l].charge(tokens);
  }

  reportUsage(usage: Usage): void {
    const [prompt, completion, cost] = checkUsage(usage);
    this.reportTokens(prompt + completion);
    this.run.chargeUsage(this.index, prompt, completion, cost);
  }

  reportBytes(bytes: number): void {
    checkAmount('bytes', bytes);
    const run = this.run;
    const l = run.s.limiter.length > 0 ? run.s.limiter[this.index] : 0;
    if (l !== 0) run.wf.limiters[l].chargeBytes(bytes);
  }

  stream(delta: string): void {
    if (typeof delta !== 'string') throw new TypeError(`Expected \`delta\` to be a string, got \`${String(delta)}\` (${typeof delta})`);
    const run = this.run;
    if (!run.isCurrent(this.index, this.attempt)) return; // a late delta of an attempt that is over
    run.tick();
    run.emit(14 /* task:stream */, this.index, { delta });
  }

  heartbeat(progress?: unknown): void {
    const run = this.run;
    if (!run.isCurrent(this.index, this.attempt)) return; // a late beat of an attempt that is over
    run.tick();
    if (run.stall !== undefined) run.stall.beat(this.index);
    run.emit(13 /* task:heartbeat */, this.index, progress === undefined ? undefined : { progress });
  }

  /** @internal A worker executor's figures for this attempt, carried by its next event. */
  resources(used: AttemptResources): void {
    const run = this.run;
    if (run.observed && run.isCurrent(this.index, this.attempt)) run.resources.set(this.index, used);
  }

  suspend(reason: string, payload?: unknown): Promise<unknown> {
    return suspendTask(this.run, this.index, this.attempt, reason, payload);
  }

  step<T>(key: string, fn: (step: StepContext) => T | PromiseLike<T>, options?: { signal?: AbortSignal }): Promise<T> {
    return runStep(this.run, this.index, this.journal(key), fn, options?.signal ?? this.signal);
  }

  transaction<T>(key: string, fn: (db: StoreDatabase) => T): T {
    return runTransaction(this.run, this.index, this.journal(key), fn);
  }

  /** The keys this attempt journaled: a key names one piece of work. */
  private journal(key: string): string {
    if (typeof key !== 'string' || key.length === 0) throw new TypeError(expectedMessage('key', 'a non-empty string', key));
    const keys = (this.keys ??= new Set());
    if (keys.has(key)) throw new DuplicateStepError(this.taskId, key);
    keys.add(key);
    return key;
  }
}
