// One run on the viewer's page: its summary, status counts, the Gantt chart (one lane per
// concurrent slot), the task graph, the task table and the event log, redrawn as updates arrive.

import type { RunView } from '../view-types.js';
import { DagView } from './dag-view.js';
import { $, fmtMs, setText } from './dom.js';
import { Gantt, type GanttBar } from './gantt.js';
import { renderEvents, startedText, statusChip, TaskTable } from './tables.js';

// dagre lays out a few thousand nodes in seconds: larger graphs are listed, not drawn.
const DAG_MAX_NODES = 1000;
// Node labels fit small graphs only.
const DAG_LABEL_NODES = 60;

/** The run section of the page. */
export class RunPanel {
  private readonly section = $('#run-view');
  private readonly gantt = new Gantt($<HTMLCanvasElement>('#gantt'), { laneLabel: (lane) => `slot ${lane + 1}` });
  private readonly dag = new DagView($<SVGSVGElement>('#dag'));
  private readonly tasks = new TaskTable($('#tasks tbody'));
  private dagKey = '';
  private view: RunView | undefined;
  private receivedAt = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private runId: string | undefined;

  /** Shows run `runId` (nothing yet: its data comes with the next update), or hides the section. */
  select(runId: string | undefined): void {
    if (runId === this.runId) return;
    this.runId = runId;
    this.view = undefined;
    this.section.hidden = runId === undefined;
    this.section.dataset.runId = runId ?? '';
    this.section.dataset.status = '';
    this.section.dataset.updates = '0';
    setText('#run-title', runId === undefined ? '' : `Run ${runId}`);
    $('#run-problem').hidden = true;
    this.tasks.clear();
    this.dagKey = '';
    this.gantt.reset(1);
    this.gantt.draw(0);
    this.animate(false);
  }

  /** Says why the run cannot be shown (an unknown run, a store that could not be read). */
  problem(message: string): void {
    const p = $('#run-problem');
    p.textContent = message;
    p.hidden = false;
  }

  /** Draws an update of the selected run. */
  render(view: RunView): void {
    if (view.run.runId !== this.runId) return;
    this.view = view;
    this.receivedAt = performance.now();
    const { run } = view;
    $('#run-problem').hidden = true;
    this.section.dataset.status = run.status;
    this.section.dataset.updates = String(Number(this.section.dataset.updates ?? '0') + 1);
    $('#run-status').replaceChildren(statusChip(run.status));
    setText('#run-workflow', run.workflow || '– (recorded without beginRun)');
    setText('#run-started', startedText(run.startedAt));
    setText('#run-tasks', `${run.tasks.toLocaleString('en-US')} recorded`);
    setText('#run-lease', run.leaseOwner ?? 'none');
    $('#legend').replaceChildren(
      ...Object.entries(view.counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, n]) => {
          const chip = statusChip(status);
          chip.textContent = `${status} ${n}`;
          chip.dataset.status = status;
          chip.dataset.count = String(n);
          return chip;
        }),
    );
    this.drawGantt();
    this.drawDag(view);
    this.tasks.render(view.tasks);
    const note = $('#tasks-note');
    note.hidden = view.tasks.length >= run.tasks;
    note.textContent = `Showing the first ${view.tasks.length.toLocaleString('en-US')} of ${run.tasks.toLocaleString('en-US')} tasks.`;
    renderEvents($('#events tbody'), view.events);
    setText('#events-note', view.eventsTotal > view.events.length ? `The last ${view.events.length} of ${view.eventsTotal.toLocaleString('en-US')} events.` : `${view.eventsTotal} events.`);
    this.animate(run.status === 'running');
  }

  private drawGantt(): void {
    const view = this.view;
    if (view === undefined) return;
    const bars: GanttBar[] = view.bars.map((b) => ({ taskId: b.taskId, lane: b.lane, startMs: b.startMs, endMs: b.endMs, status: b.status }));
    this.gantt.reset(view.lanes);
    this.gantt.bars = bars;
    // A running run's open bars (and its duration) grow with the time since the update arrived.
    const live = view.run.status === 'running' ? performance.now() - this.receivedAt : 0;
    this.gantt.draw(view.spanMs + live);
    setText('#run-duration', view.run.status === 'running' ? `${fmtMs(view.spanMs + live)} so far` : fmtMs(view.spanMs));
  }

  private drawDag(view: RunView): void {
    const ids = view.tasks.map((t) => t.id);
    const key = `${ids.join('\u0000')}\u0001${view.edges.map((e) => e.join('\u0000')).join('\u0001')}`;
    if (key !== this.dagKey) {
      this.dagKey = key;
      if (ids.length > DAG_MAX_NODES) {
        $('#dag').replaceChildren();
        setText('#dag-caption', `The task graph is not drawn for more than ${DAG_MAX_NODES.toLocaleString('en-US')} tasks (this run has ${ids.length.toLocaleString('en-US')}).`);
      } else {
        const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
        for (const [from, to] of view.edges) parents.get(to)?.push(from);
        const names = view.tasks.map((t) => (t.agent === undefined ? (t.parent === undefined ? 'task' : `added by ${t.parent}`) : `agent ${t.agent}`));
        this.dag.render(ids, ids.map((id) => parents.get(id)!), names, { labels: ids.length <= DAG_LABEL_NODES });
      }
    }
    for (const t of view.tasks) this.dag.set(t.id, t.status);
  }

  private animate(on: boolean): void {
    if (on && this.timer === undefined) this.timer = setInterval(() => this.drawGantt(), 500);
    if (!on && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
