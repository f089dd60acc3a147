// Validation of task specs and workflow options: one place, one message shape, so a bad option
// is reported the same way whether the task was defined up front or added while running.

import { AgentRegistry } from '../agents/agent-registry.js';
import { agentGroup, bindAgentTask } from '../agents/agent-task.js';
import { checkBudget, type Budget } from '../agents/define-agent.js';
import { checkInteger, checkOneOf, expectedMessage } from '../internal/validate.js';
import type { Executor } from '../executors/executor.js';
import { inProcessExecutor } from '../executors/in-process.js';
import { checkWorkerTaskOptions } from '../executors/worker-options.js';
import type { TaskPool } from '../executors/task-pool.js';
import { resolvePressure, type ResolvedPressure } from '../observe/resource-monitor.js';
import { resolveRetry, type ResolvedRetryPolicy } from '../scheduler/retry.js';
import type { DurableStore } from '../store/durable-store.js';
import type { Recorder } from './recorder.js';
import type { WorkflowOptions } from './options.js';
import type { AgentTaskSpec, StallAction, TaskSpec } from './types.js';

/** Workflow options with defaults applied. */
export interface ResolvedWorkflowOptions {
  readonly name: string;
  readonly concurrency: number;
  /** Group names; index 0 is "no group", so `groupNames[0]` is unused. */
  readonly groupNames: readonly string[];
  readonly groupCaps: readonly number[];
  readonly rateLimits: NonNullable<WorkflowOptions['rateLimits']>;
  readonly maxPendingTasks: number;
  readonly backpressure: 'wait' | 'error';
  readonly tracer: WorkflowOptions['tracer'];
  readonly memory: WorkflowOptions['memory'];
  readonly executor: Executor;
  readonly recorders: readonly Recorder[];
  readonly agents: AgentRegistry | undefined;
  readonly budget: Budget | undefined;
  readonly onBudgetExceeded: 'fail' | 'suspend';
  readonly workerPool: TaskPool | undefined;
  readonly pressure: ResolvedPressure | undefined;
  readonly store: DurableStore | undefined;
  readonly stallTimeoutMs: number | undefined;
  readonly onStall: StallAction;
  readonly archiveAfterMs: number | undefined;
}

/** Defaults of {@link WorkflowOptions}. */
export const DEFAULT_WORKFLOW_OPTIONS = Object.freeze({
  name: 'workflow',
  concurrency: Infinity,
  maxPendingTasks: 100_000,
  backpressure: 'wait' as const,
  onBudgetExceeded: 'fail' as const,
  onStall: 'retry' as const,
});

const STALL_ACTIONS: readonly StallAction[] = ['retry', 'fail', 'cancel'];

function checkCap(name: string, value: unknown): number {
  if (value === Infinity) return Infinity;
  return checkInteger(name, value, 1);
}

/** Validates workflow options and fills in the defaults. */
export function resolveWorkflowOptions(options: WorkflowOptions): ResolvedWorkflowOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an options object', options));
  const name = options.name ?? DEFAULT_WORKFLOW_OPTIONS.name;
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(expectedMessage('name', 'a non-empty string', name));
  const groups = options.groups ?? {};
  if (typeof groups !== 'object' || groups === null) throw new TypeError(expectedMessage('groups', 'an object of group caps', groups));
  const groupNames = [''];
  const groupCaps = [Infinity];
  for (const [g, cap] of Object.entries(groups)) {
    groupNames.push(g);
    groupCaps.push(checkCap(`groups.${g}`, cap));
  }
  const agents = options.agents;
  if (agents !== undefined && !(agents instanceof AgentRegistry)) throw new TypeError(expectedMessage('agents', 'an agent registry (createAgentRegistry)', agents));
  for (const agent of agents?.list() ?? []) addAgentGroup(groupNames, groupCaps, agent.name, agent.concurrency);
  if (groupNames.length > 0xffff) throw new RangeError(`Expected at most 65535 groups, got ${groupNames.length - 1}`);
  const rateLimits = options.rateLimits ?? {};
  if (typeof rateLimits !== 'object' || rateLimits === null) throw new TypeError(expectedMessage('rateLimits', 'an object of rate limit options', rateLimits));
  const store = checkStore(options.store);
  const tracer = options.tracer;
  if (tracer !== undefined && typeof tracer?.startSpan !== 'function') throw new TypeError(expectedMessage('tracer', 'an OpenTelemetry Tracer', tracer));
  return Object.freeze({
    name,
    concurrency: checkCap('concurrency', options.concurrency ?? DEFAULT_WORKFLOW_OPTIONS.concurrency),
    groupNames,
    groupCaps,
    rateLimits,
    maxPendingTasks: checkCap('maxPendingTasks', options.maxPendingTasks ?? DEFAULT_WORKFLOW_OPTIONS.maxPendingTasks),
    backpressure: checkOneOf('backpressure', options.backpressure ?? DEFAULT_WORKFLOW_OPTIONS.backpressure, ['wait', 'error']),
    tracer,
    memory: checkMemory(options.memory),
    executor: options.executor === undefined ? inProcessExecutor : checkExecutor(options.executor),
    // The store records like any recorder, after the ones given.
    recorders: checkRecorders([...(options.recorders === undefined ? [] : checkArray(options.recorders)), ...(store === undefined ? [] : [store])]),
    agents,
    budget: checkBudget('budget', options.budget),
    onBudgetExceeded: checkOneOf('onBudgetExceeded', options.onBudgetExceeded ?? DEFAULT_WORKFLOW_OPTIONS.onBudgetExceeded, ['fail', 'suspend']),
    workerPool: checkWorkerPool(options.workerPool),
    pressure: resolvePressure(options.pressure),
    store,
    stallTimeoutMs: options.stallTimeoutMs === undefined ? undefined : checkStall('stallTimeoutMs', options.stallTimeoutMs),
    onStall: checkOneOf('onStall', options.onStall ?? DEFAULT_WORKFLOW_OPTIONS.onStall, STALL_ACTIONS),
    archiveAfterMs: options.archiveAfterMs === undefined ? undefined : checkFinite('archiveAfterMs', options.archiveAfterMs, 0),
  });
}

