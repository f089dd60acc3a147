// An agent: a named unit of work with a schema on each side, run by the engine as a task made of
// data (`{ agent: name, input }`), so a durable run or a remote worker can carry it. Defining one
// checks its options once; the engine resolves it once per task, when the task is defined.

import type { StandardSchemaV1 } from '@standard-schema/spec';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import type { TaskContext, TaskInput } from '../workflow/types.js';
import { checkStandardSchema, toJsonSchema, type JsonSchema, type JsonSchemaOptions } from './schema.js';

/** A spending limit: tokens (prompt + completion) and/or US dollars. */
export interface Budget {
  /** Prompt + completion tokens, as reported with `ctx.reportUsage()`. @default unlimited */
  readonly tokens?: number;
  /** US dollars, as reported with `ctx.reportUsage({ costUsd })`. @default unlimited */
  readonly costUsd?: number;
}

/**
 * Where an agent's work runs off this thread: `export` of `module` (see the worker executor), on
 * the workflow's worker pool or by an executor of the workflow's own; passed on to each of its
 * tasks as `worker`, as data, unless the task sets its own.
 */
export interface AgentWorker {
  readonly module: string | URL;
  readonly export?: string;
  readonly maxMemoryMb?: number;
  readonly cpuQuotaMs?: number;
}

/** What an agent's `run` receives besides its input: the task's context, and more. */
export interface AgentContext<S = unknown> extends TaskContext {
  /** The agent's name. */
  readonly agent: string;
  /** The outputs of the task's dependencies, by task id (the same as a plain task's first argument). */
  readonly deps: TaskInput;
  /** This task's instance from the agent's pool (`create()`), or `undefined` for an agent without one. */
  readonly instance: S;
}

/** Options of {@link defineAgent}. */
export interface AgentOptions<IS extends StandardSchemaV1, OS extends StandardSchemaV1, S = undefined> {
  /** Unique within a registry; tasks name the agent by it. */
  readonly name: string;
  /** What the agent does (tool-calling models read it). @default '' */
  readonly description?: string;
  /** Schema of the input (any Standard Schema validator; zod 4 is the documented default). */
  readonly input: IS;
  /** Schema of the output: the task's output is what it returns, validated. */
  readonly output: OS;
  /**
   * The work: gets the validated input and an {@link AgentContext}; returns what the output
   * schema accepts. Required unless `worker` names the work.
   * @default none (with `worker`: the agent runs on worker threads only)
   */
  run?(input: StandardSchemaV1.InferOutput<IS>, ctx: AgentContext<S>): StandardSchemaV1.InferInput<OS> | PromiseLike<StandardSchemaV1.InferInput<OS>>;
  /**
   * At most this many of the agent's tasks run at once in a run (an engine concurrency group
   * named `agent:<name>`: waiting tasks hold no slot), and at most this many instances exist.
   * @default Infinity
   */
  readonly concurrency?: number;
  /** Name of a rate limiter the agent's tasks use unless a task names its own. @default none */
  readonly rateLimit?: string;
  /** What the agent's tasks may spend in one run; once spent, its further tasks do not start. @default unlimited */
  readonly budget?: Budget;
  /**
   * Factory of the agent's instances, for an agent that keeps state (a connection, a loaded
   * model): each task borrows one (`ctx.instance`) and returns it when done; at most
   * `concurrency` exist, and they are reused between tasks and runs.
   * @default none (no instance)
   */
  create?(): S | PromiseLike<S>;
  /**
   * Run the agent's work on a worker thread: `export` of `module`, with `run`'s signature
   * (`(input, ctx)`, the validated input; `ctx.agent`, `ctx.deps` and `ctx.instance`, a clone, as
   * here). Passed on to each of its tasks as `worker`, as data, unless the task sets its own.
   * With the workflow's default executor the tasks run on its worker pool (schemas, `$ref`s,
   * instances and the concurrency group on this thread, around the trip); a workflow with its
   * own `executor` hands them to it, to run elsewhere.
   * @default none
   */
  readonly worker?: AgentWorker;
}

/** An agent, as {@link defineAgent} returns it. `I` is the validated input, `O` the validated output. */
export interface Agent<I = unknown, O = unknown> {
  readonly name: string;
  readonly description: string;
  readonly input: StandardSchemaV1<unknown, I>;
  readonly output: StandardSchemaV1<unknown, O>;
  /** Cap on the agent's tasks running at once in a run (and on its instances). */
  readonly concurrency: number;
  readonly rateLimit: string | undefined;
  readonly budget: Budget | undefined;
  /** The instance factory, if the agent keeps state. */
  readonly create: (() => unknown) | undefined;
  /** Where its tasks run, if not on this thread. */
  readonly worker: AgentWorker | undefined;
  /** The work, as given (unvalidated: the engine validates around it); for an agent with `worker` and no `run`, a function that throws. */
  run(input: I, ctx: AgentContext<never>): unknown;
  /**
   * JSON Schema of the input (what callers may send) and of the output (what the agent
   * returns), for tool-calling models. Throws `JSON_SCHEMA_UNSUPPORTED` for a schema library
   * without a Standard JSON Schema converter.
   */
  jsonSchema(options?: JsonSchemaOptions): { input: JsonSchema; output: JsonSchema };
}

