/**
 * Reading WfCommons workflow traces (WfFormat 1.5 JSON): real scientific workflows with the
 * measured runtime of every task, used to replay and benchmark the scheduler on real DAG shapes.
 *
 * @packageDocumentation
 */
import { TraceInvalidError } from '../errors.js';
import type { CsrGraph } from '../kernels/types.js';
import { buildCsr } from './csr.js';

/** A parsed workflow trace. Node `i` of `graph` is task `ids[i]`; edges run parent → child. */
export interface WorkflowTrace {
  /** The workflow's name (`name` in the file). */
  readonly name: string;
  /** Where it came from (a path or a label). */
  readonly source: string;
  /** Task ids in specification order. */
  readonly ids: readonly string[];
  /** Measured runtime of each task, in seconds. */
  readonly runtimeSeconds: Float64Array;
  /** The dependency graph, parent → child, with duplicate edges removed. */
  readonly graph: CsrGraph;
  /** The makespan measured in the real run, in seconds, when the trace records it. */
  readonly makespanSeconds: number | undefined;
}

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function field<T>(obj: Json, key: string, path: string, source: string, check: (x: unknown) => x is T, what: string): T {
  const value = obj[key];
  if (!check(value)) throw new TraceInvalidError(source, `${path}.${key} must be ${what}`);
  return value;
}

const isArray = (x: unknown): x is unknown[] => Array.isArray(x);
const isString = (x: unknown): x is string => typeof x === 'string' && x.length > 0;

/**
 * Parses a WfFormat trace from JSON text or an already parsed object.
 *
 * @param input - the JSON text, or the parsed document
 * @param source - a label for error messages (e.g. the file path)
 * @throws `TraceInvalidError` (`TRACE_INVALID`) naming the problem: malformed JSON, a missing or
 *   mistyped field, a duplicate id, an edge to an unknown task, a missing or negative runtime.
 */
export function parseTrace(input: string | unknown, source = '<trace>'): WorkflowTrace {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (error) {
      throw new TraceInvalidError(source, `not JSON (${(error as Error).message})`, { cause: error });
    }
  }
  if (!isObject(doc)) throw new TraceInvalidError(source, 'the document must be a JSON object');
  const workflow = field(doc, 'workflow', '$', source, isObject, 'an object');
  const spec = field(workflow, 'specification', '$.workflow', source, isObject, 'an object');
  const tasks = field(spec, 'tasks', '$.workflow.specification', source, isArray, 'an array');
  // A trace without an execution section has no runtimes, so it is refused below by name.
  const execution = workflow.execution === undefined ? undefined : field(workflow, 'execution', '$.workflow', source, isObject, 'an object');

  const ids: string[] = [];
  const index = new Map<string, number>();
  tasks.forEach((task, i) => {
    if (!isObject(task)) throw new TraceInvalidError(source, `$.workflow.specification.tasks[${i}] must be an object`);
    const id = field(task, 'id', `$.workflow.specification.tasks[${i}]`, source, isString, 'a non-empty string');
    if (index.has(id)) throw new TraceInvalidError(source, `duplicate task id "${id}"`);
    index.set(id, i);
    ids.push(id);
  });

  // Parents and children both describe edges; a trace may list an edge once or twice.
  const seen = new Set<number>();
  const edges: number[] = [];
  const addEdge = (from: number, to: number) => {
    const key = from * ids.length + to;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push(from, to);
  };
  tasks.forEach((task, i) => {
    const t = task as Json;
    for (const [key, parentSide] of [['parents', true], ['children', false]] as const) {
      const list = t[key] ?? [];
      if (!Array.isArray(list)) throw new TraceInvalidError(source, `task "${ids[i]}": ${key} must be an array`);
      for (const other of list) {
        const j = typeof other === 'string' ? index.get(other) : undefined;
        if (j === undefined) throw new TraceInvalidError(source, `task "${ids[i]}" lists unknown ${key === 'parents' ? 'parent' : 'child'} ${JSON.stringify(other)}`);
        if (j === i) throw new TraceInvalidError(source, `task "${ids[i]}" depends on itself`);
        if (parentSide) addEdge(j, i);
        else addEdge(i, j);
      }
    }
  });

  const runtimeSeconds = new Float64Array(ids.length).fill(NaN);
  const executed = execution === undefined ? [] : field(execution, 'tasks', '$.workflow.execution', source, isArray, 'an array');
  executed.forEach((task, i) => {
    if (!isObject(task)) throw new TraceInvalidError(source, `$.workflow.execution.tasks[${i}] must be an object`);
    const j = typeof task.id === 'string' ? index.get(task.id) : undefined;
    if (j === undefined) throw new TraceInvalidError(source, `$.workflow.execution.tasks[${i}] is unknown task ${JSON.stringify(task.id)}`);
    const r = task.runtimeInSeconds;
    // Finite in milliseconds too: replays and simulations work in ms.
    if (typeof r !== 'number' || !Number.isFinite(r * 1000) || r < 0) {
      throw new TraceInvalidError(source, `task "${ids[j]}": runtimeInSeconds must be a finite number >= 0, got ${JSON.stringify(r)}`);
    }
    if (!Number.isNaN(runtimeSeconds[j])) throw new TraceInvalidError(source, `$.workflow.execution.tasks[${i}] repeats task "${ids[j]}"`);
    runtimeSeconds[j] = r;
  });
  const missing = ids.findIndex((_, i) => Number.isNaN(runtimeSeconds[i]));
  if (missing >= 0) throw new TraceInvalidError(source, `task "${ids[missing]}" has no runtimeInSeconds in workflow.execution.tasks`);

  const makespan = execution?.makespanInSeconds;
  return {
    name: typeof doc.name === 'string' ? doc.name : '(unnamed)',
    source,
    ids,
    runtimeSeconds,
    graph: buildCsr(ids.length, edges),
    makespanSeconds: typeof makespan === 'number' && Number.isFinite(makespan) ? makespan : undefined,
  };
}

/**
 * Reads and parses a trace file (Node only).
 *
 * @throws `TraceInvalidError` when the file cannot be read or is not a valid trace.
 */
export async function readTrace(path: string | URL, signal?: AbortSignal): Promise<WorkflowTrace> {
  const { readFile } = await import('node:fs/promises');
  const label = path instanceof URL ? path.pathname : path;
  let text: string;
  try {
    text = await readFile(path, { encoding: 'utf8', signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new TraceInvalidError(label, `cannot be read (${(error as Error).message})`, { cause: error });
  }
  return parseTrace(text, label);
}
