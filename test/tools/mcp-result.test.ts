import { describe, expect, it } from 'vitest';
import { McpToolResultError } from '../../src/errors.js';
import { fromCallResult, textOf } from '../../src/tools/mcp-result.js';

describe('fromCallResult', () => {
  it('prefers structured content', () => {
    expect(fromCallResult({ content: [{ type: 'text', text: '{"n":1}' }], structuredContent: { n: 1 } })).toEqual({ n: 1 });
  });

  it('joins text blocks by newlines', () => {
    expect(fromCallResult({ content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] })).toBe('a\nb');
    expect(fromCallResult({ content: [] })).toBe('');
  });

  it('returns the blocks as they came when one is not text', () => {
    const content = [{ type: 'text', text: 'see' }, { type: 'image', data: 'AA==', mimeType: 'image/png' }];
    expect(fromCallResult({ content })).toBe(content);
  });

  it('returns the toolResult of older protocol versions', () => {
    expect(fromCallResult({ toolResult: 42 })).toBe(42);
  });

  it('throws an error result with its text', () => {
    const result = { isError: true, content: [{ type: 'text', text: 'no such city' }, { type: 'image' }] };
    const thrown = (() => {
      try {
        fromCallResult(result);
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(McpToolResultError);
    expect((thrown as Error).message).toBe('the server answered with an error: no such city');
    expect((thrown as McpToolResultError).result).toBe(result);
    expect(() => fromCallResult({ isError: true })).toThrow('the server answered with an error: (no text)');
  });

  it('textOf skips blocks that are not text', () => {
    expect(textOf([{ type: 'image' }, { type: 'text', text: 'x' }])).toBe('x');
  });
});
