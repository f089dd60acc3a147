import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkBudget, defineAgent } from '../../src/agents/define-agent.js';

const input = z.object({ text: z.string() });
const output = z.object({ summary: z.string() });

describe('defineAgent', () => {
  it('returns a frozen agent with its defaults', () => {
    const agent = defineAgent({ name: 'summarise', input, output, run: ({ text }) => ({ summary: text.slice(0, 3) }) });
    expect(Object.isFrozen(agent)).toBe(true);
    expect(agent).toMatchObject({ name: 'summarise', description: '', concurrency: Infinity, rateLimit: undefined, budget: undefined, create: undefined });
    expect(agent.run({ text: 'abcdef' }, undefined as never)).toEqual({ summary: 'abc' });
  });

  it('keeps concurrency, rate limiter, budget and factory', () => {
    const agent = defineAgent({ name: 'a.b:c-d', description: 'd', input, output, concurrency: 2, rateLimit: 'llm', budget: { tokens: 100 }, create: () => ({ n: 1 }), run: () => ({ summary: '' }) });
    expect(agent).toMatchObject({ concurrency: 2, rateLimit: 'llm', budget: { tokens: 100 }, description: 'd' });
    expect(agent.create?.()).toEqual({ n: 1 });
  });

  it('exports the JSON Schema of both sides (input as accepted, output as produced)', () => {
    const agent = defineAgent({ name: 's', input, output, run: () => ({ summary: '' }) });
    expect(agent.jsonSchema()).toEqual({ input: z.toJSONSchema(input, { io: 'input' }), output: z.toJSONSchema(output, { io: 'output' }) });
    expect(agent.jsonSchema().output.additionalProperties).toBe(false);
    expect(agent.jsonSchema({ target: 'draft-07' }).input.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('rejects bad options with messages naming the agent and the option', () => {
    const run = (): { summary: string } => ({ summary: '' });
    expect(() => defineAgent(null as never)).toThrow('Expected `options` to be an agent options object, got `null` (null)');
    expect(() => defineAgent({ name: '', input, output, run })).toThrow('Expected `name` to be an agent name (letters, digits, `_`, `.`, `:`, `-`), got `""` (string)');
    expect(() => defineAgent({ name: 'has space', input, output, run })).toThrow(TypeError);
    expect(() => defineAgent({ name: 'a', input: {} as unknown as typeof input, output, run })).toThrow('agent `a`: Expected `input` to be a Standard Schema validator (zod 4, valibot, arktype, ...), got `{}` (object)');
    expect(() => defineAgent({ name: 'a', input, output: 'x' as unknown as typeof output, run })).toThrow('agent `a`: Expected `output` to be a Standard Schema validator');
    expect(() => defineAgent({ name: 'a', input, output, run: 1 as never })).toThrow('agent `a`: Expected `run` to be a function, got `1` (number)');
    expect(() => defineAgent({ name: 'a', input, output, run, concurrency: 0 })).toThrow(new RangeError('agent `a`: Expected `concurrency` to be an integer >= 1, got `0` (number)'));
    expect(() => defineAgent({ name: 'a', input, output, run, rateLimit: '' })).toThrow('agent `a`: Expected `rateLimit` to be a rate limiter name, got `""` (string)');
    expect(() => defineAgent({ name: 'a', input, output, run, create: 5 as never })).toThrow('agent `a`: Expected `create` to be a function, got `5` (number)');
    expect(() => defineAgent({ name: 'a', input, output, run, description: 3 as never })).toThrow('agent `a`: Expected `description` to be a string, got `3` (number)');
    expect(() => defineAgent({ name: 'a', input, output, run, budget: { tokens: -1 } })).toThrow(new RangeError('agent `a`: Expected `budget.tokens` to be a number >= 0, got `-1` (number)'));
  });
});

describe('checkBudget', () => {
  it('accepts tokens and/or dollars, and nothing else', () => {
    expect(checkBudget('budget', undefined)).toBeUndefined();
    expect(checkBudget('budget', { costUsd: 0.5 })).toEqual({ costUsd: 0.5 });
    expect(checkBudget('budget', { tokens: 10, costUsd: 1 })).toEqual({ tokens: 10, costUsd: 1 });
    expect(() => checkBudget('budget', {})).toThrow('Expected `budget` to set `tokens` or `costUsd`, got neither');
    expect(() => checkBudget('budget', 5)).toThrow('Expected `budget` to be a budget object ({ tokens?, costUsd? }), got `5` (number)');
    expect(() => checkBudget('budget', { costUsd: Number.NaN })).toThrow('Expected `budget.costUsd` to be a number >= 0, got `NaN` (number)');
  });
});
