import { describe, expect, it } from 'vitest';
import { skipBrowserTests, useBrowser } from '../helpers/chromium.js';

// The memory store's in-memory backend in a real browser (Debian's chromium), from dist/browser.js
// over http, with a workflow whose tasks use it through their context. Skipped outside CI when no
// Chromium is found.
describe.skipIf(skipBrowserTests)('memory in Chromium', () => {
  const open = useBrowser(new URL('../..', import.meta.url));

  it('remembers, recalls (vector and hybrid) and serves a workflow run, in memory', async () => {
    const { result: r, errors } = await open('/test/fixtures/browser/memory.html');
    expect(errors).toEqual([]);
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({
      backend: 'wasm',
      status: 'succeeded',
      answer: 'the launch checklist lives in the ops wiki',
      hybrid: 'lunch is served at noon on the third floor',
      shortTermAfterRun: 0,
      total: 3,
    });
  });
});
