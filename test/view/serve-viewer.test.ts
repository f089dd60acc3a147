import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWeftError, openStore, serveViewer, VIEWER_HEADERS, workflow, type Viewer } from '../../src/index.js';
import { launchChromium, skipBrowserTests } from '../helpers/chromium.js';
import { tempDir } from '../helpers/temp-dir.js';
import { watchedPage } from '../helpers/watched-page.js';

// The viewer over real store files written by real runs, its page driven in Chromium. Payloads
// that would run if any value became markup are stored in outputs, errors, event fields, a task
// id, the workflow's name and the run id; the page must show them as text and run none of them.
const shots = fileURLToPath(new URL('../../test-results/view/', import.meta.url));
const tmp = tempDir('weft-view-');
const db = tmp.file('runs.db');

const XSS = {
  img: `<img src=x onerror="window.__xss='img'">`,
  script: `<script>window.__xss='script'</script>`,
  error: `<img src=x onerror="window.__xss='error'"> the model refused`,
  cause: `<script>window.__xss='cause'</script>`,
  beat: `<img src=x onerror="window.__xss='heartbeat'">`,
  stream: `<svg onload="window.__xss='stream'">`,
  id: `<img src=x onerror="window.__xss='id'">`,
  workflow: `<script>window.__xss='workflow'</script>`,
  run: `<img src=x onerror="window.__xss='run'">`,
};

/** A finished run: plan adds three researchers (the second fails once, then succeeds) and a writer; a check defined after plan fails. */
async function recordReport(): Promise<void> {
  const store = openStore({ path: db });
  const wf = workflow({ name: 'report', store, concurrency: 2 });
  let tries = 0;
  wf.task({
    id: 'plan',
    run: async (_input, ctx) => {
      for (let k = 1; k <= 3; k++) {
        await ctx.addTask({
          id: `research-${k}`,
          dependsOn: ['plan'],
          retry: { maxAttempts: 2, initialDelayMs: 1, retryOn: () => true },
          run: () => {
            if (k === 2 && tries++ === 0) throw new Error('search timed out');
            return { topic: k, notes: [`finding ${k}`] };
          },
        });
      }
      await ctx.addTask({ id: 'write', dependsOn: ['research-1', 'research-2', 'research-3'], run: () => 'the report' });
      return ['research-1', 'research-2', 'research-3'];
    },
  });
  wf.task({ id: 'check', dependsOn: ['plan'], retry: { maxAttempts: 1 }, run: () => Promise.reject(Object.assign(new Error('lint failed'), { code: 'LINT' })) });
  const result = await wf.run({ runId: 'report-1' });
  expect(result.status).toBe('failed');
  store.close();
}

/** A run whose values are all markup. */
async function recordHostile(): Promise<void> {
  const store = openStore({ path: db });
  const wf = workflow({ name: XSS.workflow, store });
  wf.task({ id: 'img', run: () => XSS.img });
  wf.task({ id: 'script', run: () => ({ html: XSS.script }) });
  wf.task({
    id: 'boom',
    retry: { maxAttempts: 1 },
    run: () => {
      throw new Error(XSS.error, { cause: new Error(XSS.cause) });
    },
  });
  wf.task({
    id: 'beat',
    run: (_input, ctx) => {
      ctx.heartbeat(XSS.beat);
      ctx.stream(XSS.stream);
      return 'ok';
    },
  });
  wf.task({ id: XSS.id, run: () => 'an id of markup' });
  await wf.run({ runId: XSS.run });
  store.close();
}

const fingerprint = (file: string) => ({ sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), mtimeMs: statSync(file).mtimeMs });