/** Adds the concurrency group of a capped agent (unless declared in `groups`); whether it did. */
export function addAgentGroup(groupNames: string[], groupCaps: number[], name: string, concurrency: number): boolean {
  const group = agentGroup(name);
  if (concurrency === Infinity || groupNames.includes(group)) return false;
  groupNames.push(group);
  groupCaps.push(concurrency);
  return true;
}

/**
 * The task the engine runs for `spec`: itself, or for an agent task (`{ agent, input }`) the
 * bound task (see agents/agent-task.ts). Says what is wrong with a spec that is neither.
 */
export function prepareTaskSpec(spec: TaskSpec | AgentTaskSpec, agents: AgentRegistry | undefined, groupIndex: ReadonlyMap<string, number>): TaskSpec {
  if (typeof spec !== 'object' || spec === null) throw new TypeError(expectedMessage('task', 'a task spec object', spec));
  if (spec.agent !== undefined) {
    if (typeof spec.id !== 'string' || spec.id.length === 0) throw new TypeError(expectedMessage('task.id', 'a non-empty string', spec.id));
    return bindAgentTask(spec as AgentTaskSpec, agents, groupIndex);
  }
  if (spec.run === undefined && spec.worker === undefined) {
    const id = typeof spec.id === 'string' && spec.id.length > 0 ? `task \`${spec.id}\`: ` : '';
    throw new TypeError(`${id}Expected \`run\` (a function), \`worker\` (a module's export) or \`agent\` (an agent's name), got none`);
  }
  if ((spec as TaskSpec).input !== undefined) throw new TypeError(`task \`${String(spec.id)}\`: \`input\` is an agent task's; a \`run\` task receives its dependencies' outputs`);
  return spec as TaskSpec;
}

function checkExecutor(executor: Executor): Executor {
  if (typeof executor !== 'object' || executor === null || typeof executor.execute !== 'function') {
    throw new TypeError(expectedMessage('executor', 'an Executor (an object with an execute(attempt) method)', executor));
  }
  return executor;
}

function checkWorkerPool(pool: WorkflowOptions['workerPool']): TaskPool | undefined {
  if (pool !== undefined && (typeof pool !== 'object' || pool === null || typeof pool.onIdle !== 'function' || typeof pool.executor?.execute !== 'function')) {
    throw new TypeError(expectedMessage('workerPool', 'a worker pool (createWorkerPool, or createWebWorkerPool in a browser)', pool));
  }
  return pool;
}

function checkArray(recorders: readonly Recorder[]): readonly Recorder[] {
  if (!Array.isArray(recorders)) throw new TypeError(expectedMessage('recorders', 'an array of Recorders', recorders));
  return recorders;
}

function checkRecorders(recorders: readonly Recorder[]): readonly Recorder[] {
  recorders.forEach((r, k) => {
    if (typeof r !== 'object' || r === null || typeof r.record !== 'function') throw new TypeError(expectedMessage(`recorders[${k}]`, 'a Recorder (an object with a record(batch) method)', r));
  });
  return Object.freeze([...recorders]);
}

