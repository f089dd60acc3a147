import { describe, expect, it } from 'vitest';
import { errorText, MAX_TEXT_CHARS, valueText } from '../../src/view/to-text.js';

describe('valueText', () => {
  it('keeps a string as it is, markup included', () => {
    expect(valueText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });

  it('shows other values as util.inspect does, without colours', () => {
    expect(valueText({ a: 1, b: ['x'] })).toBe("{ a: 1, b: [ 'x' ] }");
    expect(valueText(new Uint8Array([1, 2]))).toBe('Uint8Array(2) [ 1, 2 ]');
    expect(valueText(12n)).toBe('12n');
    expect(valueText(null)).toBe('null');
    expect(valueText(new Map([['k', 1]]))).toBe("Map(1) { 'k' => 1 }");
  });

  it('cuts a long value and says how much was left out', () => {
    const text = valueText('x'.repeat(MAX_TEXT_CHARS + 1234));
    expect(text).toBe(`${'x'.repeat(MAX_TEXT_CHARS)}… (1,234 more characters)`);
  });
});

describe('errorText', () => {
  it('gives each error of the cause chain one line, with its code when it has one', () => {
    const error = new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'TOOL_TIMEOUT' }) });
    expect(errorText(error)).toBe('Error: outer\ncaused by TOOL_TIMEOUT: inner');
    expect(errorText(new TypeError('bad'))).toBe('TypeError: bad');
  });

  it('stops at a cause that loops back, and shows a thrown non-error as a value', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(errorText(a)).toBe('Error: a\ncaused by Error: b');
    expect(errorText('just a string')).toBe('just a string');
    expect(errorText({ status: 500 })).toBe('{ status: 500 }');
  });
});
