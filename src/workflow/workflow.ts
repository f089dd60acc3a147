// The definition side: tasks are checked as they are added; the graph (CSR), cycle check and
// default priorities are computed once per definition and reused by every run.

import { CycleDetectedError } from '../errors.js';
import { csrFromDependencies, reverseCsr } from '../graph/csr.js';
import { getKernels } from '../kernels/index.js';
import { defineRateLimit, type RateLimiter } from '../scheduler/rate-limiter.js';
import type { ResolvedRetryPolicy } from '../scheduler/retry.js';
import { expectedMessage } from '../internal/validate.js';
import { RunHandle } from './handle.js';
import { toMermaid } from './mermaid.js';
import type { CompiledWorkflow, CompleteHook } from './compiled.js';
import { Run } from './run.js';
import { checkGrace, checkSignals, DEFAULT_DRAIN_GRACE_MS, drainOnSignals } from './run-drain.js';
import { ArchiveWatch } from './run-archive.js';
import { DurableRun } from './run-durable.js';
import { StallWatch } from './run-stall.js';
import { addAgentGroup, checkTaskSpec, prepareTaskSpec, resolveWorkflowOptions, type ResolvedWorkflowOptions } from './spec.js';
import type { RunOptions, WorkflowOptions } from './options.js';
import type { AgentTaskSpec, RunResult, TaskSpec } from './types.js';

/** A workflow definition: tasks and their dependencies. Run it any number of times. */
export class Workflow {
  // Replaced (not changed) when an agent registered later adds its group: compiled runs keep theirs.
  private resolved: ResolvedWorkflowOptions;
  // Copy-on-write once compiled: runs in progress share these with the compiled workflow, so a
  // definition that grows meanwhile gets fresh ones (see mutable()).
  private specs: TaskSpec[] = [];
  private index = new Map<string, number>();
  private retry = new Map<number, ResolvedRetryPolicy>();
  private groupIndex: Map<string, number>;
  private hooks = new Map<string, CompleteHook[]>();
  private compiled: CompiledWorkflow | undefined;

  /** @param options - see {@link WorkflowOptions} */
  constructor(options: WorkflowOptions = {}) {
    this.resolved = resolveWorkflowOptions(options);
    this.groupIndex = new Map(this.options.groupNames.map((g, i) => [g, i]));
    this.groupIndex.delete('');
  }

  /** Resolved options. */
  get options(): ResolvedWorkflowOptions {
    return this.resolved;
  }

  /** The workflow's name. */
  get name(): string {
    return this.options.name;
  }

  /** Number of tasks defined. */
  get size(): number {
    return this.specs.length;
  }

  /**
   * Adds a task: a function (`run`) or an agent of the workflow's `agents` on data (`agent`,
   * `input`; the agent is looked up now). Its own fields are checked now (a clear
   * `TypeError`/`RangeError` naming the task and the option); dependencies and cycles when the
   * workflow runs or {@link validate}s.
   */
  task<O>(given: TaskSpec<O> | AgentTaskSpec): this {
    if (given?.agent !== undefined) this.agentGroup(given.agent);
    const spec = prepareTaskSpec(given as TaskSpec, this.options.agents, this.groupIndex);
    const retry = checkTaskSpec(spec, this.groupIndex);
    if (this.index.has(spec.id)) throw new RangeError(`Duplicate task id \`${spec.id}\` (already defined at position ${this.index.get(spec.id)})`);
    this.mutable();
    const i = this.specs.length;
    this.index.set(spec.id, i);
    this.specs.push(spec);
    if (spec.retry !== undefined) this.retry.set(i, retry);
    return this;
  }

  /** Declares the group of a capped agent registered after this workflow was created. */
  private agentGroup(name: unknown): void {
    const agents = this.options.agents;
    if (typeof name !== 'string' || agents === undefined || !agents.has(name)) return; // prepareTaskSpec says what is wrong
    const groupNames = [...this.options.groupNames];
    const groupCaps = [...this.options.groupCaps];
    if (!addAgentGroup(groupNames, groupCaps, name, agents.get(name).concurrency)) return;
    this.mutable();
    this.resolved = Object.freeze({ ...this.resolved, groupNames, groupCaps });
    this.groupIndex = new Map(groupNames.map((g, k) => [g, k]));
    this.groupIndex.delete('');
  }

  /**
   * Runs `handler` after task `taskId` succeeds and before its dependents start; it can add
   * tasks and dependencies to the run. A throwing handler fails the task.
   */
  onTaskComplete(taskId: string, handler: CompleteHook): this {
    if (typeof taskId !== 'string' || taskId.length === 0) throw new TypeError(expectedMessage('taskId', 'a task id', taskId));
    if (typeof handler !== 'function') throw new TypeError(expectedMessage('handler', 'a function', handler));
    this.mutable();
    this.hooks.set(taskId, [...(this.hooks.get(taskId) ?? []), handler]);
    return this;
  }

