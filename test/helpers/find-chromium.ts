// Which Chromium the browser tests (and bench/browser.bench.ts) drive, and how it is launched.
// Free of vitest, so the benchmarks can use it too; test/helpers/chromium.ts adds the skip rule.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

// The flags this machine's closed network needs (no update checks, no sync, no GPU in containers).
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The executables looked for on PATH. */
export const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];
/** How to get a Chromium, for messages. */
export const HOW_TO = 'install it (`apt-get install chromium`) or set CHROMIUM_PATH to its executable';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      if (isExecutable(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

/**
 * Which Chromium the browser tests drive: `CHROMIUM_PATH` when set (an explicit choice, so a wrong
 * path fails the tests rather than falling back), else the first of {@link NAMES} on PATH.
 */
export const chromiumPath: string | undefined = process.env.CHROMIUM_PATH || onPath();

/** Launches the Chromium the browser tests use (throws with how to get one when there is none). */
export async function launchChromium(): Promise<Browser> {
  if (chromiumPath === undefined) {
    throw new Error(`CI is set but no Chromium was found (CHROMIUM_PATH, or ${NAMES.join('/')} on PATH): the browser tests must run in CI; ${HOW_TO}.`);
  }
  if (!isExecutable(chromiumPath)) {
    throw new Error(`CHROMIUM_PATH is \`${chromiumPath}\`, which is not an executable file; ${HOW_TO}.`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: ARGS });
}
