// Operations on a running run that are not on the hot path: tasks added while it runs, extra
// dependencies, suspension for human input, and live control of single tasks.

import { CycleDetectedError, InvalidStateError, QueueFullError, TaskCancelledError } from '../errors.js';
import { WorkerGate } from '../executors/worker-gate.js';
import { getRateLimiter } from '../scheduler/rate-limiter.js';
import type { RunCore } from './run-core.js';
import { StallWatch } from './run-stall.js';
import { release } from './run-budget.js';
import { checkTaskSpec, prepareTaskSpec } from './spec.js';
import { CANCELLED, FAILED, PENDING, READY, RESUMING, RETRYING, RUNNING, SKIPPED, SUCCEEDED, SUSPENDED } from './state.js';
import type { AgentTaskSpec, TaskSpec } from './types.js';

function taskIndex(run: RunCore, id: string): number {
  const i = typeof id === 'string' ? run.graph.indexOf(id) : undefined;
  if (i === undefined) throw new RangeError(`Unknown task \`${String(id)}\` in run ${run.runId}`);
  return i;
}

function isFinalFailure(status: number): boolean {
  return status === FAILED || status === SKIPPED || status === CANCELLED;
}

function waitForRoom(run: RunCore, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      const at = run.roomWaiters.indexOf(wake);
      if (at >= 0) run.roomWaiters.splice(at, 1);
      reject(signal!.reason);
    };
    const wake = (): void => {
      // Reserved until the woken call adds its task (or gives up), so the run cannot end meanwhile.
      run.reserved++;
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    run.roomWaiters.push(wake);
  });
}

/** Adds a task to a running run (see `TaskContext.addTask`). */
export async function addTask(run: RunCore, given: TaskSpec | AgentTaskSpec, signal?: AbortSignal, parent = -1): Promise<void> {
  run.tick();
  const spec = prepareTaskSpec(given, run.wf.options.agents, run.wf.groupIndex);
  const retry = checkTaskSpec(spec, run.wf.groupIndex);
  if (spec.rateLimit !== undefined && !run.wf.limiterIndex.has(spec.rateLimit)) {
    throw new RangeError(`task \`${spec.id}\`: unknown rate limiter \`${spec.rateLimit}\` (declare it in the workflow's \`rateLimits\`${getRateLimiter(spec.rateLimit) ? ' before the run starts' : ''})`);
  }
  const options = run.wf.options;
  let woken = false;
  // A woken call holds a reservation (run.reserved, taken by wake()) until it adds its task.
  while (!run.settled && run.unfinished + run.reserved - (woken ? 1 : 0) >= options.maxPendingTasks) {
    if (options.backpressure === 'error') throw new QueueFullError(options.maxPendingTasks);
    if (woken) {
      run.reserved--;
      woken = false;
    }
    await waitForRoom(run, signal);
    woken = true;
  }
  try {
    addNow(run, spec, retry, parent);
  } finally {
    if (woken) {
      run.reserved--;
      run.afterFinish(); // the reservation is over: the run may end, or another waiter add
    }
  }
}

function addNow(run: RunCore, spec: TaskSpec, retry: ReturnType<typeof checkTaskSpec>, parent: number): void {
  if (run.settled) throw new InvalidStateError(`cannot add task \`${spec.id}\`: run ${run.runId} has ended (${run.status})`);
  const graph = run.graph;
  const known = graph.indexOf(spec.id);
  if (known !== undefined) {
    // A task re-run after a crash adds its tasks again: the recorded ones are kept.
    if (run.durable !== undefined && run.durable.readded(known, spec)) return;
    throw new RangeError(`Duplicate task id \`${spec.id}\` in run ${run.runId}`);
  }
  const deps = [...new Set(spec.dependsOn ?? [])].map((dep) => {
    const d = graph.indexOf(dep);
    if (d === undefined) throw new RangeError(`Task \`${spec.id}\` depends on unknown task \`${dep}\``);
    return d;
  });
  if (deps.length !== (spec.dependsOn?.length ?? 0)) spec = { ...spec, dependsOn: deps.map((d) => graph.ids[d]) };
  const i = insertTask(run, spec, retry);
  const s = run.s;
  run.unfinished++;
  run.emit(11 /* task:added */, i, parent < 0 ? { spec, dependsOn: spec.dependsOn ?? [] } : { spec, dependsOn: spec.dependsOn ?? [], parent: graph.ids[parent] });
  let failedDep = -1;
  let remaining = 0;
  for (const d of deps) {
    const st = s.status[d];
    if (st === SUCCEEDED) continue;
    // The edge is recorded even to a failed dependency, so that retryTask(dependency) reopens this task.
    graph.addDependent(d, i);
    if (isFinalFailure(st)) failedDep = d;
    else remaining++;
  }
  s.remaining[i] = remaining;
  if (failedDep >= 0) {
    // Depends on a task that already failed: skipped at once, as a defined task would be.
    run.skipFrom(i, failedDep, STATUS_WORD[s.status[failedDep]]);
  } else if (remaining === 0) {
    run.makeReady(i);
  }
  run.afterFinish();
}