function checkStore(store: WorkflowOptions['store']): DurableStore | undefined {
  if (store === undefined) return undefined;
  if (typeof store !== 'object' || store === null || typeof store.beginRun !== 'function' || typeof store.record !== 'function' || typeof store.readStep !== 'function') {
    throw new TypeError(expectedMessage('store', 'a durable store (openStore({ path }))', store));
  }
  return store;
}

/** A stall limit: a timer's range, like `timeoutMs`. */
function checkStall(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || value > 2 ** 31 - 1) throw new RangeError(expectedMessage(name, 'a number in (0, 2147483647]', value));
  return value;
}

function checkMemory(memory: WorkflowOptions['memory']): WorkflowOptions['memory'] {
  if (memory !== undefined && (typeof memory !== 'object' || memory === null || typeof memory.recall !== 'function' || typeof memory.endRun !== 'function')) {
    throw new TypeError(expectedMessage('memory', 'a Memory (createMemory)', memory));
  }
  return memory;
}

function checkFinite(name: string, value: unknown, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(expectedMessage(name, min === -Infinity ? 'a finite number' : `a finite number >= ${min}`, value));
  }
  return value;
}

/**
 * Checks one task spec (everything that does not need the other tasks) and returns its retry
 * policy resolved. Dependencies are checked against the graph when the run starts (or, for an
 * added task, when it is added).
 */
export function checkTaskSpec(spec: TaskSpec, groupIndex: ReadonlyMap<string, number>): ResolvedRetryPolicy {
  if (typeof spec !== 'object' || spec === null) throw new TypeError(expectedMessage('task', 'a task spec object', spec));
  const id = spec.id;
  if (typeof id !== 'string' || id.length === 0) throw new TypeError(expectedMessage('task.id', 'a non-empty string', id));
  const at = `task \`${id}\`: `;
  const wrap = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof TypeError) throw new TypeError(at + error.message);
      if (error instanceof RangeError) throw new RangeError(at + error.message);
      throw error;
    }
  };
  return wrap(() => {
    if (spec.worker !== undefined) checkWorkerTaskOptions(spec.worker);
    else if (typeof spec.run !== 'function') throw new TypeError(expectedMessage('run', 'a function', spec.run));
    const deps = spec.dependsOn;
    if (deps !== undefined) {
      if (!Array.isArray(deps)) throw new TypeError(expectedMessage('dependsOn', 'an array of task ids', deps));
      for (let k = 0; k < deps.length; k++) {
        if (typeof deps[k] !== 'string' || deps[k].length === 0) throw new TypeError(expectedMessage(`dependsOn[${k}]`, 'a task id string', deps[k]));
      }
    }
    if (spec.priority !== undefined) checkFinite('priority', spec.priority);
    if (spec.estimateMs !== undefined) checkFinite('estimateMs', spec.estimateMs, 0);
    if (spec.timeoutMs !== undefined) {
      if (typeof spec.timeoutMs !== 'number' || !(spec.timeoutMs > 0) || spec.timeoutMs > 2 ** 31 - 1) {
        throw new RangeError(expectedMessage('timeoutMs', 'a number in (0, 2147483647]', spec.timeoutMs));
      }
    }
    if (spec.stallTimeoutMs !== undefined) checkStall('stallTimeoutMs', spec.stallTimeoutMs);
    if (spec.onStall !== undefined) checkOneOf('onStall', spec.onStall, STALL_ACTIONS);
    const ro = spec.rememberOutput;
    if (ro !== undefined && typeof ro !== 'boolean' && (typeof ro !== 'object' || ro === null)) throw new TypeError(expectedMessage('rememberOutput', 'a boolean or remember options', ro));
    if (spec.critical !== undefined && typeof spec.critical !== 'boolean') throw new TypeError(expectedMessage('critical', 'a boolean', spec.critical));
    if (spec.group !== undefined && !groupIndex.has(spec.group)) {
      const known = [...groupIndex.keys()].filter((g) => g !== '');
      throw new RangeError(`unknown concurrency group \`${String(spec.group)}\` (declared: ${known.length ? known.join(', ') : 'none'}; declare it in \`groups\`)`);
    }
    if (spec.rateLimit !== undefined && (typeof spec.rateLimit !== 'string' || spec.rateLimit.length === 0)) {
      throw new TypeError(expectedMessage('rateLimit', 'a rate limiter name', spec.rateLimit));
    }
    return resolveRetry(spec.retry, 'retry');
  });
}
