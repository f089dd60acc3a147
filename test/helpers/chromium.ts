import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { serveStatic } from './static-server.js';

// Debian's Chromium (installed by .ci/run), with the flags this machine's closed network needs.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** What a browser test page left in `window.result`, and the page errors seen on the way. */
export interface PageResult {
  readonly result: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- whatever the page computed
  readonly errors: readonly string[];
}

/**
 * Registers hooks that start an http server for the repository root (pages load dist/ as an app
 * would) and a headless Chromium for the test file, and returns how to load a page and read the
 * `window.result` it sets.
 */
export function useBrowser(root: URL): (path: string) => Promise<PageResult> {
  let browser: Browser | undefined;
  let base = '';
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const { server, base: url } = await serveStatic(root);
    base = url;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    close = async () => {
      await browser?.close();
      await new Promise((resolve) => server.close(resolve));
    };
  });
  afterAll(() => close());
  return async (path) => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}${path}`);
    const handle = await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 30_000 });
    const result = (await handle.jsonValue()) as PageResult['result'];
    await page.close();
    return { result, errors };
  };
}
