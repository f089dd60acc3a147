// An agent task whose agent has `worker`, on a pool thread: everything an agent task is on this
// thread (its `$ref`s resolved, its input validated, an instance borrowed, its output validated,
// its metrics counted: agents/agent-task.ts) around the trip, and on the thread only the work,
// the module's export, called with the validated input.

import { runAgentTask } from '../agents/agent-task.js';
import type { Attempt } from './executor.js';
import { runWorkerAttempt, type AttemptPool } from './worker-attempt.js';

/** Runs one attempt of an agent task on a thread of `pool`. */
export function runAgentOnThread(pool: AttemptPool, attempt: Attempt): unknown {
  return runAgentTask(attempt.task, attempt.input, attempt.context, (input, ctx) =>
    runWorkerAttempt(pool, attempt, { input, job: { name: ctx.agent, deps: ctx.deps, instance: ctx.instance } }),
  );
}
