// What a run shares with its workflow definition: compiled once (graph, priorities, limits) and
// reused by every run, plus the event codes the engine counts.

import type { CsrGraph } from '../kernels/types.js';
import type { RateLimiter } from '../scheduler/rate-limiter.js';
import type { ResolvedRetryPolicy } from '../scheduler/retry.js';
import type { ResolvedWorkflowOptions } from './spec.js';
import type { AgentTaskSpec, TaskSpec, WorkflowEventType } from './types.js';

/** What a run needs from its workflow, compiled once per definition. */
export interface CompiledWorkflow {
  readonly options: ResolvedWorkflowOptions;
  readonly specs: readonly TaskSpec[];
  readonly ids: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** Dependency → dependent edges over definition indices. */
  readonly graph: CsrGraph;
  /** The reverse: each task's dependencies, in `dependsOn` order. */
  readonly preds: CsrGraph;
  /** Default priority of each task (upward rank, or the explicit priority). */
  readonly priority: Float64Array;
  readonly retry: ReadonlyMap<number, ResolvedRetryPolicy>;
  readonly timeouts: ReadonlyMap<number, number>;
  readonly groupIndex: ReadonlyMap<string, number>;
  readonly limiters: readonly RateLimiter[];
  readonly limiterIndex: ReadonlyMap<string, number>;
  readonly hooks: ReadonlyMap<string, readonly CompleteHook[]>;
}

/** A hook run after a task succeeds, before its dependents are released. */
export type CompleteHook = (output: unknown, control: HookControl) => void;

/** What an `onTaskComplete` hook may do. */
export interface HookControl {
  readonly taskId: string;
  addTask(spec: TaskSpec | AgentTaskSpec): Promise<void>;
  addDependency(taskId: string, dependsOn: string): void;
}

/** Every event type, in the order of the counters. */
export const EVENT_TYPES: readonly WorkflowEventType[] = ['run:start', 'task:ready', 'task:start', 'task:retry', 'task:suspended', 'task:resumed', 'task:succeeded', 'task:failed', 'task:skipped', 'task:cancelled', 'run:end', 'task:added', 'dependency:added', 'task:heartbeat', 'task:stream', 'run:pressure', 'task:stalled'];
