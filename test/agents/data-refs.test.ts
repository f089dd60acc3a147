import { describe, expect, it } from 'vitest';
import { findRefs } from '../../src/agents/data-refs.js';
import { SchemaInvalidError } from '../../src/errors.js';

const deps = (o: Record<string, unknown>) => Object.assign(Object.create(null), o) as Record<string, unknown>;

describe('findRefs', () => {
  it('returns undefined for inputs without references (passed on as they are)', () => {
    expect(findRefs({ a: 1, b: [{ c: 'x' }], d: null })).toBeUndefined();
    expect(findRefs(undefined)).toBeUndefined();
    expect(findRefs(new Map([['$ref', 'x']]))).toBeUndefined(); // only plain objects can be references
  });

  it('lists each referenced task once, in order of appearance', () => {
    expect(findRefs([{ $ref: 'b' }, { x: { $ref: 'a', path: 'p' } }, { $ref: 'b', path: 'q' }])?.taskIds).toEqual(['b', 'a']);
    expect(findRefs({ $ref: 'whole' })?.taskIds).toEqual(['whole']);
  });

  it('replaces references by outputs or parts of them, copying only what leads to one', () => {
    const shared = { big: [1, 2, 3] };
    const input = { keep: shared, title: { $ref: 'fetch', path: 'page.title' }, list: [{ $ref: 'fetch', path: 'links.0' }, 'x'], all: { $ref: 'n' }, empty: { $ref: 'n', path: '' } };
    const refs = findRefs(input)!;
    const out = refs.resolve(deps({ fetch: { page: { title: 'T' }, links: ['l0'] }, n: 0 }), 'agent') as typeof input;
    expect(out).toEqual({ keep: { big: [1, 2, 3] }, title: 'T', list: ['l0', 'x'], all: 0, empty: 0 });
    expect(out.keep).toBe(shared);
    expect(input.title).toEqual({ $ref: 'fetch', path: 'page.title' }); // the data is not changed
  });

  it('reports every reference that resolves to nothing as an input issue at its place', () => {
    const refs = findRefs({ a: { $ref: 'x', path: 'missing' }, b: [{ $ref: 'y' }], c: { $ref: 'x', path: 'toString' } })!;
    let error: unknown;
    try {
      refs.resolve(deps({ x: {} }), 'writer');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaInvalidError);
    expect((error as SchemaInvalidError).agentName).toBe('writer');
    expect((error as SchemaInvalidError).issues).toEqual([
      { path: '$.a', message: '`$ref`: `missing` of the output of `x` is undefined' },
      { path: '$.b[0]', message: '`$ref`: the output of `y` is undefined' },
      { path: '$.c', message: '`$ref`: `toString` of the output of `x` is undefined' },
    ]);
  });

  it('rejects malformed references, naming where they are', () => {
    expect(() => findRefs({ a: { $ref: '' } })).toThrow('Expected `input.a.$ref` to be a task id, got `""` (string)');
    expect(() => findRefs({ 'odd key': [{ $ref: 'x', path: 2 }] })).toThrow('Expected `input["odd key"][0].path` to be a dotted path string (`a.b.0`), got `2` (number)');
    expect(() => findRefs({ $ref: 'x', also: 1, more: 2 })).toThrow('Expected `input` (a `$ref`) to have only `$ref` and `path`, got `also`, `more`');
  });
});
