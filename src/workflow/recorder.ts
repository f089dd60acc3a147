// The recorder seam: whatever must see a run's transitions in order (a durable store, an audit
// log, a run viewer) gets them here, one batch per tick. Recorders observe; they cannot veto or
// steer (listeners on the run's handle can, synchronously, which is why those stay separate).

import type { WorkflowEvent } from './types.js';

/**
 * Sees every transition of a run, in order: `run:start`, each task's `task:ready`, `task:start`,
 * `task:retry`, `task:suspended`, `task:resumed`, `task:succeeded` (with its `output`),
 * `task:failed`, `task:skipped`, `task:cancelled`, `task:heartbeat`, `task:stalled`, the graph's
 * `task:added` and `dependency:added`, and `run:end`. The transitions made in one synchronous turn of the engine
 * arrive as one batch (a store commits each batch in one transaction); the last batch, ending
 * with `run:end`, is delivered before the run's result settles.
 */
export interface Recorder {
  /** One tick's transitions of one run, oldest first. An error thrown here is reported, not raised into the run. */
  record(batch: readonly WorkflowEvent[]): void;
}
