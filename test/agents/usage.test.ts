import { describe, expect, it } from 'vitest';
import { checkUsage, NO_USAGE, UsageLedger } from '../../src/agents/usage.js';

describe('UsageLedger', () => {
  it('tallies in all, per task and per agent (plain tasks count in all and per task only)', () => {
    const ledger = new UsageLedger(undefined);
    ledger.charge('a', 'writer', 10, 5, 0.5);
    ledger.charge('a', 'writer', 1, 1, 0);
    ledger.charge('b', undefined, 3, 0, 0.25);
    expect(ledger.summary()).toEqual({
      total: { promptTokens: 14, completionTokens: 6, tokens: 20, costUsd: 0.75 },
      agents: { writer: { promptTokens: 11, completionTokens: 6, tokens: 17, costUsd: 0.5 } },
      tasks: { a: { promptTokens: 11, completionTokens: 6, tokens: 17, costUsd: 0.5 }, b: { promptTokens: 3, completionTokens: 0, tokens: 3, costUsd: 0.25 } },
    });
    expect(Object.isFrozen(ledger.summary().total)).toBe(true);
  });

  it('finds the workflow budget spent first, then the agent budget; a budget is spent at its limit', () => {
    const ledger = new UsageLedger({ tokens: 100 });
    expect(ledger.breach('w', { costUsd: 1 })).toBeUndefined();
    ledger.charge('t', 'w', 50, 0, 1);
    expect(ledger.breach('w', { costUsd: 1 })).toEqual({ budget: 'agent:w', spent: { tokens: 50, costUsd: 1 }, limit: { costUsd: 1 } });
    expect(ledger.breach('other', { costUsd: 1 })).toBeUndefined(); // another agent's budget is its own
    ledger.charge('t', 'other', 0, 50, 0);
    expect(ledger.breach('other', undefined)).toEqual({ budget: 'workflow', spent: { tokens: 100, costUsd: 1 }, limit: { tokens: 100 } });
  });

  it("replaces the workflow's or an agent's budget for the run", () => {
    const ledger = new UsageLedger({ tokens: 10 });
    ledger.charge('t', 'w', 10, 0, 0);
    ledger.budget = { tokens: 20 };
    expect(ledger.breach('w', { tokens: 5 })?.budget).toBe('agent:w');
    ledger.setAgentBudget('w', undefined);
    expect(ledger.breach('w', { tokens: 5 })).toBeUndefined();
  });
});

describe('checkUsage', () => {
  it('returns the three numbers, cost 0 by default', () => {
    expect(checkUsage({ promptTokens: 3, completionTokens: 4 })).toEqual([3, 4, 0]);
    expect(checkUsage({ promptTokens: 0, completionTokens: 0, costUsd: 0.1 })).toEqual([0, 0, 0.1]);
    expect(() => checkUsage({ promptTokens: 1 } as never)).toThrow('Expected `usage.completionTokens` to be a finite number >= 0, got `undefined` (undefined)');
  });

  it('NO_USAGE is an empty, frozen summary', () => {
    expect(NO_USAGE).toEqual({ total: { promptTokens: 0, completionTokens: 0, tokens: 0, costUsd: 0 }, agents: {}, tasks: {} });
    expect(Object.isFrozen(NO_USAGE.total)).toBe(true);
  });
});
