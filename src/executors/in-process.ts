// The default executor: the task's function, called on this thread. A synchronous function's
// value comes back synchronously, so a run of no-op tasks pays no promise per task.

import type { Attempt, Executor } from './executor.js';

/** Runs each attempt's `task.run(input, context)` in this process, on this thread. */
export const inProcessExecutor: Executor = Object.freeze({
  name: 'in-process',
  execute(attempt: Attempt): unknown {
    return attempt.task.run!(attempt.input, attempt.context);
  },
});
