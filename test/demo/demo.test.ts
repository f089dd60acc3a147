import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type StartedDemo } from '../../demo/start-demo.js';
import { launchChromium, skipBrowserTests } from '../helpers/chromium.js';

// The demo page (demo/), built with Vite and served by Vite's preview server on 127.0.0.1 as
// `npm run demo` serves it, driven in Chromium: every part is used as a visitor would, through
// its labelled controls. Screenshots go to test-results/demo/.
const shots = fileURLToPath(new URL('../../test-results/demo/', import.meta.url));
const outDir = fileURLToPath(new URL('../../test-results/demo/site/', import.meta.url));

describe.skipIf(skipBrowserTests)('the demo page in Chromium', () => {
  let server: StartedDemo | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const errors: string[] = [];
  const data = (selector: string, key: string) => page.$eval(selector, (e, k) => (e as HTMLElement).dataset[k], key);
  const statusOf = (id: string) => page.$eval(`#dag rect[data-task="${id}"]`, (e) => e.getAttribute('data-status'));

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    server = await startDemo({ outDir, minify: false });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => void (m.type() === 'error' && errors.push(`console: ${m.text()}`)));
    page.on('pageerror', (e) => void errors.push(`pageerror: ${e.message}`));
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#run[data-state="idle"]');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads cross-origin isolated, with the WASM kernels and the trace', async () => {
    const response = await fetch(server!.url);
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(new URL(server!.url).hostname).toBe('127.0.0.1');
    expect(await page.title()).toContain('weft');
    expect(await page.textContent('#env-kernels')).toBe('WebAssembly SIMD');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await data('#run', 'tasks')).toBe('103');
    expect(await page.locator('#dag rect').count()).toBe(103);
    expect(errors).toEqual([]);
  });

  it('replays the trace on Web Workers until every task succeeded, one Gantt bar per task', async () => {
    await page.getByLabel('Workers (concurrency)').fill('2');
    await page.getByLabel('Time scale, ms per recorded second').fill('3');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForSelector('#run[data-state="succeeded"]', { timeout: 60_000 });
    expect(await data('#run', 'succeeded')).toBe('103');
    expect(await data('#gantt', 'bars')).toBe('103');
    expect(await page.locator('#dag rect[data-status="succeeded"]').count()).toBe(103);
    expect(await page.textContent('#sum-ratio')).toMatch(/^\d+\.\d\d× the lower bound/);
    expect(Number(await data('#run', 'makespanMs'))).toBeGreaterThan(0);
    await page.screenshot({ path: `${shots}run.png`, fullPage: true });
  });

  it('cancels a run: running tasks are stopped and their workers replaced', async () => {
    await page.getByLabel('Time scale, ms per recorded second').fill('40');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => Number((document.querySelector('#run') as HTMLElement).dataset.running) > 0);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.waitForSelector('#run[data-state="cancelled"]');
    expect(Number(await data('#run', 'cancelled'))).toBeGreaterThan(0);
    expect(Number(await data('#run', 'succeeded'))).toBeLessThan(103);
    await page.waitForFunction(() => /[1-9]\d* terminated and replaced/.test(document.querySelector('#sum-workers')?.textContent ?? ''));
  });

  it('pauses a branch, fails and retries a task meanwhile, then resumes the branch', async () => {
    const branch = 'mProject_ID0000004';
    const other = 'mProject_ID0000001'; // a root, outside the paused branch
    await page.getByLabel('Time scale, ms per recorded second').fill('3');
    await page.locator('#task-select').selectOption(branch);
    await page.getByRole('button', { name: 'Pause branch' }).click();
    await page.locator('#task-select').selectOption(other);
    await page.getByRole('button', { name: 'Inject failure' }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(
      ([b, o]) => document.querySelector(`#dag rect[data-task="${b}"]`)?.getAttribute('data-status') === 'suspended' && document.querySelector(`#dag rect[data-task="${o}"]`)?.getAttribute('data-status') === 'failed',
      [branch, other],
    );
    // The run is still open (the branch waits); what depends on it has not run.
    expect(await data('#run', 'state')).toBe('running');
    expect(await statusOf('mConcatFit_ID0000023')).not.toBe('succeeded');
    await page.getByRole('button', { name: 'Retry task' }).click();
    await page.waitForFunction((o) => document.querySelector(`#dag rect[data-task="${o}"]`)?.getAttribute('data-status') === 'succeeded', other);
    expect(await statusOf(branch)).toBe('suspended');
    await page.screenshot({ path: `${shots}paused.png`, fullPage: true });
    await page.locator('#task-select').selectOption(branch);
    await page.getByRole('button', { name: 'Resume branch' }).click();
    await page.waitForSelector('#run[data-state="succeeded"]', { timeout: 60_000 });
    expect(await data('#run', 'succeeded')).toBe('103');
    expect(await data('#gantt', 'bars')).toBe('104'); // the failed attempt and its retry
  });

  it('runs the agent crew to the writer’s streamed answer, with steps, tool calls and tokens', async () => {
    await page.getByRole('button', { name: 'Run the crew' }).click();
    await page.waitForSelector('#agents[data-state="done"]', { timeout: 30_000 });
    const answer = await page.textContent('#agent-answer');
    expect(answer).toMatch(/^In short: /);
    expect(answer).toContain('semiconductor');
    const log = await page.textContent('#agent-log');
    expect(log).toContain('search("How do solar power cells make electricity?")');
    expect(log).toMatch(/model call: \d+ prompt \+ \d+ completion tokens/);
    expect(await page.textContent('#agents-tokens')).toMatch(/^\d+ tokens in all: planner \d+/);
  });

  it('recalls in the three modes, with scores, and times the exact scan against HNSW', async () => {
    await page.locator('#memory-text').fill('The canary deploy failed because a config key was missing.');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('#memory-count')?.textContent === '9 texts stored');
    for (const mode of ['keyword', 'vector', 'hybrid']) {
      await page.locator('#memory-query').fill('why did the deploy fail');
      await page.locator('#memory-mode').selectOption(mode);
      await page.getByRole('button', { name: 'Recall' }).click();
      await page.waitForFunction((m) => document.querySelector('#recall-time')?.textContent?.endsWith(`(${m})`), mode);
      expect(Number(await data('#memory', 'results'))).toBeGreaterThan(0);
      expect(await page.textContent('#recall-results tbody tr:first-child')).toContain('deploy');
      expect(Number(await page.textContent('#recall-results tbody tr:first-child td.num'))).toBeGreaterThan(0);
    }
    await page.getByRole('button', { name: 'Time exact scan vs HNSW' }).click();
    await page.waitForSelector('#index-result[data-hnsw-ns]', { timeout: 60_000 });
    expect(Number(await data('#index-result', 'exactNs'))).toBeGreaterThan(0);
    expect(Number(await data('#index-result', 'hnswNs'))).toBeGreaterThan(0);
    expect(await page.textContent('#index-result')).toMatch(/HNSW .* recall@10 \d\.\d{3}/);
  });

  it('benchmarks WASM against TS live, both backends measured in every case', async () => {
    await page.getByRole('button', { name: 'Run the benchmark' }).click();
    await page.waitForSelector('#bench[data-state="done"]', { timeout: 60_000 });
    const rows = await page.$$eval('.bench-row', (rs) => rs.map((r) => ({ wasm: Number((r as HTMLElement).dataset.wasmNs), ts: Number((r as HTMLElement).dataset.tsNs), ratio: r.querySelector('.bench-ratio')?.textContent })));
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.wasm).toBeGreaterThan(0);
      expect(r.ts).toBeGreaterThan(0);
      expect(r.ratio).toMatch(/^(WASM|TS) \d+\.\d\d× faster$/);
    }
    await page.screenshot({ path: `${shots}demo.png`, fullPage: true });
  });

  it('logged no console errors and no page errors', () => {
    expect(errors).toEqual([]);
  });
});
