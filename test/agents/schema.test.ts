import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkStandardSchema, isStandardSchema, toJsonSchema, validateSchema } from '../../src/agents/schema.js';
import { isWeftError, JsonSchemaUnsupportedError, SchemaInvalidError } from '../../src/errors.js';

/** A hand-made Standard Schema (no library): an object whose `n` is a number >= 0. */
function counter(options: { async?: boolean; jsonSchema?: boolean } = {}): StandardSchemaV1<unknown, { n: number }> {
  const validate = (value: unknown): StandardSchemaV1.Result<{ n: number }> => {
    if (typeof value !== 'object' || value === null) return { issues: [{ message: 'expected an object' }] };
    const n = (value as { n?: unknown }).n;
    if (typeof n !== 'number') return { issues: [{ message: 'expected a number', path: [{ key: 'n' }] }] };
    if (n < 0) return { issues: [{ message: 'must be >= 0', path: ['n'] }] };
    return { value: { n } };
  };
  const props = {
    version: 1 as const,
    vendor: 'hand-made',
    validate: options.async ? (v: unknown) => Promise.resolve(validate(v)) : validate,
    ...(options.jsonSchema && {
      jsonSchema: {
        input: ({ target }: { target: string }) => ({ target, type: 'object', properties: { n: { type: 'number' } } }),
        output: () => ({ type: 'object', properties: { n: { type: 'number', minimum: 0 } } }),
      },
    }),
  };
  return { '~standard': props };
}

function caught(fn: () => unknown): SchemaInvalidError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SchemaInvalidError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('validateSchema', () => {
  const user = z.object({ name: z.string(), age: z.number().int(), tags: z.array(z.string()), 'odd key': z.boolean() });

  it('returns the validated value synchronously for a synchronous validator', () => {
    const out = validateSchema(z.object({ n: z.coerce.number() }), { n: '4' }, { agent: 'a', side: 'input' });
    expect(out).toEqual({ n: 4 }); // not a promise: the value itself, transformed
  });

  it('lists the path and message of every bad field, naming the agent and the side', () => {
    const error = caught(() => validateSchema(user, { name: 1, age: 2.5, tags: ['a', 3], 'odd key': 'no' }, { agent: 'summarise', side: 'input' }));
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.agentName).toBe('summarise');
    expect(error.toolName).toBeUndefined();
    expect(error.side).toBe('input');
    expect(error.issues.map((i) => i.path)).toEqual(['$.name', '$.age', '$.tags[1]', '$["odd key"]']);
    expect(error.issues.every((i) => i.message.length > 0)).toBe(true);
    expect(error.message).toMatch(/^agent `summarise` input is invalid \(4 issues\): \$\.name: .+; \$\.age: .+; \$\.tags\[1\]: .+; \$\["odd key"\]: .+$/);
  });

  it('names a tool and the output side', () => {
    const error = caught(() => validateSchema(z.string(), 5, { tool: 'search', side: 'output' }));
    expect(error.toolName).toBe('search');
    expect(error.issues).toEqual([{ path: '$', message: 'Invalid input: expected string, received number' }]);
    expect(error.message).toBe('tool `search` output is invalid (1 issue): $: Invalid input: expected string, received number');
  });

  it('awaits async validators (zod async refinements) and rejects with the same typed error', async () => {
    const schema = z.object({ id: z.string().refine(async (s) => s.startsWith('u-'), 'unknown user') });
    const ok = validateSchema(schema, { id: 'u-1' }, { agent: 'a', side: 'input' });
    expect(ok).toBeInstanceOf(Promise);
    await expect(ok).resolves.toEqual({ id: 'u-1' });
    const bad = validateSchema(schema, { id: 'x' }, { agent: 'a', side: 'input' });
    await expect(bad).rejects.toMatchObject({ code: 'SCHEMA_INVALID', issues: [{ path: '$.id', message: 'unknown user' }] });
  });

  it('accepts any Standard Schema: a hand-made one, sync and async, with key and segment paths', async () => {
    expect(validateSchema(counter(), { n: 2 }, { agent: 'a', side: 'input' })).toEqual({ n: 2 });
    expect(caught(() => validateSchema(counter(), { n: 'x' }, { agent: 'a', side: 'input' })).issues).toEqual([{ path: '$.n', message: 'expected a number' }]);
    expect(caught(() => validateSchema(counter(), { n: -1 }, { agent: 'a', side: 'output' })).issues).toEqual([{ path: '$.n', message: 'must be >= 0' }]);
    await expect(validateSchema(counter({ async: true }), null, { agent: 'a', side: 'input' })).rejects.toMatchObject({ issues: [{ path: '$', message: 'expected an object' }] });
  });
});

describe('isStandardSchema / checkStandardSchema', () => {
  it('recognise zod and hand-made schemas, and reject the rest with a message naming the option', () => {
    expect(isStandardSchema(z.string())).toBe(true);
    expect(isStandardSchema(counter())).toBe(true);
    expect(isStandardSchema({ '~standard': { version: 2, validate: () => ({ value: 1 }) } })).toBe(false);
    expect(isStandardSchema(null)).toBe(false);
    expect(() => checkStandardSchema('input', { type: 'object' })).toThrow('Expected `input` to be a Standard Schema validator (zod 4, valibot, arktype, ...), got `{"type":"object"}` (object)');
  });
});

describe('toJsonSchema', () => {
  const schema = z.object({ text: z.string().describe('the text'), max: z.number().optional() });

  it('exports zod 4 schemas as z.toJSONSchema does, per side', () => {
    expect(toJsonSchema(schema, { agent: 'a', side: 'input' })).toEqual(z.toJSONSchema(schema, { io: 'input' }));
    expect(toJsonSchema(schema, { agent: 'a', side: 'output' })).toEqual(z.toJSONSchema(schema, { io: 'output' }));
    expect(toJsonSchema(schema, { agent: 'a', side: 'input' }, { target: 'draft-07' })).toEqual(z.toJSONSchema(schema, { io: 'input', target: 'draft-07' }));
  });

  it("uses another library's ~standard.jsonSchema extension", () => {
    expect(toJsonSchema(counter({ jsonSchema: true }), { agent: 'a', side: 'input' })).toEqual({ target: 'draft-2020-12', type: 'object', properties: { n: { type: 'number' } } });
    expect(toJsonSchema(counter({ jsonSchema: true }), { agent: 'a', side: 'output' })).toEqual({ type: 'object', properties: { n: { type: 'number', minimum: 0 } } });
  });

  it('throws JSON_SCHEMA_UNSUPPORTED for a library without one, or a converter that fails', () => {
    let error: unknown;
    try {
      toJsonSchema(counter(), { tool: 'calc', side: 'input' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSchemaUnsupportedError);
    expect(isWeftError(error, 'JSON_SCHEMA_UNSUPPORTED')).toBe(true);
    expect((error as Error).message).toBe('cannot export the input schema of tool `calc` as JSON Schema: its library (`hand-made`) has no Standard JSON Schema converter (`~standard.jsonSchema`); use zod 4 or a library that has one');
    const custom = z.object({ when: z.custom<Date>((v) => v instanceof Date) });
    expect(() => toJsonSchema(custom, { agent: 'a', side: 'output' })).toThrow(/^cannot export the output schema of agent `a` as JSON Schema: the `zod` converter failed: /);
  });
});
