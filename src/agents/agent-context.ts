// The context an agent's `run` receives: the task's own context (every call forwarded, so the
// signal, reports and dynamic tasks are the task's) plus the agent's name, the dependencies'
// outputs and the instance borrowed from the agent's pool.

import type { RunMemory } from '../memory/run-memory.js';
import type { AgentTaskSpec, StepContext, StoreDatabase, TaskContext, TaskInput, TaskSpec, Usage } from '../workflow/types.js';
import type { AgentContext } from './define-agent.js';

/** @internal */
export class AgentTaskContext<S> implements AgentContext<S> {
  constructor(
    private readonly ctx: TaskContext,
    readonly agent: string,
    readonly deps: TaskInput,
    readonly instance: S,
  ) {}

  get taskId(): string {
    return this.ctx.taskId;
  }

  get attempt(): number {
    return this.ctx.attempt;
  }

  get signal(): AbortSignal {
    return this.ctx.signal;
  }

  get runInput(): unknown {
    return this.ctx.runInput;
  }

  get memory(): RunMemory | undefined {
    return this.ctx.memory;
  }

  get resumeData(): unknown {
    return this.ctx.resumeData;
  }

  get deadline(): number | undefined {
    return this.ctx.deadline;
  }

  addTask(spec: TaskSpec | AgentTaskSpec, options?: { signal?: AbortSignal }): Promise<void> {
    return this.ctx.addTask(spec, options);
  }

  addDependency(taskId: string, dependsOn: string): void {
    this.ctx.addDependency(taskId, dependsOn);
  }

  reportTokens(tokens: number): void {
    this.ctx.reportTokens(tokens);
  }

  reportUsage(usage: Usage): void {
    this.ctx.reportUsage(usage);
  }

  reportBytes(bytes: number): void {
    this.ctx.reportBytes(bytes);
  }

  stream(delta: string): void {
    this.ctx.stream(delta);
  }

  heartbeat(progress?: unknown): void {
    this.ctx.heartbeat(progress);
  }

  suspend(reason: string, payload?: unknown): Promise<unknown> {
    return this.ctx.suspend(reason, payload);
  }

  step<T>(key: string, fn: (step: StepContext) => T | PromiseLike<T>, options?: { signal?: AbortSignal }): Promise<T> {
    return this.ctx.step(key, fn, options);
  }

  transaction<T>(key: string, fn: (db: StoreDatabase) => T): T {
    return this.ctx.transaction(key, fn);
  }
}
