// What a task receives and, for tasks that opt in, what happens to its output.

import { runMemory, type RememberOutputOptions, type RunMemory } from '../memory/run-memory.js';
import type { HookControl } from './compiled.js';
import { TaskContextImpl } from './context.js';
import type { Run } from './run.js';
import type { TaskInput } from './types.js';

// Inputs are null-prototype objects: V8 keeps them in dictionary mode from the start, which is
// ~25x faster to build than a literal when every task has different dependency ids (measured
// 50 vs 1290 ns for three keys), and no dependency id can collide with an Object.prototype member.
const EMPTY_INPUT: TaskInput = Object.freeze(Object.create(null) as TaskInput);

/** The outputs of task `i`'s dependencies, by id. */
export function inputOf(run: Run, i: number): TaskInput {
  const extra = run.extraPreds.size > 0 ? run.extraPreds.get(i) : undefined;
  const outputs = run.s.outputs;
  const ids = run.ids;
  let input: Record<string, unknown> | undefined;
  if (i < run.wf.specs.length) {
    const { offsets, targets } = run.wf.preds;
    const start = offsets[i];
    const end = offsets[i + 1];
    if (start === end && extra === undefined) return EMPTY_INPUT;
    input = Object.create(null) as Record<string, unknown>;
    for (let e = start; e < end; e++) {
      const p = targets[e];
      input[ids[p]] = outputs[p];
    }
  } else {
    const deps = run.specs[i].dependsOn;
    if ((deps === undefined || deps.length === 0) && extra === undefined) return EMPTY_INPUT;
    input = Object.create(null) as Record<string, unknown>;
    if (deps) for (let k = 0; k < deps.length; k++) input[deps[k]] = outputs[run.indexOf(deps[k])!];
  }
  if (extra) for (const p of extra) input[ids[p]] = outputs[p];
  return input;
}

/** The task's result, once its output is in memory (the opt-in `rememberOutput`). */
export async function storeOutput(run: Run, i: number, result: unknown, options: RememberOutputOptions, ctx: TaskContextImpl): Promise<unknown> {
  const value = await result;
  const memory = memoryOf(run);
  if (memory === undefined) throw new TypeError(`task \`${run.ids[i]}\`: \`rememberOutput\` needs the workflow's \`memory\` option`);
  await memory.rememberOutput(run.ids[i], value, { ...options, signal: options.signal ?? ctx.signal });
  return value;
}

/** The workflow's memory as run `run` sees it, created on first use. */
export function memoryOf(run: Run): RunMemory | undefined {
  const m = run.wf.options.memory;
  if (m === undefined) return undefined;
  return (run.memoryView ??= runMemory(m, run.runId));
}

/** What an `onTaskComplete` hook of task `i` may do. */
export function hookControl(run: Run, i: number): HookControl {
  const ctx = new TaskContextImpl(run, i, run.s.attempts[i]);
  return { taskId: run.ids[i], addTask: (spec) => ctx.addTask(spec), addDependency: (t, d) => ctx.addDependency(t, d) };
}
