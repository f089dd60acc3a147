// Resume: a run recorded in a durable store, started again (in this process or another), picks
// up where the record stops. Succeeded tasks keep their outputs and do not run; tasks that were in
// flight run again (at-least-once; their journaled steps are not redone); dynamic tasks given as
// data are re-created with their edges; suspended tasks wait for `handle.resume` again; attempt
// counts and deadlines carry on. This file turns a RecordedRun (data) into the run's state.

import { TaskNotResumableError, WorkflowChangedError } from '../errors.js';
import type { RecordedRun, RecordedTask } from '../store/durable-store.js';
import { definitionChanges, type DefinitionDigest } from './definition.js';
import { insertTask, STATUS_WORD } from './run-control.js';
import type { RunCore } from './run-core.js';
import { checkTaskSpec, prepareTaskSpec } from './spec.js';
import { CANCELLED, FAILED, PENDING, SKIPPED, SUCCEEDED, SUSPENDED } from './state.js';
import type { RunStatus, TaskSpec } from './types.js';

/** What the engine does with a restored run when it begins (see run-durable.ts). */
export interface Restored {
  /** The recorded run had ended: its result is replayed, nothing runs. */
  readonly ended: RunStatus | undefined;
  /** Tasks that were running when the process died: they run again at once. */
  readonly inFlight: readonly number[];
  /** Tasks suspended when the process died: `handle.resume` runs them again with its data. */
  readonly suspended: Set<number>;
  /** Dynamic tasks re-created from the record (a re-run parent adding them again gets these). */
  readonly added: Set<number>;
  /** Unfinished tasks whose dependency had failed: skipped when the run begins. */
  readonly skips: readonly (readonly [number, number])[];
}

const ENDED: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);
const FINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);

/** A task a drain stopped (it ended `cancelled` with `RUN_INTERRUPTED`): a resume runs it again. */
function interrupted(t: RecordedTask): boolean {
  const error = t.error as { code?: unknown } | null | undefined;
  return t.status === 'cancelled' && typeof error === 'object' && error !== null && error.code === 'RUN_INTERRUPTED';
}

/**
 * Applies `recorded` to `run` (created from the current definition, not begun). Throws
 * `WORKFLOW_CHANGED` when the definition differs (unless `acceptChanges`) and
 * `TASK_NOT_RESUMABLE` for an unfinished dynamic task given as a closure.
 */
export function restoreRun(run: RunCore, recorded: RecordedRun, digest: DefinitionDigest, acceptChanges: boolean): Restored {
  const ended = ENDED.has(recorded.status) ? (recorded.status as RunStatus) : undefined;
  // An ended run is replayed as it was recorded, whatever the definition says now.
  if (ended === undefined && recorded.definitionHash !== digest.hash && !acceptChanges) {
    throw new WorkflowChangedError(run.runId, definitionChanges(recorded.definition, digest.tasks));
  }
  const unfinished = (t: RecordedTask | undefined): boolean => t === undefined || !FINAL.has(t.status) || (ended === undefined && interrupted(t));
  const added = new Set<number>();
  const graph = run.graph;
  for (const a of recorded.added) {
    if (graph.indexOf(a.id) !== undefined) continue; // defined now (acceptChanges)
    const data = a.spec !== undefined && !a.closure && (a.spec.agent !== undefined || a.spec.worker !== undefined);
    if (!data && ended === undefined && unfinished(recorded.tasks.get(a.id))) throw new TaskNotResumableError(run.runId, a.id);
    const dependsOn = a.dependsOn.filter((d) => graph.indexOf(d) !== undefined);
    const spec: TaskSpec = data
      ? prepareTaskSpec({ ...a.spec, id: a.id, dependsOn } as TaskSpec, run.wf.options.agents, run.wf.groupIndex)
      : { ...(a.spec as Omit<TaskSpec, 'run'> | undefined), id: a.id, dependsOn, run: finishedClosure(run.runId, a.id) };
    const i = insertTask(run, spec, checkTaskSpec(spec, run.wf.groupIndex));
    for (const d of dependsOn) graph.addDependent(graph.indexOf(d)!, i);
    added.add(i);
  }
  for (const e of recorded.edges) {
    const i = graph.indexOf(e.taskId);
    if (i === undefined) continue;
    for (const dep of e.dependsOn) {
      const d = graph.indexOf(dep);
      if (d === undefined || graph.hasDependency(i, d)) continue;
      graph.addDependency(i, d);
      graph.addDependent(d, i);
    }
  }
  const restored = { ended, inFlight: [] as number[], suspended: new Set<number>(), added, skips: [] as [number, number][] };
  restoreStates(run, recorded, restored, unfinished);
  return restored;
}