const NAME = /^[A-Za-z0-9_][\w.:-]*$/;

/** The `run` of an agent whose work is only its `worker` export. */
function threadsOnly(name: string): () => never {
  return () => {
    throw new TypeError(`agent \`${name}\` runs on worker threads only (it has \`worker\` and no \`run\`); this executor runs \`run\``);
  };
}

/** Checks a budget option (`name` prefixes the option names in messages). */
export function checkBudget(name: string, budget: unknown): Budget | undefined {
  if (budget === undefined) return undefined;
  if (typeof budget !== 'object' || budget === null) throw new TypeError(expectedMessage(name, 'a budget object ({ tokens?, costUsd? })', budget));
  const { tokens, costUsd } = budget as Budget;
  for (const [key, v] of [['tokens', tokens], ['costUsd', costUsd]] as const) {
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0))) throw new RangeError(expectedMessage(`${name}.${key}`, 'a number >= 0', v));
  }
  if (tokens === undefined && costUsd === undefined) throw new TypeError(`Expected \`${name}\` to set \`tokens\` or \`costUsd\`, got neither`);
  return Object.freeze({ ...(tokens !== undefined && { tokens }), ...(costUsd !== undefined && { costUsd }) });
}

/**
 * Defines an agent: its name, schemas and work, checked now (a `TypeError`/`RangeError` naming
 * the option). Register it with `createAgentRegistry([...])` and run it as a task:
 * `wf.task({ id, agent: name, input })`.
 */
export function defineAgent<IS extends StandardSchemaV1, OS extends StandardSchemaV1, S = undefined>(
  options: AgentOptions<IS, OS, S>,
): Agent<StandardSchemaV1.InferOutput<IS>, StandardSchemaV1.InferOutput<OS>> {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an agent options object', options));
  const { name, description = '', concurrency = Infinity, rateLimit, create } = options;
  if (typeof name !== 'string' || !NAME.test(name)) throw new TypeError(expectedMessage('name', 'an agent name (letters, digits, `_`, `.`, `:`, `-`)', name));
  const at = (message: string): string => `agent \`${name}\`: ${message}`;
  const wrap = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof RangeError) throw new RangeError(at(error.message));
      if (error instanceof TypeError) throw new TypeError(at(error.message));
      throw error;
    }
  };
  return wrap(() => {
    if (typeof description !== 'string') throw new TypeError(expectedMessage('description', 'a string', description));
    const input = checkStandardSchema('input', options.input) as StandardSchemaV1<unknown, StandardSchemaV1.InferOutput<IS>>;
    const output = checkStandardSchema('output', options.output) as StandardSchemaV1<unknown, StandardSchemaV1.InferOutput<OS>>;
    const worker = options.worker;
    if (worker !== undefined && (typeof worker !== 'object' || worker === null || (typeof worker.module !== 'string' && !(worker.module instanceof URL)))) {
      throw new TypeError(expectedMessage('worker', 'worker options ({ module, export? })', worker));
    }
    const run = options.run ?? (worker === undefined ? undefined : threadsOnly(name));
    if (typeof run !== 'function') throw new TypeError(expectedMessage('run', worker === undefined ? 'a function' : 'a function or undefined (with `worker`)', run));
    if (concurrency !== Infinity) checkInteger('concurrency', concurrency, 1);
    if (rateLimit !== undefined && (typeof rateLimit !== 'string' || rateLimit.length === 0)) throw new TypeError(expectedMessage('rateLimit', 'a rate limiter name', rateLimit));
    if (create !== undefined && typeof create !== 'function') throw new TypeError(expectedMessage('create', 'a function', create));
    const budget = checkBudget('budget', options.budget);
    return Object.freeze({
      name,
      description,
      input,
      output,
      concurrency,
      rateLimit,
      budget,
      create: create === undefined ? undefined : () => create.call(options),
      worker,
      run: (value: StandardSchemaV1.InferOutput<IS>, ctx: AgentContext<never>): unknown => run.call(options, value, ctx as AgentContext<S>),
      jsonSchema: (o?: JsonSchemaOptions) => ({
        input: toJsonSchema(input, { agent: name, side: 'input' }, o),
        output: toJsonSchema(output, { agent: name, side: 'output' }, o),
      }),
    });
  });
}
