import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEWER_OPTIONS, resolveViewerOptions } from '../../src/view/viewer-options.js';

describe('resolveViewerOptions', () => {
  it('fills in the defaults: a free port on 127.0.0.1', () => {
    expect(resolveViewerOptions({ path: 'runs.db' })).toEqual({ ...DEFAULT_VIEWER_OPTIONS, path: 'runs.db' });
    expect(DEFAULT_VIEWER_OPTIONS).toMatchObject({ port: 0, host: '127.0.0.1' });
    expect(resolveViewerOptions({ path: 'runs.db', port: undefined, host: undefined }).host).toBe('127.0.0.1');
  });

  it('refuses bad options, naming them', () => {
    expect(() => resolveViewerOptions(undefined as never)).toThrow(/Expected `options` to be an object/);
    expect(() => resolveViewerOptions({ path: 3 as never })).toThrow('Expected `path` to be a non-empty file path, got `3` (number)');
    expect(() => resolveViewerOptions({ path: 'a', port: -1 })).toThrow(RangeError);
    expect(() => resolveViewerOptions({ path: 'a', port: 1.5 })).toThrow('Expected `port` to be an integer in [0, 65535], got `1.5` (number)');
    expect(() => resolveViewerOptions({ path: 'a', host: '' })).toThrow('Expected `host` to be a non-empty host name or address');
    expect(() => resolveViewerOptions({ path: 'a', pollMs: 1 })).toThrow('Expected `pollMs` to be an integer >= 10');
    expect(() => resolveViewerOptions({ path: 'a', maxTasks: 0 })).toThrow('Expected `maxTasks` to be an integer >= 1');
    expect(() => resolveViewerOptions({ path: 'a', signal: {} as never })).toThrow('Expected `signal` to be an AbortSignal');
  });
});
