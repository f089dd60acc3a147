// The viewer's tables: runs, tasks, events. Every cell is set with textContent (outputs, errors
// and event fields are model-written and untrusted); rows are kept by key and refilled only when
// their data changed, so a live update of a large run touches the rows that moved.

import type { RunSummary } from '../../store/query-types.js';
import type { EventView, TaskView } from '../view-types.js';
import { el, fmtMs } from './dom.js';

const KNOWN = new Set(['pending', 'ready', 'running', 'retrying', 'suspended', 'succeeded', 'failed', 'skipped', 'cancelled', 'interrupted']);

/** A status as a labelled chip (its colour from drawing.css when the status is one weft has). */
export function statusChip(status: string): HTMLElement {
  const chip = el('span', status, { class: 'status' });
  if (KNOWN.has(status)) chip.classList.add(`s-${status}`);
  return chip;
}

/** When a run started, in the viewer's local time. */
export const startedText = (epochMs: number) => new Date(epochMs).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

const cell = (text: string, cls?: string) => el('td', text, cls === undefined ? {} : { class: cls });

function textCell(text: string | undefined): HTMLElement {
  const td = el('td');
  if (text !== undefined && text !== '') td.append(el('pre', text));
  return td;
}

/** A link to run `runId` (a fragment: the id is URI-encoded, never markup). */
export function runLink(runId: string): HTMLAnchorElement {
  const a = el('a', runId) as HTMLAnchorElement;
  a.href = `#run=${encodeURIComponent(runId)}`;
  return a;
}

/** The runs list. */
export function renderRuns(tbody: HTMLElement, runs: readonly RunSummary[], selected: string | undefined, now: number): void {
  tbody.replaceChildren(
    ...runs.map((r) => {
      const tr = el('tr', '', { 'data-run': r.runId, 'data-status': r.status });
      if (r.runId === selected) tr.setAttribute('aria-current', 'true');
      const first = el('td');
      first.append(runLink(r.runId));
      const status = el('td');
      status.append(statusChip(r.status));
      const span = (r.endedAt ?? now) - r.startedAt;
      tr.append(first, cell(r.workflow || '–'), status, cell(String(r.tasks), 'num'), cell(startedText(r.startedAt)), cell(r.endedAt !== undefined ? fmtMs(span) : r.status === 'running' ? `${fmtMs(span)} so far` : '–', 'num'));
      return tr;
    }),
  );
}

interface Row {
  readonly tr: HTMLTableRowElement;
  key: string;
}

/** The task table, keyed by task id. */
export class TaskTable {
  private rows = new Map<string, Row>();
  private order = '';

  constructor(private readonly tbody: HTMLElement) {}

  /** Shows `tasks` (in their order), refilling only the rows whose task changed. */
  render(tasks: readonly TaskView[]): void {
    const next = new Map<string, Row>();
    for (const t of tasks) {
      const key = JSON.stringify(t);
      let row = this.rows.get(t.id);
      if (row === undefined) row = { tr: document.createElement('tr'), key: '' };
      if (row.key !== key) {
        fillTask(row.tr, t);
        row.key = key;
      }
      next.set(t.id, row);
    }
    this.rows = next;
    const order = tasks.map((t) => t.id).join('\u0000');
    if (order !== this.order) {
      this.tbody.replaceChildren(...[...next.values()].map((r) => r.tr));
      this.order = order;
    }
  }

  /** Forgets every row (another run is shown). */
  clear(): void {
    this.rows.clear();
    this.order = '';
    this.tbody.replaceChildren();
  }
}

function fillTask(tr: HTMLTableRowElement, t: TaskView): void {
  tr.dataset.task = t.id;
  tr.dataset.status = t.status;
  const status = el('td');
  status.append(statusChip(t.status));
  if (t.suspended !== undefined) status.append(el('div', t.suspended, { class: 'muted' }));
  const duration = t.startMs !== undefined && t.endMs !== undefined ? fmtMs(t.endMs - t.startMs) : '';
  const error = textCell(t.error);
  error.classList.add('error');
  const output = textCell(t.output);
  output.classList.add('output');
  tr.replaceChildren(
    cell(t.id, 'id'),
    status,
    cell(String(t.attempts), 'num'),
    cell(t.agent ?? ''),
    cell(t.parent ?? ''),
    cell(t.startMs === undefined ? '' : fmtMs(t.startMs), 'num'),
    cell(duration, 'num'),
    error,
    output,
  );
}

/** The event log (the last events the server sent). */
export function renderEvents(tbody: HTMLElement, events: readonly EventView[]): void {
  tbody.replaceChildren(
    ...events.map((e) => {
      const tr = el('tr', '', { 'data-type': e.type });
      tr.append(cell(String(e.seq + 1), 'num'), cell(fmtMs(e.timeMs), 'num'), cell(e.type), cell(e.taskId ?? ''), cell(e.attempt === undefined ? '' : String(e.attempt), 'num'), textCell(e.detail));
      return tr;
    }),
  );
}