/** Puts task `spec` in the run's graph and state, pending, and returns its index (no event, no edge). */
export function insertTask(run: RunCore, spec: TaskSpec, retry: ReturnType<typeof checkTaskSpec> | undefined): number {
  const i = run.graph.add(spec, retry);
  if (spec.worker !== undefined) run.gate ??= new WorkerGate(run);
  if (spec.stallTimeoutMs !== undefined) run.stall ??= new StallWatch(run);
  const s = run.s;
  s.ensure(run.graph.n);
  s.status[i] = PENDING;
  s.attempts[i] = 0;
  s.ownPriority();
  s.priority[i] = spec.priority ?? spec.estimateMs ?? 1;
  if (s.group.length > 0) s.group[i] = spec.group !== undefined ? run.wf.groupIndex.get(spec.group)! : 0;
  if (s.limiter.length > 0) s.limiter[i] = spec.rateLimit !== undefined ? run.wf.limiterIndex.get(spec.rateLimit)! : 0;
  return i;
}

/** Status words of final failures, for skip reasons. */
export const STATUS_WORD: Record<number, string> = { [FAILED]: 'failed', [SKIPPED]: 'skipped', [CANCELLED]: 'cancelled' };

/** Makes the not-yet-started task `taskId` also wait for `dependsOn`. */
export function addDependency(run: RunCore, taskId: string, dependsOn: string): void {
  if (run.settled) throw new InvalidStateError(`run ${run.runId} has ended (${run.status})`);
  const i = taskIndex(run, taskId);
  const d = taskIndex(run, dependsOn);
  const s = run.s;
  if (s.status[i] !== PENDING && s.status[i] !== READY) {
    throw new InvalidStateError(`cannot add a dependency to task \`${taskId}\`: it is ${statusName(s.status[i])}, not pending`);
  }
  if (i === d) throw new RangeError(`Task \`${taskId}\` cannot depend on itself`);
  const graph = run.graph;
  const cycle = graph.path(i, d);
  if (cycle) throw new CycleDetectedError(cycle.map((x) => graph.ids[x]));
  if (graph.hasDependency(i, d)) return;
  graph.addDependency(i, d);
  run.emit(12 /* dependency:added */, i, { dependsOn: [dependsOn] });
  const st = s.status[d];
  if (st === SUCCEEDED) return;
  graph.addDependent(d, i);
  if (isFinalFailure(st)) {
    run.skipFrom(i, d, STATUS_WORD[st]);
    run.afterFinish();
    return;
  }
  s.remaining[i]++;
  s.status[i] = PENDING; // a ready task goes back to waiting; its heap entry becomes stale
}

function statusName(code: number): string {
  return ['pending', 'ready', 'running', 'retrying', 'suspended', 'resuming', 'succeeded', 'failed', 'skipped', 'cancelled'][code];
}

/** Suspends a running task until {@link resumeTask}. */
export function suspendTask(run: RunCore, i: number, attempt: number, reason: string, payload: unknown): Promise<unknown> {
  if (typeof reason !== 'string') return Promise.reject(new TypeError(`Expected \`reason\` to be a string, got \`${String(reason)}\` (${typeof reason})`));
  if (!run.isCurrent(i, attempt) || run.s.status[i] !== RUNNING) {
    return Promise.reject(new InvalidStateError(`task \`${run.graph.ids[i]}\` cannot suspend: it is ${statusName(run.s.status[i])}`));
  }
  // Resumed before a crash, and run again since: the answer is known.
  const replay = run.durable?.takeReplay(i);
  if (replay !== undefined) return Promise.resolve(replay.data);
  run.stall?.ended(i);
  // Leave the slot and stop the attempt's clock: a human's answer does not count against
  // timeoutMs; the attempt gets what it had left when it resumes.
  run.vacate(i);
  run.clearTimer(i);
  run.tick();
  run.pauseDeadline(i);
  run.s.status[i] = SUSPENDED;
  const promise = new Promise<unknown>((resolve, reject) => run.suspensions.set(i, { resolve, reject }));
  run.emit(4 /* task:suspended */, i, { reason, payload });
  run.pump();
  return promise;
}

