/**
 * The summary of a replay: what the engine measured beside what the policy could reach.
 *
 * @packageDocumentation
 */
import type { Simulation } from './simulate.js';

/**
 * What `weft replay` reports (and prints as JSON with `--json`, these keys exactly).
 * Times are in milliseconds of the replay, i.e. recorded runtime × scale.
 */
export interface ReplaySummary {
  /** Tasks in the trace. */
  readonly tasks: number;
  /** Dependency edges (duplicates removed). */
  readonly edges: number;
  /** Lanes: the run's concurrency. */
  readonly workers: number;
  /** The measured makespan: from starting the run until it settled. */
  readonly makespanMs: number;
  /** The longest path of scaled runtimes. */
  readonly criticalPathMs: number;
  /** The sum of all scaled runtimes. */
  readonly totalWorkMs: number;
  /** `max(criticalPathMs, totalWorkMs / workers)`: no schedule can be shorter. */
  readonly lowerBoundMs: number;
  /** The makespan of the same priority policy in a zero-overhead simulation (see `simulate`). */
  readonly idealMs: number;
  /**
   * `idealMs / makespanMs`: 1 means the engine added nothing to what its policy allows; 0.9
   * means the run took 11% longer than that. 1 when both are 0 (an empty trace).
   */
  readonly efficiency: number;
  /**
   * `(makespanMs − idealMs) × 1000 / tasks`: the time the run lost to the engine (dispatch,
   * events, timer lateness), spread over the tasks, in microseconds. It is an amortised figure
   * on the makespan, not the CPU time per task: with N lanes busy, lateness on one lane that
   * another lane hides costs nothing. Can be slightly negative when timers happen to run a hair
   * faster than the simulation's arithmetic; 0 for an empty trace.
   */
  readonly overheadUsPerTask: number;
}

/** What {@link makeSummary} needs. */
export interface SummaryInput {
  /** Tasks in the trace. */
  readonly tasks: number;
  /** Dependency edges. */
  readonly edges: number;
  /** The measured makespan, ms. */
  readonly makespanMs: number;
  /** The reference simulation of the same graph, durations and lanes. */
  readonly simulation: Simulation;
}

/** Combines a measured makespan with the reference simulation into a {@link ReplaySummary}. */
export function makeSummary(input: SummaryInput): ReplaySummary {
  const { tasks, edges, makespanMs, simulation: sim } = input;
  return {
    tasks,
    edges,
    workers: sim.workers,
    makespanMs,
    criticalPathMs: sim.criticalPathMs,
    totalWorkMs: sim.totalWorkMs,
    lowerBoundMs: sim.lowerBoundMs,
    idealMs: sim.idealMs,
    // No tasks: perfectly efficient, however long the engine took to notice. (Tasks of zero
    // length are not: all of their makespan is overhead, and efficiency says 0.)
    efficiency: tasks === 0 ? 1 : makespanMs > 0 ? sim.idealMs / makespanMs : 1,
    overheadUsPerTask: tasks > 0 ? ((makespanMs - sim.idealMs) * 1000) / tasks : 0,
  };
}

/** Labels for {@link formatSummary}. */
export interface FormatSummaryOptions {
  /** A title line, e.g. the trace's name and file. */
  readonly title?: string;
  /** The scale used, shown with the times. */
  readonly scale?: number;
  /** A tighter lower bound (`ancestorLowerBound`), shown on its own line when given. */
  readonly ancestorBoundMs?: number;
}

const ms = (x: number) => (x >= 100 ? `${x.toFixed(0)} ms` : x >= 1 ? `${x.toFixed(1)} ms` : `${x.toFixed(3)} ms`);

/** Formats a summary as aligned text lines for a terminal. */
export function formatSummary(s: ReplaySummary, options: FormatSummaryOptions = {}): string {
  const ratio = (x: number) => (s.lowerBoundMs > 0 ? ` (${(x / s.lowerBoundMs).toFixed(2)}× lower bound)` : '');
  const lines = [
    ...(options.title !== undefined ? [options.title] : []),
    `  tasks          ${s.tasks} (${s.edges} edges) on ${s.workers} workers${options.scale !== undefined ? `, scale ${options.scale}` : ''}`,
    `  makespan       ${ms(s.makespanMs)}${ratio(s.makespanMs)}`,
    `  ideal          ${ms(s.idealMs)}${ratio(s.idealMs)}  (same policy, zero overhead)`,
    `  critical path  ${ms(s.criticalPathMs)}`,
    `  total work     ${ms(s.totalWorkMs)}`,
    `  lower bound    ${ms(s.lowerBoundMs)}  max(critical path, total work / ${s.workers})`,
    ...(options.ancestorBoundMs !== undefined
      ? [
          `  tighter bound  ${ms(options.ancestorBoundMs)}  a task waits for its ancestors' work / ${s.workers}` +
            (options.ancestorBoundMs > 0 ? `; ideal is ${(s.idealMs / options.ancestorBoundMs).toFixed(3)}× it` : ''),
        ]
      : []),
    `  efficiency     ${(s.efficiency * 100).toFixed(1)}%  ideal / makespan`,
    `  overhead       ${s.overheadUsPerTask.toFixed(1)} µs per task  (makespan − ideal) / tasks`,
  ];
  return lines.join('\n');
}
