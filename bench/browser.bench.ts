// The browser (issue 11): the engine's overhead per task in Chromium (a no-op DAG of 10,000
// tasks, as bench/scheduler.bench.ts builds it) beside the same code in Node; a Web Worker round
// trip through the engine (a task that returns its input, one worker, one at a time); and the
// demo's Gantt frame time with 2,000 bars (target <= 16 ms). It builds and serves the demo
// (demo/start-demo.ts), drives Chromium through window.weftBench (demo/bench-hooks.ts), measures
// everything in the first timed call and reports the medians (tinybench's overriddenDuration).
// Without a Chromium it has no cases.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineNsPerTask } from '../demo/bench-hooks.js';
import { startDemo } from '../demo/start-demo.js';
import { initKernels } from '../src/kernels/index.js';
import { chromiumPath, launchChromium } from '../test/helpers/find-chromium.js';
import type { BenchCase, BenchSuite } from './types.js';

const TASKS = 10_000;
const RUNS = 7;
const ECHO_TASKS = 200;
const BARS = 2000;
const FRAMES = 60;

interface Hooks {
  engine(n: number, runs: number): Promise<number>;
  roundTrip(tasks: number, runs: number): Promise<number>;
  gantt(bars: number, frames: number): number;
}

interface Figures {
  chromiumNsPerTask: number;
  nodeNsPerTask: number;
  roundTripUs: number;
  ganttMs: number;
}

async function measureAll(): Promise<Figures> {
  await initKernels();
  const demo = await startDemo({ outDir: join(tmpdir(), 'weft-bench-demo') });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(demo.url);
    await page.waitForSelector('body[data-ready="true"]');
    const hooks = () => (window as unknown as { weftBench: Hooks }).weftBench;
    // Interleaved, so drift hits both alike.
    const chromium: number[] = [];
    const node: number[] = [];
    for (let round = 0; round < 3; round++) {
      chromium.push(await page.evaluate(`(${hooks})().engine(${TASKS}, ${RUNS})`));
      node.push(await engineNsPerTask(TASKS, RUNS));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    return {
      chromiumNsPerTask: median(chromium),
      nodeNsPerTask: median(node),
      roundTripUs: await page.evaluate(`(${hooks})().roundTrip(${ECHO_TASKS}, ${RUNS})`),
      ganttMs: await page.evaluate(`(${hooks})().gantt(${BARS}, ${FRAMES})`),
    };
  } finally {
    await browser.close();
    await demo.close();
  }
}

export default {
  name: 'browser',
  cases(wanted) {
    if (chromiumPath === undefined) {
      console.log('browser: no Chromium found (CHROMIUM_PATH, or chromium on PATH): no cases');
      return [];
    }
    let figures: Promise<Figures> | undefined;
    const timed = (pick: (f: Figures) => number) => async () => ({ overriddenDuration: pick(await (figures ??= measureAll())) });
    const cases: BenchCase[] = [
      {
        name: `engine no-op dag nodes=${TASKS}`,
        minSamples: 1,
        timeMs: 1,
        variants: { chromium: timed((f) => f.chromiumNsPerTask / 1e6), node: timed((f) => f.nodeNsPerTask / 1e6) },
      },
      { name: `web-worker round-trip tasks=${ECHO_TASKS}`, minSamples: 1, timeMs: 1, variants: { chromium: timed((f) => f.roundTripUs / 1000) } },
      { name: `gantt frame bars=${BARS}`, minSamples: 1, timeMs: 1, metrics: { chromium: { targetMs: 16 } }, variants: { chromium: timed((f) => f.ganttMs) } },
    ];
    return cases.filter((c) => wanted(c.name));
  },
} satisfies BenchSuite;