/** Continues a suspended task with `data` (it waits for a slot like any ready task). */
export function resumeTask(run: RunCore, taskId: string, data: unknown): void {
  const i = taskIndex(run, taskId);
  if (run.s.status[i] !== SUSPENDED || run.settled) {
    throw new InvalidStateError(`cannot resume task \`${taskId}\`: it is ${run.settled && run.s.status[i] === CANCELLED ? 'cancelled' : statusName(run.s.status[i])}, not suspended`);
  }
  run.tick();
  if (run.parked.size > 0 && release(run, i)) {
    // Parked for a spent budget, never started: a human lets it start anyway.
    run.budgetOverride.add(i);
    run.pump();
    return;
  }
  run.resumeData.set(i, data);
  run.s.status[i] = RESUMING;
  run.emit(5 /* task:resumed */, i);
  run.heap.push(i);
  run.pump();
}

/**
 * Runs a task again: a running or retrying one restarts now (its current attempt is aborted);
 * a failed, cancelled or skipped one is reopened together with the dependents it caused to be
 * skipped, as long as the run has not ended.
 */
export function retryTask(run: RunCore, taskId: string): void {
  const i = taskIndex(run, taskId);
  if (run.settled) throw new InvalidStateError(`cannot retry task \`${taskId}\`: run ${run.runId} has ended (${run.status})`);
  const s = run.s;
  const st = s.status[i];
  if (st === RUNNING || st === RETRYING) {
    run.retryBase.set(i, s.attempts[i]);
    const error = new TaskCancelledError(taskId, 'restarted by retryTask()');
    if (st === RUNNING) {
      run.controllers.get(i)?.abort(error);
      run.endAttempt(i, error);
    } else {
      run.clearTimer(i);
    }
    run.makeReady(i);
    run.pump();
    return;
  }
  if (!isFinalFailure(st)) throw new InvalidStateError(`cannot retry task \`${taskId}\`: it is ${statusName(st)}`);
  const blocked = failedPredecessor(run, i);
  if (blocked >= 0) throw new InvalidStateError(`cannot retry task \`${taskId}\`: its dependency \`${run.graph.ids[blocked]}\` is ${statusName(s.status[blocked])}; retry that one`);
  run.retryBase.set(i, s.attempts[i]); // a fresh retry budget from here
  reopen(run, i);
  const stack: number[] = [];
  run.graph.forEachSucc(i, (d) => stack.push(d));
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (s.status[d] !== SKIPPED || failedPredecessor(run, d) >= 0) continue;
    reopen(run, d);
    run.graph.forEachSucc(d, (e) => stack.push(e));
  }
  run.pump();
}

function failedPredecessor(run: RunCore, i: number): number {
  for (const p of run.graph.predecessors(i)) if (isFinalFailure(run.s.status[p])) return p;
  return -1;
}

function reopen(run: RunCore, i: number): void {
  const s = run.s;
  run.errors.delete(i);
  run.unfinished++;
  let remaining = 0;
  for (const p of run.graph.predecessors(i)) if (s.status[p] !== SUCCEEDED) remaining++;
  s.remaining[i] = remaining;
  s.status[i] = PENDING;
  if (remaining === 0) run.makeReady(i);
}

/** Changes a task's priority (takes effect for the next dispatch). */
export function setPriority(run: RunCore, taskId: string, priority: number): void {
  const i = taskIndex(run, taskId);
  if (typeof priority !== 'number' || !Number.isFinite(priority)) {
    throw new RangeError(`Expected \`priority\` to be a finite number, got \`${String(priority)}\` (${typeof priority})`);
  }
  run.s.ownPriority();
  run.s.priority[i] = priority;
  run.heap.rebuild();
  for (const h of run.groupHeaps) h.rebuild();
}
