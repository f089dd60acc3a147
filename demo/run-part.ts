// "Run": a real WfCommons trace replayed through weft in the page. Each task is a `worker` task
// on a pool of Web Workers, burning CPU in WebAssembly for its recorded runtime × scale
// (tasks.js); the Gantt shows the workers' lanes, the DAG the tasks' status. Controls: workers
// (the run's concurrency), cancel, pause a branch (its tasks wait suspended when they become
// ready, holding no worker, until resumed), inject a failure (a flag the running task reads from
// a SharedArrayBuffer), retry a task (handle.retryTask).

import { createWebWorkerPool, parseTrace, workflow, type Attempt, type RunHandle, type WebWorkerPool, type WorkflowEvent, type WorkflowTrace } from '../dist/browser.js';
import { simulate } from '../dist/replay/simulate.js';
import { DagView } from '../src/view/page/dag-view.js';
import { Gantt, type GanttBar } from '../src/view/page/gantt.js';
import { $, fmtMs, setText } from '../src/view/page/dom.js';
import montage from '../examples/traces/montage-chameleon-2mass-01d-001.json?url';
import seismology from '../examples/traces/seismology-chameleon-100p-001.json?url';
import epigenomics from '../examples/traces/epigenomics-chameleon-hep-2seq-100k-001.json?url';
import tasksModule from './tasks.js?url';

const TRACES: Record<string, string> = { montage, seismology, epigenomics };
const FINAL = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);

interface Loaded {
  readonly trace: WorkflowTrace;
  readonly parents: string[][];
  readonly children: number[][];
  readonly index: Record<string, number>;
}

