// Reading the viewer's data through the run store's public read API (runs, tasks, events) on a
// store opened read-only: nothing here writes, takes a lease or prunes.

import { RunNotFoundError } from '../errors.js';
import type { RunSummary } from '../store/query-types.js';
import type { RunStore } from '../store/store-api.js';
import type { RecordedTask } from '../store/durable-store.js';
import { buildRunView } from './run-view.js';
import type { RunView, RunsView } from './view-types.js';

/** How much of a store the viewer reads. */
export interface ViewLimits {
  /** Runs listed (the newest). */
  readonly maxRuns: number;
  /** Tasks shown of one run (in id order). */
  readonly maxTasks: number;
  /** Events of the log sent to the page (the last ones). */
  readonly maxEvents: number;
}

// Pages of the store's queries: large enough that a 10K-task run is ten queries.
const PAGE = 1000;
// Defined graphs kept (the page shows one run at a time; a few for switching between runs).
const GRAPHS_KEPT = 8;

/** The viewer's reads of one store. */
export class ViewReader {
  private readonly graphs = new Map<string, Readonly<Record<string, readonly string[]>>>();

  /**
   * @param store - a store opened with `readonly: true`
   * @param limits - how much to read
   */
  constructor(
    private readonly store: RunStore,
    private readonly limits: ViewLimits,
  ) {}

  /** The newest runs. */
  runs(): RunsView {
    return { path: this.store.path, runs: this.store.runs({ limit: this.limits.maxRuns }) };
  }

  /**
   * Run `runId` as the page shows it; `listed` (the last {@link runs}) saves a search for its row.
   * @throws RunNotFoundError (`RUN_NOT_FOUND`) for a run the store does not hold.
   */
  run(runId: string, listed?: readonly RunSummary[], now = Date.now()): RunView {
    const summary = listed?.find((r) => r.runId === runId) ?? this.summary(runId);
    const dependencies = this.defined(summary);
    const tasks = withDefined(this.tasks(runId), dependencies, this.limits.maxTasks);
    const events = this.store.events(runId);
    return buildRunView({ summary, tasks, events, dependencies, maxEvents: this.limits.maxEvents, now });
  }

  private tasks(runId: string): RecordedTask[] {
    const out: RecordedTask[] = [];
    while (out.length < this.limits.maxTasks) {
      const page = this.store.tasks(runId, { limit: Math.min(PAGE, this.limits.maxTasks - out.length), offset: out.length });
      out.push(...page);
      if (page.length < PAGE) break;
    }
    return out;
  }

  /**
   * The run's defined graph, read once: a run's definition is written when it begins and never
   * changed, and decoding it (7.5 ms for 10K tasks) on every live update was a third of the read.
   * Keyed by start time too: a pruned run id can be recorded again with another workflow.
   */
  private defined(summary: RunSummary): Readonly<Record<string, readonly string[]>> {
    const key = `${summary.startedAt}\u0000${summary.runId}`;
    let graph = this.graphs.get(key);
    if (graph === undefined) {
      graph = this.store.dependencies(summary.runId);
      if (this.graphs.size >= GRAPHS_KEPT) this.graphs.delete(this.graphs.keys().next().value as string);
      this.graphs.set(key, graph);
    }
    return graph;
  }

  /** The run's row. */
  private summary(runId: string): RunSummary {
    const [found] = this.store.runs({ runId, limit: 1 });
    if (found === undefined) throw new RunNotFoundError(runId, this.store.path);
    return found;
  }
}

/**
 * The recorded tasks and, when every row was read, the defined tasks that have no row yet
 * (nothing recorded of them: pending), in id order, at most `max`: so the graph has the tasks
 * still to come.
 */
function withDefined(rows: RecordedTask[], defined: Readonly<Record<string, readonly string[]>>, max: number): RecordedTask[] {
  if (rows.length >= max) return rows;
  const have = new Set(rows.map((t) => t.id));
  const missing = Object.keys(defined).filter((id) => !have.has(id));
  if (missing.length === 0) return rows;
  const all = [...rows, ...missing.map((id): RecordedTask => ({ id, status: 'pending', attempts: 0 }))];
  all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return all.slice(0, max);
}
