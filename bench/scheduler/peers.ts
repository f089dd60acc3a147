// The peers of the scheduler suite, each on a shape of no-op steps: LangGraph.js (a StateGraph
// where a node with several parents waits for all of them), Mastra (level barriers: it has no
// general DAG) and p-queue (independent tasks). APIs as declared in node_modules/*/dist/*.d.ts.
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { createStep, createWorkflow } from '@mastra/core/workflows';
import PQueue from 'p-queue';
import { setMaxListeners } from 'node:events';
import { z } from 'zod';
import { levels, type Shape } from './shapes.js';

// Mastra adds an abort listener per step to one signal; Node's leak warning (at 11) would flood
// the bench output. Raise the default for new event targets in this bench process only.
setMaxListeners(10_000);

/** The state every LangGraph node sees; no-op nodes return no update. */
const LangState = Annotation.Root({ tick: Annotation<number> });

/**
 * The shape as a compiled LangGraph StateGraph: a node with one parent gets `addEdge(parent,
 * node)`, one with several `addEdge([...parents], node)` (it runs once all have run), sources
 * hang off START and sinks go to END. Returns a function running it once.
 */
export function langGraphRunner(shape: Shape): () => Promise<unknown> {
  // Node names are only known at run time: the builder's literal-name typing cannot follow.
  const g = new StateGraph(LangState) as unknown as {
    addNode(name: string, fn: () => Promise<Record<string, never>>): void;
    addEdge(from: string | string[], to: string): void;
    compile(): { invoke(input: object, options: { recursionLimit: number }): Promise<unknown> };
  };
  const { ids, parents } = shape;
  const hasChild = new Uint8Array(ids.length);
  for (const ps of parents) for (const p of ps) hasChild[p] = 1;
  const noop = async (): Promise<Record<string, never>> => ({});
  for (const id of ids) g.addNode(id, noop);
  for (let i = 0; i < ids.length; i++) {
    const ps = parents[i];
    if (ps.length === 0) g.addEdge(START, ids[i]);
    else if (ps.length === 1) g.addEdge(ids[ps[0]], ids[i]);
    else g.addEdge(ps.map((p) => ids[p]), ids[i]);
    if (!hasChild[i]) g.addEdge(ids[i], END);
  }
  const app = g.compile();
  // One superstep per level at least; the default limit (25) would stop a long chain.
  const recursionLimit = ids.length + 10;
  return () => app.invoke({ tick: 0 }, { recursionLimit });
}

/**
 * The shape as a committed Mastra workflow. Mastra composes steps with `.then` (one after the
 * other) and `.parallel` (all, then a barrier): it cannot express a general DAG, so the graph is
 * cut into levels (a task's level = 1 + its deepest parent's) and each level runs as one
 * `.parallel` (a `.then` when it has one step). That waits for the whole previous level, where
 * the DAG would only wait for each task's own parents: on a chain or a fan-out the two agree.
 */
export function mastraRunner(shape: Shape): () => Promise<unknown> {
  const any = z.any();
  const steps = shape.ids.map((id) => createStep({ id, inputSchema: any, outputSchema: any, execute: async () => ({}) }));
  // The builder's generics track every step's schemas; with steps made in a loop they cannot.
  let wf = createWorkflow({ id: 'bench', inputSchema: any, outputSchema: any }) as unknown as {
    then(step: unknown): typeof wf;
    parallel(steps: unknown[]): typeof wf;
    commit(): typeof wf;
    createRunAsync(): Promise<{ start(args: { inputData: unknown }): Promise<{ status: string; error?: unknown }> }>;
  };
  for (const level of levels(shape)) wf = level.length === 1 ? wf.then(steps[level[0]]) : wf.parallel(level.map((i) => steps[i]));
  const committed = wf.commit();
  return async () => {
    const run = await committed.createRunAsync();
    const result = await run.start({ inputData: {} });
    if (result.status !== 'success') throw new Error(`mastra run ended ${result.status}: ${String(result.error)}`);
    return result;
  };
}

/** `tasks` calls of `fn` through a p-queue at `concurrency`, awaited until idle. */
export function pQueueRunner(tasks: number, concurrency: number, fn: () => Promise<unknown>): () => Promise<void> {
  return async () => {
    const queue = new PQueue({ concurrency });
    for (let i = 0; i < tasks; i++) void queue.add(fn);
    await queue.onIdle();
  };
}
