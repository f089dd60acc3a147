import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { serveStatic } from './static-server.js';

// Debian's Chromium (installed by .ci/run), with the flags this machine's closed network needs.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A headless Chromium and an http server for the repository root (pages load dist/ as an app would). */
export interface BrowserHarness {
  readonly browser: Browser;
  /** `http://127.0.0.1:PORT` serving the repository root. */
  readonly base: string;
  close(): Promise<void>;
}

/** Starts the server and the browser. */
export async function startBrowser(root: URL): Promise<BrowserHarness> {
  const { server, base }: { server: Server; base: string } = await serveStatic(root);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  return {
    browser,
    base,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
