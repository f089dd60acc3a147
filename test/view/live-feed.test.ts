import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, serveViewer, type Viewer } from '../../src/index.js';
import { launchChromium, skipBrowserTests } from '../helpers/chromium.js';
import { tempDir } from '../helpers/temp-dir.js';
import { watchedPage } from '../helpers/watched-page.js';

// The viewer following a run that another process writes (test/view/fixtures/live-run.mjs, on
// dist/): the page is opened on an empty store, the run appears in it, and its tasks move from
// running to succeeded as the test releases them, all without a reload. Each step waits for the
// page to show a state (Playwright polls the DOM); nothing sleeps.
const CHILD = fileURLToPath(new URL('./fixtures/live-run.mjs', import.meta.url));
const shots = fileURLToPath(new URL('../../test-results/view/', import.meta.url));

describe.skipIf(skipBrowserTests)('weft view, live', () => {
  const tmp = tempDir('weft-view-live-');
  const db = tmp.file('live.db');
  let child: ChildProcess | undefined;
  let viewer: Viewer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[] = [];
  const messages: Record<string, unknown>[] = [];
  const waiters: { test: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];

  /** The first message from the child that passes `test` (already received or still to come). */
  function fromChild(test: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const seen = messages.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ test, resolve }));
  }
  const taskRow = (id: string, status: string) => page.waitForSelector(`#tasks tr[data-task="${id}"][data-status="${status}"]`);

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    child = fork(CHILD, [db], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: Record<string, unknown>) => {
      messages.push(m);
      for (const w of waiters.splice(0)) (w.test(m) ? w.resolve(m) : waiters.push(w));
    });
    await fromChild((m) => m.opened !== undefined);
    viewer = await serveViewer({ path: db, pollMs: 50 });
    browser = await launchChromium();
    ({ page, errors } = await watchedPage(browser));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
    if (child !== undefined && child.exitCode === null) child.kill();
    tmp.remove();
  });

  it('shows an empty store, then the run another process begins, its tasks running then succeeded, without a reload', async () => {
    await page.goto(viewer!.url);
    await page.waitForSelector('body[data-ready="true"][data-live="open"]');
    expect(await page.isVisible('#runs-empty')).toBe(true);
    await page.evaluate(() => ((window as unknown as { loadedOnce: number }).loadedOnce = 1));

    child!.send({ go: 'digest-1' });
    // The run appears in the list and, being the newest, is shown.
    await page.waitForSelector('#runs tr[data-run="digest-1"]');
    await page.waitForSelector('#run-view[data-run-id="digest-1"][data-status="running"]');
    await fromChild((m) => m.started === 'fetch-1');
    await fromChild((m) => m.started === 'fetch-2');
    await taskRow('fetch-1', 'running');
    await taskRow('fetch-2', 'running');
    // Concurrency 2: fetch-3 waits (recorded as added, not started).
    expect(await page.getAttribute('#tasks tr[data-task="fetch-3"]', 'data-status')).toBe('pending');
    expect(await page.textContent('#run-lease')).toMatch(/:\d+:/); // host:pid:instance of the writer
    expect(await page.getAttribute('#dag rect[data-task="fetch-1"]', 'data-status')).toBe('running');

    child!.send({ release: 'fetch-1' });
    await taskRow('fetch-1', 'succeeded');
    await page.waitForSelector('#dag rect[data-task="fetch-1"][data-status="succeeded"]');
    // Concurrency 2: fetch-3 takes the slot fetch-1 left.
    await fromChild((m) => m.started === 'fetch-3');
    await taskRow('fetch-3', 'running');
    expect(await page.getAttribute('#tasks tr[data-task="fetch-2"]', 'data-status')).toBe('running');
    await page.screenshot({ path: `${shots}live-running.png`, fullPage: true });

    for (const id of ['fetch-2', 'fetch-3']) child!.send({ release: id });
    await fromChild((m) => m.started === 'summarize');
    await taskRow('summarize', 'running');
    child!.send({ release: 'summarize' });
    expect((await fromChild((m) => m.done !== undefined)).done).toBe('succeeded');
    await page.waitForSelector('#run-view[data-status="succeeded"]');
    await taskRow('summarize', 'succeeded');
    expect(await page.locator('#tasks tr[data-status="succeeded"]').count()).toBe(5);
    expect(await page.getAttribute('#gantt', 'data-bars')).toBe('5');
    expect(await page.textContent('#tasks tr[data-task="summarize"] td.output')).toBe('three pages, one summary');
    expect(await page.textContent('#run-lease')).toBe('none');
    // The same document all along, updated many times.
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: number }).loadedOnce)).toBe(1);
    expect(Number(await page.getAttribute('#run-view', 'data-updates'))).toBeGreaterThan(3);
    await page.screenshot({ path: `${shots}live-done.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});

describe('the live feed (server-sent events, no browser)', () => {
  it('sends the runs and the run at once, then each change another connection commits, as it lands', async () => {
    const tmp = tempDir('weft-view-sse-');
    const db = tmp.file('runs.db');
    const writer = openStore({ path: db });
    writer.beginRun('r', { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined });
    const t0 = Date.now();
    writer.record([{ type: 'run:start', time: t0, runId: 'r' }]);
    const viewer = await serveViewer({ path: db, pollMs: 20 });
    const controller = new AbortController();
    try {
      const res = await fetch(new URL('/api/events?run=r', viewer.url), { signal: controller.signal });
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      /** The data of the next frame of type `event` (frames of other types are passed over). */
      const next = async (event: string): Promise<any> => {
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const m = /^event: (\S+)\ndata: (.*)$/s.exec(frame);
            if (m !== null && m[1] === event) return JSON.parse(m[2]);
            continue;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('the stream ended');
          buffer += value;
        }
      };
      expect((await next('runs')).runs.map((r: { runId: string }) => r.runId)).toEqual(['r']);
      expect((await next('run')).tasks).toEqual([]);
      writer.record([{ type: 'task:start', time: t0 + 1, runId: 'r', taskId: 'a', attempt: 1 }]);
      let view = await next('run');
      expect(view.tasks.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([['a', 'running']]);
      // Times are from the run's row (when beginRun recorded it), a moment before t0.
      expect(view.bars).toEqual([{ taskId: 'a', attempt: 1, lane: 0, startMs: view.tasks[0].startMs, status: 'running' }]);
      writer.record([{ type: 'task:succeeded', time: t0 + 3, runId: 'r', taskId: 'a', attempt: 1, output: '<b>done</b>' }]);
      view = await next('run');
      expect(view.tasks).toEqual([{ id: 'a', status: 'succeeded', attempts: 1, startMs: expect.any(Number), endMs: expect.any(Number), output: '<b>done</b>' }]);
      expect(view.tasks[0].endMs - view.tasks[0].startMs).toBeCloseTo(2, 3);
      expect(view.bars[0]).toMatchObject({ status: 'succeeded', endMs: view.tasks[0].endMs });
      writer.record([{ type: 'run:end', time: t0 + 4, runId: 'r', status: 'succeeded' }]);
      // run:end changes the run's row: the list is sent again too.
      expect((await next('runs')).runs[0].status).toBe('succeeded');
    } finally {
      controller.abort();
      await viewer.close();
      writer.close();
      tmp.remove();
    }
  });
});
