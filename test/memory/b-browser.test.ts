import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type BrowserHarness } from '../helpers/chromium.js';

// The memory store's in-memory backend in a real browser (Debian's chromium), from dist/browser.js
// over http, with a workflow whose tasks use it through their context.
let harness: BrowserHarness;
let browser: Browser;
let base: string;

beforeAll(async () => {
  harness = await startBrowser(new URL('../..', import.meta.url));
  ({ browser, base } = harness);
});

afterAll(async () => {
  await harness?.close();
});

describe('memory in Chromium', () => {
  it('remembers, recalls (vector and hybrid) and serves a workflow run, in memory', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/test/fixtures/browser/memory.html`);
    const handle = await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 30_000 });
    const r = (await handle.jsonValue()) as Record<string, unknown>;
    await page.close();
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
