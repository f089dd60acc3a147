// The viewer's page: a static HTML document (no data in it: the script fetches everything and
// sets it as text), its script and styles (built by `npm run build:view` into dist/view-page/,
// esbuild bundling src/view/page/), and an icon. Read once when the server starts.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ViewerNotBuiltError } from '../errors.js';

// Where the built page is, from this module: dist/view-page/ from src/view/ or dist/view/ (both two
// levels below the package root), or beside the bundle's chunks in dist/ (esbuild defines this).
declare const __WEFT_VIEW_PAGE_FROM_BUNDLE__: string | undefined;

/** One file the server sends. */
export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>weft view</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/viewer.css">
<script type="module" src="/viewer.js"></script>
</head>
<body data-ready="false">
<header>
  <h1>weft <span>view</span></h1>
  <p id="store-path" class="path"></p>
  <p id="live" class="live" aria-live="polite">connecting…</p>
</header>
<main>
  <section class="card" id="runs-card" aria-labelledby="runs-title">
    <h2 id="runs-title">Runs</h2>
    <table id="runs">
      <thead><tr><th scope="col">Run</th><th scope="col">Workflow</th><th scope="col">Status</th><th scope="col" class="num">Tasks</th><th scope="col">Started</th><th scope="col" class="num">Duration</th></tr></thead>
      <tbody></tbody>
    </table>
    <p id="runs-empty" class="muted" hidden>No runs recorded in this store yet: the list updates when one begins.</p>
  </section>
  <section class="card" id="run-view" hidden aria-labelledby="run-title">
    <h2 id="run-title"></h2>
    <p id="run-problem" class="problem" role="alert" hidden></p>
    <dl class="summary">
      <div><dt>Status</dt><dd id="run-status"></dd></div>
      <div><dt>Workflow</dt><dd id="run-workflow"></dd></div>
      <div><dt>Started</dt><dd id="run-started"></dd></div>
      <div><dt>Duration</dt><dd id="run-duration"></dd></div>
      <div><dt>Tasks</dt><dd id="run-tasks"></dd></div>
      <div><dt>Lease</dt><dd id="run-lease"></dd></div>
    </dl>
    <div class="legend" id="legend" aria-label="Task status counts"></div>
    <figure>
      <figcaption>Gantt chart: one bar per attempt, one lane per concurrent slot, coloured by how the attempt ended</figcaption>
      <canvas id="gantt" role="img" aria-label="Gantt chart of the run's attempts" data-bars="0"></canvas>
    </figure>
    <figure class="dag-fig">
      <figcaption id="dag-caption">The task graph, laid out by dagre: defined and added dependencies, and who added a task</figcaption>
      <svg id="dag" role="img" aria-label="The run's task graph"></svg>
    </figure>
    <h3>Tasks</h3>
    <p id="tasks-note" class="muted" hidden></p>
    <div class="scroll">
      <table id="tasks">
        <thead><tr><th scope="col">Task</th><th scope="col">Status</th><th scope="col" class="num">Attempts</th><th scope="col">Agent</th><th scope="col">Added by</th><th scope="col" class="num">Start</th><th scope="col" class="num">Duration</th><th scope="col">Error</th><th scope="col">Output</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <h3>Event log</h3>
    <p id="events-note" class="muted"></p>
    <div class="scroll">
      <table id="events">
        <thead><tr><th scope="col" class="num">#</th><th scope="col" class="num">Time</th><th scope="col">Event</th><th scope="col">Task</th><th scope="col" class="num">Attempt</th><th scope="col">Detail</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
  </section>
</main>
</body>
</html>
`;

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#17202e"/><rect x="3" y="4" width="6" height="3" fill="#1f9d55"/><rect x="6" y="9" width="7" height="3" fill="#2f6fde"/></svg>`;

function pageDir(): URL {
  return new URL(typeof __WEFT_VIEW_PAGE_FROM_BUNDLE__ === 'string' ? __WEFT_VIEW_PAGE_FROM_BUNDLE__ : '../../dist/view-page/', import.meta.url);
}

/**
 * The page's files by URL path.
 * @throws ViewerNotBuiltError when the built script or styles are missing.
 */
export function loadAssets(): ReadonlyMap<string, Asset> {
  const dir = pageDir();
  const built = (name: string): Buffer => {
    const file = new URL(name, dir);
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ViewerNotBuiltError(fileURLToPath(file), { cause: error });
    }
  };
  const html: Asset = { type: 'text/html; charset=utf-8', body: Buffer.from(HTML) };
  return new Map([
    ['/', html],
    ['/index.html', html],
    ['/viewer.js', { type: 'text/javascript; charset=utf-8', body: built('viewer.js') }],
    ['/viewer.css', { type: 'text/css; charset=utf-8', body: built('viewer.css') }],
    ['/favicon.svg', { type: 'image/svg+xml', body: Buffer.from(ICON) }],
  ]);
}
