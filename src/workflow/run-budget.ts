// Budgets at dispatch: an agent task whose budget (the workflow's, or its agent's) is spent does
// not start. It fails with BUDGET_EXCEEDED, or waits suspended until the budget is raised
// (`handle.setBudget`) or a human lets it through (`handle.resume`). Tasks already running finish.

import { checkBudget, type Budget } from '../agents/define-agent.js';
import { BudgetExceededError } from '../errors.js';
import { failTask } from './run-end.js';
import type { RunCore } from './run-core.js';
import { READY, SUSPENDED } from './state.js';

/** Whether ready agent task `i` may not start for a spent budget (then it is failed or parked). */
export function budgetStops(run: RunCore, i: number): boolean {
  const agent = run.graph.specs[i].agent;
  if (agent === undefined || run.usage === undefined) return false;
  if (run.budgetOverride.size > 0 && run.budgetOverride.delete(i)) return false;
  const registry = run.wf.options.agents;
  const own = registry !== undefined && registry.has(agent) ? registry.get(agent).budget : undefined;
  const breach = run.usage.breach(agent, own);
  if (breach === undefined) return false;
  if (run.wf.options.onBudgetExceeded === 'fail') {
    failTask(run, i, new BudgetExceededError(run.graph.ids[i], breach.budget, breach.spent, breach.limit));
    return true;
  }
  run.s.status[i] = SUSPENDED;
  run.parked.add(i);
  run.emit(4 /* task:suspended */, i, { reason: 'budget', payload: breach });
  return true;
}

/**
 * Replaces this run's budget (the workflow's, or with `agent` that agent's) and lets the parked
 * tasks try again: those whose budgets now have room start, the others park again.
 */
export function setBudget(run: RunCore, budget: Budget | undefined, agent: string | undefined): void {
  const checked = checkBudget('budget', budget);
  if (agent !== undefined) run.wf.options.agents?.entry(agent); // AGENT_UNKNOWN for a name the registry lacks
  const ledger = run.usage;
  if (ledger === undefined) return; // a workflow without agents has no task a budget stops
  if (agent === undefined) ledger.budget = checked;
  else ledger.setAgentBudget(agent, checked);
  if (run.settled || run.parked.size === 0) return;
  run.tick();
  for (const i of [...run.parked]) release(run, i);
  run.pump();
}

/** Parked task `i` goes back to the ready heap (dispatch checks its budget again); whether it was parked. */
export function release(run: RunCore, i: number): boolean {
  if (!run.parked.delete(i) || run.s.status[i] !== SUSPENDED) return false;
  run.s.status[i] = READY;
  run.emit(5 /* task:resumed */, i);
  run.heap.push(i);
  return true;
}
