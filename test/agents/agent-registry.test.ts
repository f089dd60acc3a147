import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgentRegistry } from '../../src/agents/agent-registry.js';
import { defineAgent } from '../../src/agents/define-agent.js';
import { AgentDuplicateError, AgentUnknownError, isWeftError } from '../../src/errors.js';

const agent = (name: string) => defineAgent({ name, input: z.string(), output: z.string(), run: (s) => s });

describe('createAgentRegistry', () => {
  it('registers, gets and lists agents in order', () => {
    const a = agent('a');
    const b = agent('b');
    const registry = createAgentRegistry([a]).register(b);
    expect(registry.get('a')).toBe(a);
    expect(registry.has('b')).toBe(true);
    expect(registry.has('c')).toBe(false);
    expect(registry.list()).toEqual([a, b]);
    expect(registry.names()).toEqual(['a', 'b']);
  });

  it('refuses duplicate names with AGENT_DUPLICATE', () => {
    expect(() => createAgentRegistry([agent('a'), agent('a')])).toThrow(AgentDuplicateError);
    const registry = createAgentRegistry([agent('a')]);
    let error: unknown;
    try {
      registry.register(agent('a'));
    } catch (e) {
      error = e;
    }
    expect(isWeftError(error, 'AGENT_DUPLICATE')).toBe(true);
    expect((error as AgentDuplicateError).agentName).toBe('a');
    expect((error as Error).message).toBe('an agent named `a` is already registered');
  });

  it('answers unknown names with AGENT_UNKNOWN, listing the registered ones', () => {
    const registry = createAgentRegistry([agent('a'), agent('b')]);
    expect(() => registry.get('c')).toThrow(new AgentUnknownError('c', ['a', 'b']));
    expect(() => registry.get('c')).toThrow('unknown agent `c` (registered: a, b)');
    expect(() => createAgentRegistry().metrics('x')).toThrow('unknown agent `x` (registered: none)');
  });

  it('rejects what is not an agent', () => {
    expect(() => createAgentRegistry([{ name: 'x' } as never])).toThrow('Expected `agent` to be an agent (defineAgent), got `{"name":"x"}` (object)');
    expect(() => createAgentRegistry('a' as never)).toThrow('Expected `agents` to be an array of agents (defineAgent), got `"a"` (string)');
  });

  it('starts every agent with empty metrics', () => {
    const registry = createAgentRegistry([agent('a')]);
    expect(registry.metrics()).toEqual([
      { name: 'a', runs: 0, failures: 0, running: 0, latencyMs: { count: 0, mean: 0, p50: 0, p95: 0, max: 0 }, promptTokens: 0, completionTokens: 0, tokens: 0, costUsd: 0, instances: 0 },
    ]);
  });
});
