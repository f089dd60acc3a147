// An agent task (`{ id, agent, input }`) turned into the task the engine runs, once, when it is
// defined or added: the agent is looked up then (not per attempt), its input's `$ref`s found,
// its concurrency group and rate limiter filled in, and `run` becomes the engine's: resolve the
// references, validate the input, borrow an instance, run the agent, validate the output,
// count it in the agent's metrics. Every step stays synchronous while the agent's are.

import { expectedMessage } from '../internal/validate.js';
import type { AgentTaskSpec, TaskContext, TaskInput, TaskSpec } from '../workflow/types.js';
import { AgentTaskContext } from './agent-context.js';
import type { AgentEntry, AgentRegistry } from './agent-registry.js';
import { findRefs, type InputRefs } from './data-refs.js';
import { validateSchema } from './schema.js';

/** The concurrency group of an agent's tasks. */
export function agentGroup(name: string): string {
  return `agent:${name}`;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function';

/** `f(v)` now, or once `v` settles. */
function then<T>(v: unknown, f: (value: T) => unknown): unknown {
  return isThenable(v) ? Promise.resolve(v).then((x) => f(x as T)) : f(v as T);
}

/** Calls `f(ok)` when `v` settles (now, if it is not a promise) and passes `v` on. */
function settle(v: unknown, f: (ok: boolean) => void): unknown {
  if (!isThenable(v)) {
    f(true);
    return v;
  }
  return Promise.resolve(v).then(
    (x) => {
      f(true);
      return x;
    },
    (error: unknown) => {
      f(false);
      throw error;
    },
  );
}

/**
 * The agent's own work, given its validated input and context: its `run` here, or a worker
 * executor's trip to a thread (see {@link runAgentTask}).
 */
export type AgentWork = (input: unknown, ctx: AgentTaskContext<unknown>) => unknown;

/** What a bound agent task needs at each attempt, by the bound spec (for executors that run the work elsewhere). */
interface Binding {
  readonly entry: AgentEntry;
  readonly input: unknown;
  readonly refs: InputRefs | undefined;
}

const bindings = new WeakMap<TaskSpec, Binding>();

function runHere(entry: AgentEntry): AgentWork {
  const agent = entry.agent;
  return (valid, actx) => agent.run(valid, actx as AgentTaskContext<never>);
}

/**
 * One attempt of the bound agent task `spec` (from {@link bindAgentTask}) with `work` in place
 * of the agent's `run`: references resolved, input validated, an instance borrowed, `work`
 * called with the validated input, its result validated, the metrics counted, as for a run here.
 */
export function runAgentTask(spec: TaskSpec, deps: TaskInput, ctx: TaskContext, work: AgentWork): unknown {
  const b = bindings.get(spec);
  if (b === undefined) throw new TypeError(`task \`${spec.id}\` is not an agent task bound by the engine`);
  return runAgent(b.entry, b.input, b.refs, deps, ctx, work);
}

/** One attempt of an agent task. */
function runAgent(entry: AgentEntry, input: unknown, refs: InputRefs | undefined, deps: TaskInput, ctx: TaskContext, work: AgentWork): unknown {
  const agent = entry.agent;
  const name = agent.name;
  const t0 = performance.now();
  entry.running++;
  const done = (ok: boolean): void => {
    entry.running--;
    entry.runs++;
    if (!ok) entry.failures++;
    entry.latency.record(performance.now() - t0);
  };
  let result: unknown;
  try {
    const raw = refs === undefined ? input : refs.resolve(deps, name);
    const pool = entry.pool;
    result = then(validateSchema(agent.input, raw, { agent: name, side: 'input' }), (valid) => {
      if (pool === undefined) return then(work(valid, new AgentTaskContext(ctx, name, deps, undefined)), (out) => validateSchema(agent.output, out, { agent: name, side: 'output' }));
      return then(pool.acquire(() => ctx.signal), (instance) => {
        let out: unknown;
        try {
          out = work(valid, new AgentTaskContext(ctx, name, deps, instance));
        } catch (error) {
          pool.release(instance);
          throw error;
        }
        return then(
          settle(out, () => pool.release(instance)),
          (value) => validateSchema(agent.output, value, { agent: name, side: 'output' }),
        );
      });
    });
  } catch (error) {
    done(false);
    throw error;
  }
  return settle(result, done);
}

/**
 * Checks an agent task's own fields and returns the task the engine runs. `groupIndex` holds the
 * run's (or workflow's) concurrency groups: a capped agent's group must be among them.
 */
export function bindAgentTask(spec: AgentTaskSpec, registry: AgentRegistry | undefined, groupIndex: ReadonlyMap<string, number>): TaskSpec {
  const { id, agent: name } = spec;
  const at = `task \`${id}\``;
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`${at}: ${expectedMessage('agent', "an agent's name", name)}`);
  if (spec.run !== undefined) throw new TypeError(`${at}: give \`run\` (a function) or \`agent\` (an agent's name), not both`);
  if (registry === undefined) throw new TypeError(`${at}: \`agent: ${JSON.stringify(name)}\` needs the workflow's \`agents\` option (a registry from createAgentRegistry([...]))`);
  const entry = registry.entry(name, at);
  const agent = entry.agent;
  let refs: InputRefs | undefined;
  try {
    refs = findRefs(spec.input);
  } catch (error) {
    throw error instanceof TypeError ? new TypeError(`${at}: ${error.message}`) : error;
  }
  const deps = spec.dependsOn;
  if (deps !== undefined && !Array.isArray(deps)) throw new TypeError(`${at}: ${expectedMessage('dependsOn', 'an array of task ids', deps)}`);
  // A reference is a dependency: listing it in dependsOn as well is allowed, not required.
  const missing = refs === undefined ? [] : refs.taskIds.filter((t) => !(deps ?? []).includes(t));
  let group = spec.group;
  if (agent.concurrency !== Infinity) {
    const own = agentGroup(name);
    if (group !== undefined && group !== own) throw new RangeError(`${at}: an agent task counts against its agent's group \`${own}\` (concurrency ${agent.concurrency}); it cannot also be in \`${group}\``);
    if (!groupIndex.has(own)) throw new RangeError(`${at}: agent \`${name}\` was registered after this run started; its tasks can be added to runs that start after it`);
    group = own;
  }
  const input = spec.input;
  const here = runHere(entry);
  const bound: TaskSpec = {
    ...spec,
    ...(missing.length > 0 && { dependsOn: [...(deps ?? []), ...missing] }),
    ...(group !== undefined && { group }),
    ...((spec.rateLimit ?? agent.rateLimit) !== undefined && { rateLimit: spec.rateLimit ?? agent.rateLimit }),
    ...(agent.worker !== undefined && (spec as { worker?: unknown }).worker === undefined && { worker: agent.worker }),
    run: (depOutputs: TaskInput, ctx: TaskContext) => runAgent(entry, input, refs, depOutputs, ctx, here),
  };
  Object.freeze(bound);
  bindings.set(bound, { entry, input, refs });
  return bound;
}
