import { describe, expect, it } from 'vitest';
import { checkSelector, checkText } from '../../src/memory/checks.js';

describe('memory argument checks', () => {
  it('accepts text with content and rejects empty text with EMPTY_TEXT', () => {
    expect(checkText('remember(text)', ' hi ')).toBe(' hi ');
    expect(() => checkText('remember(text)', ' \n\t')).toThrow(expect.objectContaining({ code: 'EMPTY_TEXT', message: 'remember(text): the text is empty' }));
    expect(() => checkText('recall(query)', 3)).toThrow(new TypeError('Expected `recall(query)` to be a string, got `3` (number)'));
  });

  it('keeps only selector fields and validates them', () => {
    expect(checkSelector({ scope: 'entity', entity: 'A', k: 3 } as never)).toEqual({ scope: 'entity', runId: undefined, entity: 'A', filter: undefined });
    expect(() => checkSelector({ scope: 'session' as never })).toThrow(new TypeError("Expected `scope` to be one of 'short-term', 'long-term', 'entity', got `\"session\"` (string)"));
    expect(() => checkSelector({ runId: 1 as never })).toThrow(new TypeError('Expected `runId` to be a string, got `1` (number)'));
    expect(() => checkSelector({ filter: { a: {} } as never })).toThrow(expect.objectContaining({ code: 'INVALID_FILTER' }));
  });
});