/** The `run` of a finished closure task: it never runs again, but the spec needs one. */
function finishedClosure(runId: string, taskId: string): () => never {
  return () => {
    throw new TaskNotResumableError(runId, taskId);
  };
}

function restoreStates(run: RunCore, recorded: RecordedRun, restored: Restored & { inFlight: number[]; skips: [number, number][] }, unfinished: (t: RecordedTask | undefined) => boolean): void {
  const s = run.s;
  const { ids, n } = run.graph;
  // Recorded epoch times, on the run's clock (negative: before this process started the run).
  const rel = (epoch: number): number => epoch - performance.timeOrigin - run.origin;
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const t = recorded.tasks.get(ids[i]);
    if (t === undefined) continue;
    s.attempts[i] = Math.min(t.attempts, 0xffff);
    if (t.startedAt !== undefined) s.t0[i] = rel(t.startedAt);
    if (t.endedAt !== undefined) s.t1[i] = rel(t.endedAt);
    if (!unfinished(t)) {
      s.status[i] = t.status === 'succeeded' ? SUCCEEDED : t.status === 'failed' ? FAILED : t.status === 'skipped' ? SKIPPED : CANCELLED;
      if (t.status === 'succeeded') s.outputs[i] = t.output;
      else run.errors.set(i, t.error ?? new Error(`task \`${ids[i]}\` ${t.status} (recorded without its error)`));
    } else if (restored.ended !== undefined) {
      continue; // not final in a run that ended: shown as it is, nothing runs
    } else if (t.status === 'suspended') {
      s.status[i] = SUSPENDED;
      restored.suspended.add(i);
    } else if (t.status === 'running') {
      // The attempt in flight runs again under its own number, with what was left of its deadline.
      s.attempts[i] = Math.max(0, s.attempts[i] - 1);
      restored.inFlight.push(i);
      if (t.deadline !== undefined && run.graph.timeouts.has(i)) run.timeLeft.set(i, Math.max(0, t.deadline - now));
    }
  }
  let open = 0;
  const { offsets, targets } = run.wf.preds;
  const status = s.status;
  const skips = restored.skips;
  for (let i = 0; i < n; i++) {
    if (status[i] >= SUCCEEDED) continue;
    open++;
    if (status[i] !== PENDING) continue;
    // Defined tasks' dependencies from the compiled CSR (no array per task), then any added ones.
    let remaining = 0;
    if (run.graph.isDefined(i)) {
      for (let e = offsets[i]; e < offsets[i + 1]; e++) remaining += countOpen(status, skips, i, targets[e]);
      const extra = run.graph.extraPredecessors(i);
      if (extra !== undefined) for (const p of extra) remaining += countOpen(status, skips, i, p);
    } else for (const p of run.graph.predecessors(i)) remaining += countOpen(status, skips, i, p);
    s.remaining[i] = remaining;
  }
  run.unfinished = open;
}

/** 1 when dependency `p` of task `i` is not done (noting a skip when it ended without success), else 0. */
function countOpen(status: ArrayLike<number>, skips: [number, number][], i: number, p: number): number {
  const st = status[p];
  if (st === SUCCEEDED) return 0;
  if (st > SUCCEEDED) skips.push([i, p]);
  return 1;
}

/** Skips an unfinished task of a resumed run whose dependency ended without success. */
export function skipRestored(run: RunCore, i: number, p: number): void {
  run.skipFrom(i, p, STATUS_WORD[run.s.status[p]]);
}