/** Wires the Run section; `wasm` is weft's compiled module, posted to every worker. */
export function setupRun(wasm: WebAssembly.Module | undefined): void {
  const section = $('#run');
  const gantt = new Gantt($<HTMLCanvasElement>('#gantt'));
  const dag = new DagView($<SVGSVGElement>('#dag'));
  const select = $<HTMLSelectElement>('#task-select');
  const tasksUrl = new URL(tasksModule, location.href).href;
  const shared = typeof SharedArrayBuffer === 'function' && crossOriginIsolated;
  let loaded: Loaded | undefined;
  let pool: WebWorkerPool | undefined;
  let handle: RunHandle | undefined;
  let flags: Int32Array<ArrayBufferLike> = new Int32Array(0);
  let status = new Map<string, string>();
  const paused = new Set<string>();
  const active = new Map<string, GanttBar>();
  let t0 = 0;

  const count = (s: string) => [...status.values()].filter((v) => v === s).length;
  const refresh = (): void => {
    for (const s of ['succeeded', 'failed', 'skipped', 'cancelled', 'running', 'suspended']) {
      section.dataset[s] = String(count(s));
      setText(`#count-${s}`, String(count(s)));
    }
  };
  const setStatus = (id: string, s: string): void => {
    status.set(id, s);
    dag.set(id, s);
  };

  async function load(name: string): Promise<Loaded> {
    const response = await fetch(TRACES[name]);
    const trace = parseTrace(await response.json(), name);
    const n = trace.ids.length;
    const parents: string[][] = Array.from({ length: n }, () => []);
    const children: number[][] = Array.from({ length: n }, () => []);
    for (let v = 0; v < n; v++) {
      for (let e = trace.graph.offsets[v]; e < trace.graph.offsets[v + 1]; e++) {
        parents[trace.graph.targets[e]].push(trace.ids[v]);
        children[v].push(trace.graph.targets[e]);
      }
    }
    const index = Object.fromEntries(trace.ids.map((id, i) => [id, i]));
    return { trace, parents, children, index };
  }

  async function show(name: string): Promise<void> {
    loaded = await load(name);
    const { trace, parents } = loaded;
    dag.render(trace.ids, parents, trace.ids.map((id) => id.replace(/_\d+$/, '')));
    status = new Map(trace.ids.map((id) => [id, 'pending']));
    flags = new Int32Array(shared ? new SharedArrayBuffer(trace.ids.length * 4) : new ArrayBuffer(trace.ids.length * 4));
    paused.clear();
    select.replaceChildren(...trace.ids.map((id) => new Option(`${id} (${loaded!.children[loaded!.index[id]].length} dependents)`, id)));
    select.value = trace.ids[Math.min(trace.ids.length - 1, 3)];
    section.dataset.tasks = String(trace.ids.length);
    section.dataset.state = 'idle';
    gantt.reset(Number($<HTMLInputElement>('#concurrency').value));
    gantt.draw(0);
    setText('#run-trace-info', `${trace.ids.length} tasks, ${trace.graph.targets.length} edges, ${trace.source} (WfCommons, ${name})`);
    refresh();
    updateBranch();
  }

  /** The selected task and everything downstream of it. */
  function branchOf(id: string): Set<string> {
    const { index, children, trace } = loaded!;
    const out = new Set<string>();
    const stack = [index[id]];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (out.has(trace.ids[v])) continue;
      out.add(trace.ids[v]);
      stack.push(...children[v]);
    }
    return out;
  }

  function updateBranch(): void {
    dag.highlight(branchOf(select.value));
    setText('#branch-info', `branch of ${select.value}: ${branchOf(select.value).size} tasks${paused.size > 0 ? `; paused: ${paused.size}` : ''}`);
  }

  function ensurePool(size: number): WebWorkerPool {
    if (pool !== undefined && pool.size === size) return pool;
    pool?.close();
    pool = createWebWorkerPool({
      size,
      wasm: wasm ?? false,
      onDispatch: (d) => {
        const bar: GanttBar = { taskId: d.taskId, lane: d.worker, startMs: performance.now() - t0, endMs: undefined, status: 'running' };
        active.set(d.taskId, bar);
        gantt.bars.push(bar);
      },
      // A paused branch's task waits suspended before it takes a worker.
      around: async (attempt: Attempt, next) => {
        if (paused.has(attempt.taskId)) await attempt.context.suspend('paused', { branch: select.value });
        try {
          return await next();
        } finally {
          showWorkers(); // an attempt stopped by a cancel has had its worker replaced by now
        }
      },
    });
    return pool;
  }

  function showWorkers(): void {
    const stats = pool?.stats;
    if (stats !== undefined) setText('#sum-workers', `${stats.started} started, ${stats.replaced} terminated and replaced, ${stats.attempts} attempts (this pool so far)`);
  }

  function endBar(id: string, s: string): void {
    const bar = active.get(id);
    if (bar === undefined) return;
    bar.endMs = performance.now() - t0;
    bar.status = s;
    active.delete(id);
  }

  function onEvent(e: WorkflowEvent): void {
    const id = e.taskId;
    if (id === undefined) return;
    if (e.type === 'task:start' || e.type === 'task:resumed') setStatus(id, 'running');
    else if (e.type === 'task:ready') setStatus(id, 'ready');
    else if (e.type === 'task:suspended') setStatus(id, 'suspended');
    else if (e.type.startsWith('task:') && FINAL.has(e.type.slice(5))) {
      const s = e.type.slice(5);
      setStatus(id, s);
      endBar(id, s);
    }
    refresh();
  }

  async function start(): Promise<void> {
    if (loaded === undefined || handle !== undefined) return;
    const size = Number($<HTMLInputElement>('#concurrency').value);
    const scale = Number($<HTMLInputElement>('#scale').value);
    if (!(size >= 1 && size <= 32 && Number.isInteger(size))) return setText('#run-status', 'Workers must be a whole number from 1 to 32.');
    if (!(scale > 0)) return setText('#run-status', 'The time scale must be a number above 0.');
    const { trace, parents, index } = loaded;
    const durations = trace.runtimeSeconds.map((s) => s * scale);
    const bound = simulate(trace.graph, durations, { workers: size });
    for (const id of trace.ids) setStatus(id, 'pending');
    active.clear();
    gantt.reset(size);
    section.dataset.state = 'starting';
    setText('#sum-makespan', 'running…');
    setText('#sum-bound', fmtMs(bound.lowerBoundMs));
    setText('#sum-ideal', fmtMs(bound.idealMs));
    setText('#sum-ratio', '–');
    setText('#sum-work', `${fmtMs(bound.totalWorkMs)} of work, critical path ${fmtMs(bound.criticalPathMs)}`);
    setText('#sum-workers', '–');
    setText('#run-status', `Starting ${size} Web Workers…`);
    const p = ensurePool(size);
    await p.ready();
    const wf = workflow({ name: trace.name, workerPool: p, concurrency: size });
    trace.ids.forEach((id, i) => wf.task({ id, dependsOn: parents[i], estimateMs: durations[i], worker: { module: tasksUrl, export: 'burn' } }));
    t0 = performance.now();
    handle = wf.start({ input: { durations, index, flags: flags.buffer } });
    handle.on('*', onEvent);
    section.dataset.state = 'running';
    setText('#run-status', `Running on ${size} workers (${p.backend === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript'} kernels)…`);
    $<HTMLButtonElement>('#run-start').disabled = true;
    $<HTMLButtonElement>('#run-cancel').disabled = false;
    const frame = (): void => {
      gantt.draw(performance.now() - t0);
      if (handle !== undefined) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const result = await handle.result;
    const end = performance.now() - t0;
    for (const t of result.tasks) {
      setStatus(t.id, t.status);
      endBar(t.id, t.status);
    }
    handle = undefined;
    gantt.draw(end);
    refresh();
    section.dataset.state = result.status;
    section.dataset.makespanMs = result.durationMs.toFixed(1);
    $<HTMLButtonElement>('#run-start').disabled = false;
    $<HTMLButtonElement>('#run-cancel').disabled = true;
    setText('#run-status', `Run ${result.status}: ${count('succeeded')} of ${trace.ids.length} tasks succeeded.`);
    if (result.status === 'succeeded') {
      setText('#sum-makespan', fmtMs(result.durationMs));
      setText('#sum-ratio', `${(result.durationMs / bound.lowerBoundMs).toFixed(2)}× the lower bound, ${(result.durationMs / bound.idealMs).toFixed(2)}× the zero-overhead schedule`);
    } else {
      setText('#sum-makespan', `${result.status} after ${fmtMs(result.durationMs)}`);
      setText('#sum-ratio', '– (the run did not finish)');
    }
    showWorkers();
  }

  $('#run-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void start();
  });
  $('#trace').addEventListener('change', (event) => void show((event.target as HTMLSelectElement).value));
  select.addEventListener('change', updateBranch);
  dag.onPick((id) => {
    select.value = id;
    updateBranch();
  });
  $('#run-cancel').addEventListener('click', () => handle?.cancel());
  $('#branch-pause').addEventListener('click', () => {
    for (const id of branchOf(select.value)) paused.add(id);
    updateBranch();
  });
  $('#branch-resume').addEventListener('click', () => {
    const waiting = new Set(handle?.suspended() ?? []);
    for (const id of paused) if (waiting.has(id)) handle!.resume(id);
    paused.clear();
    updateBranch();
  });
  $('#task-fail').addEventListener('click', () => {
    Atomics.store(flags, loaded!.index[select.value], 1);
    setText('#run-status', `A failure is injected into ${select.value}: it fails while it runs, or as soon as it starts.`);
  });
  $('#task-retry').addEventListener('click', () => {
    Atomics.store(flags, loaded!.index[select.value], 0);
    try {
      if (handle !== undefined) {
        handle.retryTask(select.value);
        // The dependents it had skipped are reopened: the engine's snapshot says how each stands now.
        for (const t of handle.snapshot()) setStatus(t.id, t.status);
        refresh();
      }
      setText('#run-status', `${select.value} runs again (handle.retryTask).`);
    } catch (error) {
      setText('#run-status', (error as Error).message);
    }
  });
  void show('montage');
}
