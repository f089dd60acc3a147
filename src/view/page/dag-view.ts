// The workflow's DAG as SVG, laid out by dagre (layered, top to bottom), nodes coloured by status
// (drawing.css, by `data-status`): the demo's and `weft view`'s. Task ids are set with textContent
// and attributes only: nothing from a trace or a store becomes markup.

import { Graph, layout } from '@dagrejs/dagre';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_W = 18;
const NODE_H = 18;
const LABEL_H = 22;
const LABEL_CHARS = 24;

/** Options of {@link DagView.render}. */
export interface DagRenderOptions {
  /** Write each task's id in its node (wider nodes; for small graphs). @default false */
  readonly labels?: boolean;
}

const clip = (text: string) => (text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text);

/** Draws a DAG once and recolours its nodes as their tasks change status. */
export class DagView {
  private readonly nodes = new Map<string, SVGRectElement>();

  constructor(private readonly svg: SVGSVGElement) {}

  /** Lays out `ids` with edges `parents[i] → ids[i]` and draws them; `names` label the nodes' tooltips. */
  render(ids: readonly string[], parents: readonly (readonly string[])[], names: readonly string[], options: DagRenderOptions = {}): void {
    const labels = options.labels === true;
    // Monospace-ish estimate of a label's width: dagre needs node sizes before anything is drawn.
    const widthOf = (id: string) => (labels ? Math.max(NODE_W, clip(id).length * 6.6 + 14) : NODE_W);
    const h = labels ? LABEL_H : NODE_H;
    const g = new Graph();
    g.setGraph({ rankdir: 'TB', nodesep: labels ? 14 : 6, ranksep: 34, marginx: 8, marginy: 8 });
    g.setDefaultEdgeLabel(() => ({}));
    ids.forEach((id) => g.setNode(id, { width: widthOf(id), height: h }));
    ids.forEach((id, i) => parents[i].forEach((p) => g.setEdge(p, id)));
    layout(g);
    let { width = 100, height = 100 } = g.graph();
    // A long edge can be routed along the graph's outer side: widen the view to hold its bends.
    for (const e of g.edges()) {
      for (const p of g.edge(e).points ?? []) {
        width = Math.max(width, p.x + 8);
        height = Math.max(height, p.y + 8);
      }
    }
    const svg = this.svg;
    svg.replaceChildren();
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    // Labelled nodes are drawn at most a little above their size: a small graph is not blown up to the width.
    svg.style.maxWidth = labels ? `${Math.ceil(width * 1.3)}px` : '';
    this.nodes.clear();
    const edges = document.createElementNS(SVG, 'g');
    edges.setAttribute('class', 'edges');
    for (const e of g.edges()) {
      const points: readonly { x: number; y: number }[] = g.edge(e).points ?? [];
      const path = document.createElementNS(SVG, 'path');
      path.setAttribute('d', points.map((p, k) => `${k === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '));
      edges.append(path);
    }
    svg.append(edges);
    const nodes = document.createElementNS(SVG, 'g');
    ids.forEach((id, i) => {
      const n = g.node(id);
      const w = widthOf(id);
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', String(n.x - w / 2));
      rect.setAttribute('y', String(n.y - h / 2));
      rect.setAttribute('width', String(w));
      rect.setAttribute('height', String(h));
      rect.setAttribute('rx', '4');
      rect.dataset.task = id;
      rect.dataset.status = 'pending';
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `${id} (${names[i]})`;
      rect.append(title);
      nodes.append(rect);
      if (labels) {
        const text = document.createElementNS(SVG, 'text');
        text.setAttribute('x', String(n.x));
        text.setAttribute('y', String(n.y));
        text.textContent = clip(id);
        nodes.append(text);
      }
      this.nodes.set(id, rect);
    });
    svg.append(nodes);
  }

  /** Sets a node's status (its colour comes from style.css, by `data-status`). */
  set(id: string, status: string): void {
    const node = this.nodes.get(id);
    if (node !== undefined) node.dataset.status = status;
  }

  /** Marks the nodes of a selected branch. */
  highlight(ids: ReadonlySet<string>): void {
    for (const [id, node] of this.nodes) node.classList.toggle('branch', ids.has(id));
  }

  /** Calls `onPick(taskId)` when a node is clicked. */
  onPick(onPick: (taskId: string) => void): void {
    this.svg.addEventListener('click', (event) => {
      const id = (event.target as Element).closest('rect')?.getAttribute('data-task');
      if (id) onPick(id);
    });
  }
}