  /** Before changing the definition: detach it from the compiled form that runs may be using. */
  private mutable(): void {
    if (this.compiled === undefined) return;
    this.compiled = undefined;
    this.specs = this.specs.slice();
    this.index = new Map(this.index);
    this.retry = new Map(this.retry);
    this.hooks = new Map(this.hooks);
  }

  /**
   * Checks the whole graph: unknown dependencies, self-dependencies, cycles (a
   * `CycleDetectedError` listing the cycle's ids in order), unknown rate limiters and hooks on
   * unknown tasks. Runs do this themselves; call it to fail earlier.
   */
  validate(): void {
    this.compile();
  }

  private compile(): CompiledWorkflow {
    if (this.compiled) return this.compiled;
    const specs = this.specs;
    const n = specs.length;
    const { graph } = csrFromDependencies(
      specs.map((t) => t.id),
      specs.map((t) => t.dependsOn),
    );
    const kernels = getKernels().graph;
    const order = new Uint32Array(n);
    if (kernels.topoSort(graph, order) < n) {
      const cycle = new Uint32Array(n);
      const len = kernels.findCycle(graph, cycle);
      throw new CycleDetectedError(Array.from(cycle.subarray(0, len), (v) => specs[v].id));
    }
    const weights = new Float64Array(n);
    for (let i = 0; i < n; i++) weights[i] = specs[i].estimateMs ?? 1;
    const priority = new Float64Array(n);
    kernels.upwardRank(graph, weights, priority);
    for (let i = 0; i < n; i++) if (specs[i].priority !== undefined) priority[i] = specs[i].priority!;
    for (const id of this.hooks.keys()) if (!this.index.has(id)) throw new RangeError(`onTaskComplete: unknown task \`${id}\``);
    const timeouts = new Map<number, number>();
    for (let i = 0; i < n; i++) if (specs[i].timeoutMs !== undefined) timeouts.set(i, specs[i].timeoutMs!);
    const limiterIndex = new Map<string, number>();
    const limiters: RateLimiter[] = [undefined as never];
    const declared = this.options.rateLimits;
    for (const t of specs) {
      if (t.rateLimit === undefined || limiterIndex.has(t.rateLimit)) continue;
      if (!Object.hasOwn(declared, t.rateLimit)) {
        throw new RangeError(`task \`${t.id}\`: unknown rate limiter \`${t.rateLimit}\` (declared: ${Object.keys(declared).join(', ') || 'none'}; declare it in \`rateLimits\`)`);
      }
    }
    for (const [name, options] of Object.entries(declared)) {
      limiterIndex.set(name, limiters.length);
      limiters.push(defineRateLimit(name, options));
    }
    this.compiled = { options: this.options, specs, ids: specs.map((t) => t.id), index: this.index, graph, preds: reverseCsr(graph), priority, retry: this.retry, timeouts, groupIndex: this.groupIndex, limiters, limiterIndex, hooks: this.hooks };
    return this.compiled;
  }

  /** Starts a run and returns its handle at once (validation errors throw here). */
  start(options: RunOptions = {}): RunHandle {
    if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'a run options object', options));
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new TypeError(expectedMessage('signal', 'an AbortSignal', options.signal));
    if (options.runId !== undefined && (typeof options.runId !== 'string' || options.runId.length === 0)) throw new TypeError(expectedMessage('runId', 'a non-empty string', options.runId));
    const store = this.options.store;
    if (store !== undefined && options.runId === undefined) throw new TypeError('A run of a workflow with a `store` needs a `runId` (`wf.run({ runId })`): it is the name its record is found by');
    if (options.acceptChanges !== undefined && typeof options.acceptChanges !== 'boolean') throw new TypeError(expectedMessage('acceptChanges', 'a boolean', options.acceptChanges));
    const signals = options.drainOnSignals === undefined ? undefined : checkSignals(options.drainOnSignals);
    const graceMs = options.drainGraceMs === undefined ? DEFAULT_DRAIN_GRACE_MS : checkGrace('drainGraceMs', options.drainGraceMs);
    const run = new Run(this.compile(), options.input, options.runId);
    run.stall = StallWatch.forRun(run);
    run.archive = ArchiveWatch.forRun(run);
    if (store !== undefined) DurableRun.begin(run, options.acceptChanges === true);
    const handle = new RunHandle(run);
    if (signals !== undefined) drainOnSignals(run, signals, graceMs);
    // Begin on the next microtask, so that listeners attached right after start() see every event.
    queueMicrotask(() => run.begin(options.signal));
    return handle;
  }

  /** Runs to the end: `start(options).result` (what `start` throws, this rejects with). */
  run(options: RunOptions = {}): Promise<RunResult> {
    try {
      return this.start(options).result;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The graph as a Mermaid flowchart. */
  toMermaid(): string {
    return toMermaid(
      this.specs.map((t) => t.id),
      (i) => (this.specs[i].dependsOn ?? []).map((id) => this.index.get(id) ?? -1).filter((d) => d >= 0),
    );
  }
}

/** Creates a workflow definition (see {@link WorkflowOptions} for the defaults). */
export function workflow(options: WorkflowOptions = {}): Workflow {
  return new Workflow(options);
}
