// What a run spends (tokens and dollars from `ctx.reportUsage`), tallied in all, per agent and
// per task, and the budgets it is held to: the workflow's (every agent task draws on it) and
// each agent's (its own tasks). Budgets are per run; a spent one stops new tasks, not running ones.

import { expectedMessage } from '../internal/validate.js';
import type { RunUsage, Usage } from '../workflow/types.js';
import type { Budget } from './define-agent.js';

type Tally = { promptTokens: number; completionTokens: number; costUsd: number; tokens: number };

const tally = (): Tally => ({ promptTokens: 0, completionTokens: 0, costUsd: 0, tokens: 0 });

function add(t: Tally, prompt: number, completion: number, cost: number): void {
  t.promptTokens += prompt;
  t.completionTokens += completion;
  t.tokens += prompt + completion;
  t.costUsd += cost;
}

/** Why a task may not start: the budget (`'workflow'` or `'agent:<name>'`), what it spent, its limits. */
export interface BudgetBreach {
  readonly budget: string;
  readonly spent: { tokens: number; costUsd: number };
  readonly limit: Budget;
}

function breach(name: string, t: Tally, limit: Budget | undefined): BudgetBreach | undefined {
  if (limit === undefined) return undefined;
  const over = (limit.tokens !== undefined && t.tokens >= limit.tokens) || (limit.costUsd !== undefined && t.costUsd >= limit.costUsd);
  return over ? { budget: name, spent: { tokens: t.tokens, costUsd: t.costUsd }, limit } : undefined;
}

function checkCount(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new RangeError(expectedMessage(name, 'a finite number >= 0', value));
  return value;
}

/** Checks a `reportUsage` argument; returns `[promptTokens, completionTokens, costUsd]`. */
export function checkUsage(usage: Usage): [number, number, number] {
  if (typeof usage !== 'object' || usage === null) throw new TypeError(expectedMessage('usage', 'a usage object ({ promptTokens, completionTokens, costUsd? })', usage));
  return [checkCount('usage.promptTokens', usage.promptTokens), checkCount('usage.completionTokens', usage.completionTokens), usage.costUsd === undefined ? 0 : checkCount('usage.costUsd', usage.costUsd)];
}

/** @internal One run's spending and budgets. */
export class UsageLedger {
  private readonly total = tally();
  private readonly agents = new Map<string, Tally>();
  private readonly tasks = new Map<string, Tally>();
  /** Per-run budget of each agent, where the run changed it (`handle.setBudget`). */
  private readonly agentBudgets = new Map<string, Budget | undefined>();

  /** @param budget - the workflow's budget */
  constructor(public budget: Budget | undefined) {}

  /** Charges one report of task `taskId` (of agent `agent`, if an agent task). */
  charge(taskId: string, agent: string | undefined, prompt: number, completion: number, cost: number): void {
    add(this.total, prompt, completion, cost);
    let t = this.tasks.get(taskId);
    if (t === undefined) this.tasks.set(taskId, (t = tally()));
    add(t, prompt, completion, cost);
    if (agent === undefined) return;
    let a = this.agents.get(agent);
    if (a === undefined) this.agents.set(agent, (a = tally()));
    add(a, prompt, completion, cost);
  }

  /** Replaces an agent's budget for this run. */
  setAgentBudget(agent: string, budget: Budget | undefined): void {
    this.agentBudgets.set(agent, budget);
  }

  /** The spent budget that keeps a task of `agent` (with `agentBudget` by default) from starting, if any. */
  breach(agent: string, agentBudget: Budget | undefined): BudgetBreach | undefined {
    const own = this.agentBudgets.has(agent) ? this.agentBudgets.get(agent) : agentBudget;
    return breach('workflow', this.total, this.budget) ?? breach(`agent:${agent}`, this.agents.get(agent) ?? tally(), own);
  }

  /** What was spent, as `result.usage` shows it. */
  summary(): RunUsage {
    const freeze = (t: Tally): Tally => Object.freeze({ ...t });
    const record = (m: Map<string, Tally>): Record<string, Tally> => Object.freeze(Object.fromEntries([...m].map(([k, t]) => [k, freeze(t)])));
    return Object.freeze({ total: freeze(this.total), agents: record(this.agents), tasks: record(this.tasks) });
  }
}

/** `result.usage` of a run that reported nothing. */
export const NO_USAGE: RunUsage = Object.freeze({ total: Object.freeze(tally()), agents: Object.freeze({}), tasks: Object.freeze({}) });
