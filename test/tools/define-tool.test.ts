import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../../src/tools/define-tool.js';

const input = z.object({ q: z.string() });

describe('defineTool', () => {
  it('returns a frozen tool with its settings and JSON Schemas', () => {
    const tool = defineTool({ name: 'search', description: 'Searches', input, output: z.array(z.string()), run: ({ q }) => [q], timeoutMs: 50, cache: { ttlMs: 1000 } });
    expect(Object.isFrozen(tool)).toBe(true);
    expect(tool.name).toBe('search');
    expect(tool.timeoutMs).toBe(50);
    expect(tool.cache).toEqual({ ttlMs: 1000 });
    const schemas = tool.jsonSchema();
    expect(schemas.input).toMatchObject({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] });
    expect(schemas.output).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(tool.jsonSchema()).toBe(schemas);
  });

  it('is not cached unless asked, and `cache: true` takes the executor TTL', () => {
    expect(defineTool({ name: 'a', description: '', input, run: () => 1 }).cache).toBeUndefined();
    expect(defineTool({ name: 'a', description: '', input, run: () => 1, cache: false }).cache).toBeUndefined();
    expect(defineTool({ name: 'a', description: '', input, run: () => 1, cache: true }).cache).toEqual({});
  });

  it('has no output schema unless given one', () => {
    const tool = defineTool({ name: 'a', description: '', input, run: () => 1 });
    expect(tool.output).toBeUndefined();
    expect(tool.jsonSchema()).not.toHaveProperty('output');
  });

  it('exports an accept-anything schema for a Standard Schema without a JSON Schema converter', () => {
    const plain = { '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ value }) } };
    expect(defineTool({ name: 'a', description: '', input: plain, run: () => 1 }).jsonSchema().input).toEqual({});
  });

  it('validates its definition with messages naming the option', () => {
    const ok = { name: 'a', description: '', input, run: () => 1 };
    expect(() => defineTool({ ...ok, name: 'has space' })).toThrow('Expected `name` to be a string of 1-128 characters A-Z a-z 0-9 _ - ., got `"has space"` (string)');
    expect(() => defineTool({ ...ok, name: 'x'.repeat(129) })).toThrow(TypeError);
    expect(() => defineTool({ ...ok, description: 3 as never })).toThrow('Expected `description` to be a string, got `3` (number)');
    expect(() => defineTool({ ...ok, input: {} as never })).toThrow('Expected `input` to be a Standard Schema validator (zod 4, valibot, arktype, ...), got `{}` (object)');
    expect(() => defineTool({ ...ok, output: null as never })).toThrow('Expected `output` to be a Standard Schema validator');
    expect(() => defineTool({ ...ok, run: 'no' as never })).toThrow('Expected `run` to be a function, got `"no"` (string)');
    expect(() => defineTool({ ...ok, timeoutMs: 0 })).toThrow(new RangeError('Expected `timeoutMs` to be a number > 0, got `0` (number)'));
    expect(() => defineTool({ ...ok, timeoutMs: '5' as never })).toThrow(new TypeError('Expected `timeoutMs` to be a number > 0, got `"5"` (string)'));
    expect(() => defineTool({ ...ok, cache: { ttlMs: -1 } })).toThrow('Expected `cache.ttlMs` to be a number > 0, got `-1` (number)');
    expect(() => defineTool({ ...ok, cache: 'yes' as never })).toThrow('Expected `cache` to be a boolean or { ttlMs }, got `"yes"` (string)');
    expect(() => defineTool(null as never)).toThrow('Expected `definition` to be an object, got `null` (null)');
  });

  it('infers the argument type from the input schema', () => {
    const tool = defineTool({ name: 'len', description: '', input, run: (args) => args.q.length });
    const n: number = tool.run({ q: 'abc' }, {} as never) as number;
    expect(n).toBe(3);
  });
});
