import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../helpers/static-server.js';

// The memory store's in-memory backend in a real browser (Debian's chromium), from dist/browser.js
// over http, with a workflow whose tasks use it through their context.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser;
let server: Server;
let base: string;

beforeAll(async () => {
  ({ server, base } = await serveStatic(new URL('../..', import.meta.url)));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
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
