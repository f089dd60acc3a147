// The durable run store (issue 9, "Performance"): a 100K-task no-op run recorded by the store
// against the same run unrecorded (time per task; the store's own time inside record() per task;
// the ratio), with `synchronous: 'full'` beside the default; database bytes per finished task with
// a small output (with and without the event log); the file after 10 runs of 10K tasks with
// retention keeping 2; and a chain of 1,000 async steps checkpointed: weft with the store against
// LangGraph.js with its SQLite checkpointer (@langchain/langgraph-checkpoint-sqlite), each also
// without persistence. Files live in a temp dir removed at exit.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { openStore } from '../src/store/open-store.js';
import type { RunStore } from '../src/store/store-api.js';
import type { StoreOptions } from '../src/store/store-options.js';
import { workflow, type RunResult, type Workflow, type WorkflowEvent } from '../src/workflow/index.js';
import type { BenchCase, BenchSuite } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-durable-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `store-${++files}.db`);
const bytesOf = (path: string) => statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const META = { workflow: 'bench', definitionHash: 'h', definition: {}, input: undefined };

function check(result: RunResult): RunResult {
  if (result.status !== 'succeeded') throw new Error(`run ended ${result.status}: ${JSON.stringify(result.counts)}`);
  return result;
}

const cpuUs = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};

/**
 * A store whose record() wall and CPU time are summed, so the case can report the store's own
 * cost per task. CPU time too: on a shared machine the wall clock counts the time other jobs hold
 * the core, the CPU time only this process's work.
 */
function timedStore(options: Omit<StoreOptions, 'path'>): { store: RunStore; recorder: { record(batch: readonly WorkflowEvent[]): void }; take(): { ms: number; cpuUs: number } } {
  const store = openStore({ path: freshPath(), ...options });
  let ms = 0;
  let cpu = 0;
  return {
    store,
    recorder: {
      record(batch) {
        const t = performance.now();
        const c = cpuUs();
        store.record(batch);
        cpu += cpuUs() - c;
        ms += performance.now() - t;
      },
    },
    take: () => {
      const taken = { ms, cpuUs: cpu };
      ms = 0;
      cpu = 0;
      return taken;
    },
  };
}

/** `n` independent no-op tasks with a small output each (the engine's fastest path). */
function noopWorkflow(n: number, recorders: readonly { record(batch: readonly WorkflowEvent[]): void }[]): Workflow {
  const wf = workflow({ name: 'bench', recorders });
  for (let i = 0; i < n; i++) wf.task({ id: `t${i}`, run: () => i });
  return wf;
}

let runs = 0;
/** One recorded run: lease, run, release (the release applies retention). */
async function recordedRun(wf: Workflow, store: RunStore): Promise<void> {
  const runId = `run-${++runs}`;
  store.beginRun(runId, META);
  check(await wf.run({ runId }));
  store.endRun(runId);
}

function noopCase(n: number): BenchCase {
  const plain = noopWorkflow(n, []);
  const plainMs: number[] = [];
  const plainCpu: number[] = [];
  const metrics: Record<string, Record<string, number>> = { weft: {} };
  const variants: Record<string, () => Promise<void>> = {
    async weft() {
      const t = performance.now();
      const c = cpuUs();
      check(await plain.run());
      plainCpu.push((cpuUs() - c) / n);
      plainMs.push(performance.now() - t);
      metrics.weft.cpuUsPerTask = median(plainCpu);
    },
  };
  for (const [name, synchronous] of [['weft+store', 'normal'], ['weft+store synchronous=full', 'full']] as const) {
    // Retention keeps the file at one run: every call also deletes the previous run's 100K rows.
    const t = timedStore({ synchronous, retention: { maxRuns: 1 } });
    const wf = noopWorkflow(n, [t.recorder]);
    const runMs: number[] = [];
    const runCpu: number[] = [];
    const recordUs: number[] = [];
    const recordCpu: number[] = [];
    const m: Record<string, number> = (metrics[name] = {});
    variants[name] = async () => {
      t.take();
      const t0 = performance.now();
      const c0 = cpuUs();
      await recordedRun(wf, t.store);
      runCpu.push((cpuUs() - c0) / n);
      runMs.push(performance.now() - t0);
      const taken = t.take();
      recordUs.push((taken.ms * 1000) / n);
      recordCpu.push(taken.cpuUs / n);
      m.recordUsPerTask = median(recordUs);
      m.recordCpuUsPerTask = median(recordCpu);
      m.cpuUsPerTask = median(runCpu);
      m.tasksPerSec = Math.round(n / (median(runMs) / 1000));
      if (plainMs.length > 0) m.timeRatioToWeft = median(runMs) / median(plainMs);
      if (plainCpu.length > 0) m.cpuRatioToWeft = median(runCpu) / median(plainCpu);
    };
  }
  return { name: `no-op run tasks=${n} recorded`, opsPerCall: n, minSamples: 2, timeMs: 1500, variants, metrics };
}

