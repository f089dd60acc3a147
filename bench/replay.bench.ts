// `weft replay` (issue 7): the makespan of a replay against the zero-overhead simulation of the
// same policy (ratio = makespanMs / idealMs; 1 is perfect), and the CPU the process burns doing
// it (cpuPerWall = CPU-seconds per wall-second of the measured run: the sleeps should cost
// little, so a replay on a 2-core box leaves the other core alone).
// - short tasks: bwa-chameleon-medium at scale 0.00015 (1,004 tasks, ~0.5 ms each; ideal ~150 ms)
//   and a synthetic layered DAG of 1,000 tasks of 0.25-0.75 ms, each replayed `RUNS` times with
//   the default sleep driver (blocks the thread, spins a learnt guard) and, interleaved with it,
//   one that never blocks (spins event-loop turns for the last millisecond: the mechanism before);
// - every bundled trace at the default scale (0.001), once.
// A replay sleeps its scaled runtimes, so each case replays inside its first (untimed) call and
// the timed calls report the median makespan (tinybench's overriddenDuration) without running again.
import { parseTrace, readTrace, type WorkflowTrace } from '../src/graph/wfcommons.js';
import { createSleepDriver, sharedSleepDriver, type SleepDriver } from '../src/replay/precise-sleep.js';
import { replayTrace } from '../src/replay/replay.js';
import { setTimerSlack } from '../src/replay/timer-slack.js';
import { TRACES, traceFiles, traceLabel } from './traces.js';
import type { BenchCase, BenchSuite } from './types.js';

const WORKERS = 4;
/** Replays per variant of a short-task case (interleaved, so drift hits both variants alike). */
const RUNS = 7;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** One replay: its ratio, and CPU per wall second from its first task's start to its last end. */
async function measure(trace: WorkflowTrace, scale: number, driver: SleepDriver) {
  let cpu0: NodeJS.CpuUsage | undefined;
  let t0 = 0;
  let cpuPerWall = 0;
  const s = await replayTrace(trace, {
    workers: WORKERS,
    scale,
    sleepDriver: driver,
    // Only the measured run reports progress: the warm-up's CPU-bound zero-length runs stay out.
    onProgress: (p) => {
      if (cpu0 === undefined) {
        cpu0 = process.cpuUsage();
        t0 = performance.now();
      } else if (p.done === p.total) {
        const c = process.cpuUsage(cpu0);
        cpuPerWall = (c.user + c.system) / 1000 / (performance.now() - t0);
      }
    },
  });
  return { tasks: s.tasks, makespanMs: s.makespanMs, idealMs: s.idealMs, ratio: s.makespanMs / s.idealMs, overheadUsPerTask: s.overheadUsPerTask, cpuPerWall };
}

type Metrics = Record<string, number>;

/** `replay <label>`: `RUNS` replays per driver, interleaved; medians in the metrics. */
function shortCase(label: string, load: () => Promise<WorkflowTrace>, scale: number): BenchCase {
  const drivers: Record<string, SleepDriver> = { weft: sharedSleepDriver(), 'weft spin-turns': createSleepDriver({ wait: null }) };
  const metrics: Record<string, Metrics> = Object.fromEntries(Object.keys(drivers).map((k) => [k, {}]));
  let measured: Promise<void> | undefined;
  const measureAll = async () => {
    const trace = await load();
    // As `weft replay` does (see src/replay/timer-slack.ts).
    const restoreSlack = setTimerSlack();
    try {
      await measureRuns(trace);
    } finally {
      restoreSlack?.();
    }
  };
  const measureRuns = async (trace: WorkflowTrace) => {
    const runs: Record<string, Awaited<ReturnType<typeof measure>>[]> = Object.fromEntries(Object.keys(drivers).map((k) => [k, []]));
    for (let k = 0; k < RUNS; k++) for (const [name, driver] of Object.entries(drivers)) runs[name].push(await measure(trace, scale, driver));
    for (const [name, rs] of Object.entries(runs)) {
      const ratios = rs.map((r) => r.ratio);
      Object.assign(metrics[name], {
        tasks: rs[0].tasks,
        runs: rs.length,
        idealMs: rs[0].idealMs,
        makespanMs: median(rs.map((r) => r.makespanMs)),
        ratio: median(ratios),
        ratioMin: Math.min(...ratios),
        ratioMax: Math.max(...ratios),
        cpuPerWall: median(rs.map((r) => r.cpuPerWall)),
      });
    }
  };
  const variant = (name: string) => async () => {
    measured ??= measureAll();
    await measured;
    return { overriddenDuration: metrics[name].makespanMs };
  };
  return {
    name: `replay ${label} workers=${WORKERS}`,
    minSamples: 1,
    timeMs: 1,
    metrics,
    variants: Object.fromEntries(Object.keys(drivers).map((name) => [name, variant(name)])),
  };
}

/** `replay trace=<name> workers=4`: one replay at the default scale, its summary in the metrics. */
function traceCase(file: string, label: string): BenchCase {
  const metrics: Metrics = {};
  let done = false;
  return {
    name: `replay trace=${label} workers=${WORKERS}`,
    minSamples: 1,
    timeMs: 1,
    metrics: { weft: metrics },
    variants: {
      weft: async () => {
        if (done) return { overriddenDuration: metrics.makespanMs };
        done = true;
        Object.assign(metrics, await measure(await readTrace(new URL(file, TRACES)), 0.001, sharedSleepDriver()));
      },
    },
  };
}

/**
 * A seeded layered DAG in WfFormat: `layers` × `width` tasks, each with `parents` distinct
 * parents in the layer above, runtimes uniform in [0.25, 0.75) s (0.5 ms at the default scale).
 */
function syntheticTrace(layers: number, width: number, parents: number, seed: number): WorkflowTrace {
  let x = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: reproducible without a dependency.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const id = (l: number, i: number) => `t${l}_${i}`;
  const spec: { id: string; parents: string[]; children: string[] }[] = [];
  const exec: { id: string; runtimeInSeconds: number }[] = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      const ps = new Set<string>();
      while (l > 0 && ps.size < Math.min(parents, width)) ps.add(id(l - 1, Math.floor(random() * width)));
      spec.push({ id: id(l, i), parents: [...ps], children: [] });
      exec.push({ id: id(l, i), runtimeInSeconds: 0.25 + random() * 0.5 });
    }
  }
  const name = `synthetic-layers${layers}x${width}`;
  return parseTrace({ name, workflow: { specification: { tasks: spec }, execution: { tasks: exec } } }, name);
}

const suite: BenchSuite = {
  name: 'replay',
  cases(wanted) {
    const cases: BenchCase[] = [];
    const add = (c: BenchCase): void => void (wanted(c.name) && cases.push(c));
    const files = traceFiles('replay');
    const bwa = 'bwa-chameleon-medium-001.json';
    if (files.includes(bwa)) add(shortCase(`short-tasks trace=${traceLabel(bwa)} scale=0.00015`, () => readTrace(new URL(bwa, TRACES)), 0.00015));
    add(shortCase('short-tasks synthetic layers=20 width=50 parents=2', async () => syntheticTrace(20, 50, 2, 7), 0.001));
    for (const file of files) add(traceCase(file, traceLabel(file)));
    return cases;
  },
};

export default suite;
