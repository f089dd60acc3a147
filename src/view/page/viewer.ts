// The `weft view` page's script (bundled by esbuild into dist/view-page/viewer.js). It follows
// the server's event stream: the runs list, and the run named in the URL's fragment (`#run=ID`;
// with none, the newest run). Everything from the server is set as text.

import type { RunsView, RunView } from '../view-types.js';
import { $, setText } from './dom.js';
import { RunPanel } from './run-panel.js';
import { renderRuns } from './tables.js';

const panel = new RunPanel();
const runsBody = $('#runs tbody');
let source: EventSource | undefined;
let listed: RunsView | undefined;

function selected(): string | undefined {
  const m = /^#run=(.+)$/.exec(location.hash);
  if (m === null) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

function live(text: string, state: string): void {
  setText('#live', text);
  document.body.dataset.live = state;
}

function showRuns(view: RunsView): void {
  listed = view;
  setText('#store-path', view.path);
  renderRuns(runsBody, view.runs, selected(), Date.now());
  $('#runs-empty').hidden = view.runs.length > 0;
  // Opened without a run: show the newest, without adding a history entry.
  if (selected() === undefined && view.runs.length > 0) {
    history.replaceState(null, '', `#run=${encodeURIComponent(view.runs[0].runId)}`);
    connect();
  }
}

function connect(): void {
  source?.close();
  const runId = selected();
  panel.select(runId);
  if (listed !== undefined) renderRuns(runsBody, listed.runs, runId, Date.now());
  source = new EventSource(runId === undefined ? '/api/events' : `/api/events?run=${encodeURIComponent(runId)}`);
  source.addEventListener('runs', (e) => {
    showRuns(JSON.parse((e as MessageEvent<string>).data) as RunsView);
    live(`live · updated ${new Date().toLocaleTimeString('en-GB')}`, 'open');
  });
  source.addEventListener('run', (e) => {
    panel.render(JSON.parse((e as MessageEvent<string>).data) as RunView);
    live(`live · updated ${new Date().toLocaleTimeString('en-GB')}`, 'open');
  });
  source.addEventListener('problem', (e) => {
    const p = JSON.parse((e as MessageEvent<string>).data) as { runId?: string; message: string };
    if (p.runId === undefined) live(`cannot read the store: ${p.message}`, 'problem');
    else panel.problem(p.message);
  });
  source.addEventListener('open', () => live('live', 'open'));
  source.addEventListener('error', () => live('disconnected from weft view: reconnecting…', 'closed'));
}

// Running runs' durations in the list tick on between updates.
setInterval(() => {
  if (listed?.runs.some((r) => r.status === 'running')) renderRuns(runsBody, listed.runs, selected(), Date.now());
}, 1000);
addEventListener('hashchange', connect);
connect();
document.body.dataset.ready = 'true';