/** Bytes per finished task: one run of `n` tasks with a small output, file size after close (WAL checkpointed). */
async function bytesPerTask(n: number, events: boolean): Promise<number> {
  const path = freshPath();
  const empty = openStore({ path, events });
  empty.close();
  const before = statSync(path).size;
  const store = openStore({ path, events });
  await recordedRun(noopWorkflow(n, [store]), store);
  store.close();
  return (statSync(path).size - before) / n;
}

async function bytesCase(n: number): Promise<BenchCase> {
  const withLog = await bytesPerTask(n, true);
  const without = await bytesPerTask(n, false);
  const store = openStore({ path: freshPath(), retention: { maxRuns: 1 } });
  const wf = noopWorkflow(n, [store]);
  return {
    name: `bytes per finished task output=small tasks=${n}`,
    opsPerCall: n,
    minSamples: 4,
    variants: { 'weft+store': () => recordedRun(wf, store) },
    metrics: { 'weft+store': { bytesPerTask: withLog, bytesPerTaskWithoutEventLog: without } },
  };
}

async function retentionCase(runsKept: number, total: number, n: number): Promise<BenchCase> {
  const path = freshPath();
  const store = openStore({ path, retention: { maxRuns: runsKept } });
  const wf = noopWorkflow(n, [store]);
  const sizes: number[] = [];
  for (let k = 0; k < total; k++) {
    await recordedRun(wf, store);
    sizes.push(bytesOf(path));
  }
  return {
    name: `retention runs=${total} tasks=${n} maxRuns=${runsKept}`,
    opsPerCall: n,
    minSamples: 4,
    variants: { 'weft+store': () => recordedRun(wf, store) },
    metrics: { 'weft+store': { bytesAfter2Runs: sizes[1], bytesAfter10Runs: sizes[total - 1], largestBytes: Math.max(...sizes) } },
  };
}

/** LangGraph.js: a chain of `steps` async no-op nodes, with or without a checkpointer. */
function langGraphChain(steps: number, checkpointer: SqliteSaver | undefined): () => Promise<unknown> {
  const State = Annotation.Root({ tick: Annotation<number> });
  const g = new StateGraph(State) as unknown as {
    addNode(name: string, fn: () => Promise<Record<string, never>>): void;
    addEdge(from: string, to: string): void;
    compile(options?: { checkpointer?: SqliteSaver }): { invoke(input: object, options: object): Promise<unknown> };
  };
  for (let i = 0; i < steps; i++) {
    g.addNode(`s${i}`, async () => ({}));
    g.addEdge(i === 0 ? START : `s${i - 1}`, `s${i}`);
  }
  g.addEdge(`s${steps - 1}`, END);
  const app = g.compile(checkpointer === undefined ? {} : { checkpointer });
  let thread = 0;
  // Each call a new thread: a checkpointed run from the start, as weft's new run id.
  return () => app.invoke({ tick: 0 }, { recursionLimit: steps + 10, configurable: { thread_id: `t${++thread}` } });
}

function chainWorkflow(steps: number, recorders: readonly RunStore[]): Workflow {
  const wf = workflow({ name: 'chain', recorders });
  for (let i = 0; i < steps; i++) wf.task({ id: `s${i}`, run: async () => ({}), ...(i === 0 ? {} : { dependsOn: [`s${i - 1}`] }) });
  return wf;
}

function chainCase(steps: number): BenchCase {
  const store = openStore({ path: freshPath(), retention: { maxRuns: 2 } });
  const full = openStore({ path: freshPath(), synchronous: 'full', retention: { maxRuns: 2 } });
  const plain = chainWorkflow(steps, []);
  const stored = chainWorkflow(steps, [store]);
  const storedFull = chainWorkflow(steps, [full]);
  const saver = SqliteSaver.fromConnString(freshPath());
  return {
    name: `chain steps=${steps} checkpointed`,
    opsPerCall: steps,
    // LangGraph with its checkpointer takes seconds per run: the fewest samples (3 rounds of 1 + 1 warm-up).
    minSamples: 1,
    timeMs: 1,
    variants: {
      weft: async () => void check(await plain.run()),
      'weft+store': () => recordedRun(stored, store),
      'weft+store synchronous=full': () => recordedRun(storedFull, full),
      '@langchain/langgraph': langGraphChain(steps, undefined),
      '@langchain/langgraph-checkpoint-sqlite': langGraphChain(steps, saver),
    },
  };
}

const suite: BenchSuite = {
  name: 'durable',
  async cases(wanted) {
    const cases: BenchCase[] = [];
    if (wanted('no-op run tasks=100000 recorded')) cases.push(noopCase(100_000));
    if (wanted('bytes per finished task output=small tasks=10000')) cases.push(await bytesCase(10_000));
    if (wanted('retention runs=10 tasks=10000 maxRuns=2')) cases.push(await retentionCase(2, 10, 10_000));
    if (wanted('chain steps=1000 checkpointed')) cases.push(chainCase(1000));
    return cases;
  },
};

export default suite;
