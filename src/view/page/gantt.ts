// The live Gantt chart of the demo and of `weft view`: one lane per worker (or concurrent slot),
// one bar per attempt, coloured by its status, drawn on a canvas (2,000 bars in well under a
// frame: bench/browser.bench.ts measures it). Lane labels are drawn as canvas text: never markup.

/** Colours by status, shared with the DAG and the legend (style.css has the same values). */
export const STATUS_COLOURS: Readonly<Record<string, string>> = {
  pending: '#d5dae1',
  ready: '#b9c7d8',
  running: '#2f6fde',
  suspended: '#e0a100',
  succeeded: '#1f9d55',
  failed: '#d64545',
  skipped: '#9aa5b1',
  cancelled: '#6b7280',
};

/** One attempt on one lane; `endMs` is undefined while it runs. Times are ms from the run's start. */
export interface GanttBar {
  readonly taskId: string;
  readonly lane: number;
  readonly startMs: number;
  endMs: number | undefined;
  status: string;
}

const LANE_H = 28;
const LEFT = 74;
const TOP = 8;
const AXIS_H = 24;

/** Options of {@link Gantt}. */
export interface GanttOptions {
  /** The label of lane `lane` (0-based). @default `worker ${lane}` */
  readonly laneLabel?: (lane: number) => string;
}

/** Draws bars on a canvas, scaled to fit the run so far. */
export class Gantt {
  bars: GanttBar[] = [];
  lanes = 1;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly laneLabel: (lane: number) => string;

  constructor(
    readonly canvas: HTMLCanvasElement,
    options: GanttOptions = {},
  ) {
    this.ctx = canvas.getContext('2d')!;
    this.laneLabel = options.laneLabel ?? ((lane) => `worker ${lane}`);
  }

  /** Clears the chart for a run on `lanes` lanes. */
  reset(lanes: number): void {
    this.bars = [];
    this.lanes = lanes;
    this.canvas.dataset.bars = '0';
  }

  /** Draws every bar; `nowMs` ends the bars still running. Returns the time it took, ms. */
  draw(nowMs: number): number {
    const t0 = performance.now();
    const { canvas, ctx, bars } = this;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 600;
    const height = TOP + this.lanes * LANE_H + AXIS_H;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.height = `${height}px`;
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    let span = Math.max(nowMs, 1);
    for (const b of bars) if (b.endMs !== undefined && b.endMs > span) span = b.endMs;
    const plotW = width - LEFT - 12;
    const x = (ms: number) => LEFT + (ms / span) * plotW;
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (let lane = 0; lane < this.lanes; lane++) {
      const y = TOP + lane * LANE_H;
      ctx.fillStyle = lane % 2 === 0 ? '#f5f7fa' : '#ffffff';
      ctx.fillRect(LEFT, y, plotW, LANE_H);
      ctx.fillStyle = '#3b4451';
      ctx.fillText(this.laneLabel(lane), 6, y + LANE_H / 2);
    }
    let colour = '';
    for (const b of bars) {
      const c = STATUS_COLOURS[b.status] ?? '#000';
      if (c !== colour) ctx.fillStyle = colour = c;
      const x0 = x(b.startMs);
      ctx.fillRect(x0, TOP + b.lane * LANE_H + 3, Math.max(1, x(b.endMs ?? nowMs) - x0 - 0.5), LANE_H - 6);
    }
    // The time axis, in ms, with 5 ticks.
    const axisY = TOP + this.lanes * LANE_H;
    ctx.strokeStyle = '#8a94a3';
    ctx.beginPath();
    ctx.moveTo(LEFT, axisY + 0.5);
    ctx.lineTo(LEFT + plotW, axisY + 0.5);
    ctx.stroke();
    ctx.fillStyle = '#3b4451';
    ctx.textAlign = 'center';
    for (let k = 0; k <= 5; k++) {
      const ms = (span * k) / 5;
      ctx.fillText(axisLabel(ms), Math.min(x(ms), width - 24), axisY + 13);
    }
    ctx.textAlign = 'start';
    canvas.dataset.bars = String(bars.length);
    return performance.now() - t0;
  }
}

/** A tick's label: ms up to 10 s, then seconds (a long run's ticks stay narrow). */
function axisLabel(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 100_000 ? 1 : 0)} s`;
}
