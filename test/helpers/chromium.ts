import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { chromiumPath, launchChromium, NAMES, HOW_TO } from './find-chromium.js';
import { serveStatic } from './static-server.js';

export { chromiumPath, launchChromium };

const inCI = !['', '0', 'false'].includes(process.env.CI ?? '');

/**
 * True when the browser tests are skipped: no Chromium was found and this is not CI. In CI
 * (`CI=true`) a missing Chromium fails the tests instead, so a broken setup cannot pass silently.
 */
export const skipBrowserTests = chromiumPath === undefined && !inCI;

if (skipBrowserTests) {
  console.warn(`Skipping this file's browser tests: no Chromium found (CHROMIUM_PATH, or ${NAMES.join('/')} on PATH); to run them, ${HOW_TO}.`);
}

/** What a browser test page left in `window.result`, and the page errors seen on the way. */
export interface PageResult {
  readonly result: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- whatever the page computed
  readonly errors: readonly string[];
}

/**
 * Registers hooks that start an http server for the repository root (pages load dist/ as an app
 * would) and close it and the browser, and returns how to load a page and read the
 * `window.result` it sets. Chromium starts with the first page, so a missing one (in CI) fails
 * each test with the reason rather than skipping them behind a failed hook. Call it inside a
 * `describe.skipIf(skipBrowserTests)` block, so a skipped suite starts nothing.
 */
export function useBrowser(root: URL): (path: string) => Promise<PageResult> {
  let browser: Promise<Browser> | undefined;
  let base = '';
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const { server, base: url } = await serveStatic(root);
    base = url;
    close = async () => {
      await browser?.then((b) => b.close(), () => {});
      await new Promise((resolve) => server.close(resolve));
    };
  });
  afterAll(() => close());
  return async (path) => {
    browser ??= launchChromium();
    const page = await (await browser).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}${path}`);
    const handle = await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 30_000 });
    const result = (await handle.jsonValue()) as PageResult['result'];
    await page.close();
    return { result, errors };
  };
}