/** One raw HTTP request (fetch cannot send another Host header). */
function raw(url: string, method: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let viewer: Viewer;
let before: ReturnType<typeof fingerprint>;

beforeAll(async () => {
  await recordReport();
  await recordHostile();
  before = fingerprint(db);
  viewer = await serveViewer({ path: db, pollMs: 50 });
});

afterAll(async () => {
  await viewer?.close();
  tmp.remove();
});

describe('serveViewer over HTTP', () => {
  it('binds 127.0.0.1 on a free port and sends a strict Content-Security-Policy', async () => {
    const url = new URL(viewer.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    const res = await fetch(viewer.url);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(VIEWER_HEADERS['Content-Security-Policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    // The document carries no data: no run id, no output.
    const html = await res.text();
    expect(html).not.toContain('report-1');
    expect(html).not.toMatch(/<script>|style=|\son[a-z]+=/);
  });

  it('answers JSON for the runs and one run, and 404 for a run the store does not hold', async () => {
    const runs = (await (await fetch(new URL('/api/runs', viewer.url))).json()) as { path: string; runs: { runId: string }[] };
    expect(runs.path).toBe(db);
    expect(runs.runs.map((r) => r.runId)).toEqual([XSS.run, 'report-1']);
    const one = (await (await fetch(new URL('/api/runs/report-1', viewer.url))).json()) as { tasks: unknown[]; bars: unknown[] };
    expect(one.tasks).toHaveLength(6);
    expect(one.bars).toHaveLength(7);
    const missing = await fetch(new URL('/api/runs/nope', viewer.url));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('RUN_NOT_FOUND');
  });

  it('is read-only: refuses every method but GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await raw(new URL('/api/runs/report-1', viewer.url).href, method);
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
    expect(fingerprint(db)).toEqual(before);
  });

  it('refuses a request whose Host is not its own (DNS rebinding)', async () => {
    const res = await raw(new URL('/api/runs', viewer.url).href, 'GET', { Host: 'attacker.example:80' });
    expect(res.status).toBe(403);
    expect((await raw(new URL('/api/runs', viewer.url).href, 'GET', { Host: `localhost:${new URL(viewer.url).port}` })).status).toBe(200);
  });

  it('bound to every address (--host 0.0.0.0), prints a loopback URL and takes any Host', async () => {
    const wide = await serveViewer({ path: db, host: '0.0.0.0' });
    try {
      expect(new URL(wide.url).hostname).toBe('127.0.0.1');
      expect((await raw(new URL('/api/runs', wide.url).href, 'GET', { Host: 'weft-box.lan:1234' })).status).toBe(200);
    } finally {
      await wide.close();
    }
  });

  it('names the path of a missing file, a directory, a text file and another program’s database', async () => {
    const cases: [string, string, RegExp][] = [
      [tmp.file('missing.db'), 'STORE_MISSING', /no such file/],
      [tmp.dir, 'STORE_MISSING', /not a file/],
      [tmp.file('notes.txt'), 'STORE_CORRUPT', /not a usable SQLite database/],
      [tmp.file('other.db'), 'STORE_FOREIGN', /tables: notes/],
    ];
    writeFileSync(tmp.file('notes.txt'), 'these are not the runs you are looking for\n'.repeat(200));
    const other = new Database(tmp.file('other.db'));
    other.exec('CREATE TABLE notes (text TEXT)');
    other.close();
    for (const [path, code, why] of cases) {
      const error = await serveViewer({ path }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isWeftError(error, code as never), `${path}: ${String(error)}`).toBe(true);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(why);
    }
  });

  it('validates its options like every weft option', async () => {
    await expect(serveViewer({ path: db, port: 70000 })).rejects.toThrow(/Expected `port` to be an integer in \[0, 65535\], got `70000`/);
    await expect(serveViewer({ path: '' })).rejects.toThrow(TypeError);
    await expect(serveViewer({ path: db, signal: AbortSignal.abort(new Error('stop')) })).rejects.toThrow('stop');
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const v = await serveViewer({ path: db, signal: controller.signal });
    expect((await fetch(new URL('/api/runs', v.url))).status).toBe(200);
    controller.abort();
    await v.close(); // the same closing, awaited
    await expect(fetch(new URL('/api/runs', v.url))).rejects.toThrow();
  });
});

describe.skipIf(skipBrowserTests)('the viewer page in Chromium', () => {
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    browser = await launchChromium();
    ({ page, errors } = await watchedPage(browser));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('lists the runs and shows a finished run: tasks, statuses, attempts, errors, outputs, one Gantt bar per attempt', async () => {
    await page.goto(viewer.url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#runs tr[data-run="report-1"]');
    expect(await page.locator('#runs tbody tr').count()).toBe(2);
    expect(await page.textContent('#store-path')).toBe(db);
    await page.getByRole('link', { name: 'report-1' }).click();
    await page.waitForSelector('#run-view[data-run-id="report-1"][data-status="failed"]');
    await page.waitForSelector('#tasks tr[data-task="write"]');
    const statuses = await page.$$eval('#tasks tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-task'), r.getAttribute('data-status')]));
    expect(statuses).toEqual([
      ['check', 'failed'],
      ['plan', 'succeeded'],
      ['research-1', 'succeeded'],
      ['research-2', 'succeeded'],
      ['research-3', 'succeeded'],
      ['write', 'succeeded'],
    ]);
    const cells = (id: string) => page.$$eval(`#tasks tr[data-task="${id}"] td`, (tds) => tds.map((td) => td.textContent));
    expect((await cells('research-2'))[2]).toBe('2'); // attempts
    expect((await cells('research-2'))[4]).toBe('plan'); // added by
    expect(await page.textContent('#tasks tr[data-task="check"] td.error')).toBe('LINT: lint failed');
    expect(await page.textContent('#tasks tr[data-task="write"] td.output')).toBe('the report');
    expect(await page.textContent('#tasks tr[data-task="research-1"] td.output')).toBe("{ topic: 1, notes: [ 'finding 1' ] }");
    // Six tasks, seven attempts (research-2 ran twice): one bar each, in two lanes (concurrency 2).
    expect(await page.getAttribute('#gantt', 'data-bars')).toBe('7');
    expect(await page.locator('#dag rect').count()).toBe(6);
    expect(await page.locator('#dag rect[data-status="succeeded"]').count()).toBe(5);
    expect(await page.getAttribute('#dag rect[data-task="check"]', 'data-status')).toBe('failed');
    expect(await page.locator('#dag .edges path').count()).toBe(7); // plan → check (defined), plan → research-N, research-N → write (added)
    expect(await page.getAttribute('#legend [data-status="succeeded"]', 'data-count')).toBe('5');
    expect(await page.textContent('#events tbody')).toContain('search timed out'); // the retry's error, in the log
    expect(await page.locator('#events tbody tr[data-type="task:retry"]').count()).toBe(1);
    await page.screenshot({ path: `${shots}run.png`, fullPage: true });
  });

  it('shows one Gantt bar per task for a run without retries', async () => {
    await page.goto(`${viewer.url}#run=${encodeURIComponent(XSS.run)}`);
    await page.waitForSelector('#run-view[data-status="failed"]');
    expect(await page.getAttribute('#gantt', 'data-bars')).toBe('5');
    expect(await page.locator('#tasks tbody tr').count()).toBe(5);
  });

  it('renders markup in outputs, errors, events, ids and names as text, and runs none of it', async () => {
    await page.goto(`${viewer.url}#run=${encodeURIComponent(XSS.run)}`);
    await page.waitForSelector('#run-view[data-status="failed"]');
    await page.waitForSelector('#events tbody tr[data-type="task:heartbeat"]');
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
    // Not one element was made from the data: no img, script or svg besides the DAG's own.
    expect(await page.locator('main img, main script, #tasks svg, #events svg, #runs svg').count()).toBe(0);
    expect(await page.textContent('#tasks tr[data-task="img"] td.output')).toBe(XSS.img);
    expect(await page.textContent('#tasks tr[data-task="script"] td.output')).toBe(`{ html: "${XSS.script}" }`);
    expect(await page.textContent('#tasks tr[data-task="boom"] td.error')).toBe(`Error: ${XSS.error}\ncaused by Error: ${XSS.cause}`);
    expect(await page.textContent(`#tasks tbody tr:nth-child(1) td.id`)).toBe(XSS.id); // ids sort before letters
    expect(await page.textContent('#dag')).toContain(XSS.id.slice(0, 10));
    const log = await page.textContent('#events tbody');
    expect(log).toContain(`progress: ${XSS.beat}`);
    expect(log).toContain(`delta: ${XSS.stream}`);
    expect(await page.textContent('#run-workflow')).toBe(XSS.workflow);
    expect(await page.textContent('#run-title')).toBe(`Run ${XSS.run}`);
    expect(await page.textContent(`#runs tr[data-status="failed"] a`)).toBeTruthy();
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
    await page.screenshot({ path: `${shots}hostile.png`, fullPage: true });
  });

  it('says so when the run in the URL is not in the store', async () => {
    await page.goto(`${viewer.url}#run=no-such-run`);
    await page.waitForSelector('#run-problem:not([hidden])');
    expect(await page.textContent('#run-problem')).toContain('no-such-run');
  });

  it('left the store file as it was, and logged no console errors', () => {
    expect(fingerprint(db)).toEqual(before);
    expect(errors).toEqual([]);
  });
});
