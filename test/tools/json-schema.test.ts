import { describe, expect, it } from 'vitest';
import { fromJsonSchema, parseAjvErrors } from '../../src/tools/json-schema.js';

describe('fromJsonSchema', () => {
  const schema = {
    type: 'object',
    properties: { q: { type: 'string', minLength: 1 }, tags: { type: 'array', items: { type: 'string' } }, 'odd key': { type: 'number' } },
    required: ['q'],
    additionalProperties: false,
  };

  it('accepts valid values and returns them', () => {
    const s = fromJsonSchema(schema);
    expect(s['~standard'].validate({ q: 'x', tags: ['a'] })).toEqual({ value: { q: 'x', tags: ['a'] } });
  });

  it('reports every bad field with its path', () => {
    const result = fromJsonSchema(schema)['~standard'].validate({ tags: ['a', 3], 'odd key': 'no', extra: 1 }) as { issues: { path: unknown[]; message: string }[] };
    expect(result.issues).toEqual([
      { path: [], message: "must have required property 'q'" },
      { path: [], message: 'must NOT have additional properties' },
      { path: ['tags', 1], message: 'must be string' },
      { path: ['odd key'], message: 'must be number' },
    ]);
  });

  it('exports the schema it was made from', () => {
    const s = fromJsonSchema(schema);
    expect(s['~standard'].jsonSchema.input({ target: 'draft-2020-12' })).toBe(schema);
    expect(s['~standard'].jsonSchema.output({ target: 'draft-2020-12' })).toBe(schema);
  });

  it('checks formats', () => {
    const s = fromJsonSchema({ type: 'string', format: 'email' });
    expect(s['~standard'].validate('not an email')).toHaveProperty('issues');
    expect(s['~standard'].validate('a@b.org')).toEqual({ value: 'a@b.org' });
  });

  it('throws for a schema ajv cannot compile', () => {
    expect(() => fromJsonSchema({ type: 'object', properties: { a: { $ref: '#/nowhere' } } })).toThrow();
  });
});

describe('parseAjvErrors', () => {
  it('splits ajv errorsText into paths and messages, decoding JSON Pointers', () => {
    expect(parseAjvErrors("data/a~1b/0 must be string, data must have required property 'c'")).toEqual([
      { path: '$["a/b"][0]', message: 'must be string', segments: ['a/b', 0] },
      { path: '$', message: "must have required property 'c'", segments: [] },
    ]);
  });

  it('keeps a text it cannot parse as one issue at the root', () => {
    expect(parseAjvErrors('something else')).toEqual([{ path: '$', message: 'something else', segments: [] }]);
  });
});
