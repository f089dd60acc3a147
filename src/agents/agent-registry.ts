// The agents a workflow's tasks can name, with what belongs to each agent across runs: its
// instance pool and its metrics (runs, failures, latency, tokens).

import { AgentDuplicateError, AgentUnknownError } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';
import { Histogram } from '../observe/histogram.js';
import type { Agent } from './define-agent.js';
import { InstancePool } from './instance-pool.js';

/** An agent's counters, across every run that used it through this registry. */
export interface AgentMetrics {
  readonly name: string;
  /** Attempts finished (succeeded or failed). */
  readonly runs: number;
  /** Attempts failed (a thrown error, a schema violation, a cancellation). */
  readonly failures: number;
  /** Attempts running now. */
  readonly running: number;
  /** Attempt latency (from the task's start to its validated output), in ms. */
  readonly latencyMs: { readonly count: number; readonly mean: number; readonly p50: number; readonly p95: number; readonly max: number };
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** `promptTokens + completionTokens`. */
  readonly tokens: number;
  readonly costUsd: number;
  /** Instances its pool has created (0 without `create`). */
  readonly instances: number;
}

/** @internal What the engine keeps per registered agent. */
export class AgentEntry {
  readonly latency = new Histogram();
  runs = 0;
  failures = 0;
  running = 0;
  promptTokens = 0;
  completionTokens = 0;
  costUsd = 0;
  readonly pool: InstancePool<unknown> | undefined;

  constructor(readonly agent: Agent) {
    this.pool = agent.create === undefined ? undefined : new InstancePool(agent.create, agent.concurrency);
  }

  metrics(): AgentMetrics {
    const h = this.latency;
    const s = h.summary();
    return {
      name: this.agent.name,
      runs: this.runs,
      failures: this.failures,
      running: this.running,
      latencyMs: { count: s.count, mean: s.mean, p50: s.p50, p95: h.quantile(0.95), max: s.max },
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      tokens: this.promptTokens + this.completionTokens,
      costUsd: this.costUsd,
      instances: this.pool?.created ?? 0,
    };
  }
}

/** The agents tasks can name (`workflow({ agents })`), with their pools and metrics. */
export class AgentRegistry {
  private readonly entries = new Map<string, AgentEntry>();

  /** @param agents - the agents to register (names must be unique) */
  constructor(agents: readonly Agent[] = []) {
    if (!Array.isArray(agents)) throw new TypeError(expectedMessage('agents', 'an array of agents (defineAgent)', agents));
    for (const agent of agents) this.register(agent);
  }

  /** Adds an agent; a name already registered throws `AGENT_DUPLICATE`. */
  register(agent: Agent): this {
    if (typeof agent !== 'object' || agent === null || typeof agent.name !== 'string' || typeof agent.run !== 'function' || typeof agent.jsonSchema !== 'function') {
      throw new TypeError(expectedMessage('agent', 'an agent (defineAgent)', agent));
    }
    if (this.entries.has(agent.name)) throw new AgentDuplicateError(agent.name);
    this.entries.set(agent.name, new AgentEntry(agent));
    return this;
  }

  /** Whether an agent of that name is registered. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The agent `name`; an unknown name throws `AGENT_UNKNOWN`. */
  get(name: string): Agent {
    return this.entry(name).agent;
  }

  /** Every agent, in registration order. */
  list(): readonly Agent[] {
    return [...this.entries.values()].map((e) => e.agent);
  }

  /** Names of the registered agents, in registration order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** One agent's metrics (`AGENT_UNKNOWN` for an unknown name). */
  metrics(name: string): AgentMetrics;
  /** Every agent's metrics, in registration order. */
  metrics(): AgentMetrics[];
  metrics(name?: string): AgentMetrics | AgentMetrics[] {
    if (name !== undefined) return this.entry(name).metrics();
    return [...this.entries.values()].map((e) => e.metrics());
  }

  /** @internal The agent `name` with its pool and counters; `where` prefixes the unknown-agent message. */
  entry(name: string, where?: string): AgentEntry {
    const e = this.entries.get(name);
    if (e === undefined) throw new AgentUnknownError(name, this.names(), where);
    return e;
  }
}

/** Creates a registry of `agents` (see {@link AgentRegistry}); duplicate names throw `AGENT_DUPLICATE`. */
export function createAgentRegistry(agents: readonly Agent[] = []): AgentRegistry {
  return new AgentRegistry(agents);
}
