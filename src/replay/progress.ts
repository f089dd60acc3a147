/**
 * A one-line live progress bar for a terminal.
 *
 * @packageDocumentation
 */
import { checkInteger, expectedMessage } from '../internal/validate.js';

/** The stream a {@link ProgressBar} draws on: `process.stderr` or anything shaped like it. */
export interface ProgressStream {
  /** Only a TTY gets a bar; for pipes and files the bar prints nothing. */
  readonly isTTY?: boolean;
  /** The terminal's width, when known. */
  readonly columns?: number;
  write(text: string): unknown;
}

/** Options of {@link createProgressBar}. */
export interface ProgressOptions {
  /**
   * The shortest time between two redraws, in ms (a replay finishes thousands of tasks per
   * second; redrawing on each would cost more than the run).
   * @defaultValue 100
   */
  readonly intervalMs?: number;
  /**
   * The clock, in ms.
   * @defaultValue `performance.now`
   */
  readonly now?: () => number;
  /**
   * A label before the bar.
   * @defaultValue `'replay'`
   */
  readonly label?: string;
}

/** The defaults of {@link ProgressOptions}. */
export const DEFAULT_PROGRESS_OPTIONS = Object.freeze({ intervalMs: 100, label: 'replay' });

/** A live progress bar. */
export interface ProgressBar {
  /** Records progress; redraws when the last redraw is at least `intervalMs` old, else later. */
  update(done: number, running: number): void;
  /** Draws the final state and ends the line. Later updates are ignored. */
  finish(): void;
  /** Whether the bar draws at all (the stream is a TTY). */
  readonly enabled: boolean;
}

/**
 * Creates a progress bar for `total` tasks on `stream`: done/total, running and elapsed time,
 * redrawn in place at most every `intervalMs`. Nothing is written when the stream is not a TTY.
 *
 * @throws `TypeError`/`RangeError` for a bad `total` or option.
 */
export function createProgressBar(stream: ProgressStream, total: number, options: ProgressOptions = {}): ProgressBar {
  checkInteger('total', total, 0);
  const intervalMs = options.intervalMs ?? DEFAULT_PROGRESS_OPTIONS.intervalMs;
  if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs < 0) {
    throw new RangeError(expectedMessage('intervalMs', 'a finite number >= 0', intervalMs));
  }
  const now = options.now ?? (() => performance.now());
  const label = options.label ?? DEFAULT_PROGRESS_OPTIONS.label;
  const enabled = stream.isTTY === true;
  const start = now();
  let done = 0;
  let running = 0;
  let lastDraw = -Infinity;
  let trailing: ReturnType<typeof setTimeout> | undefined;
  let finished = false;

  const draw = () => {
    lastDraw = now();
    const elapsed = (lastDraw - start) / 1000;
    const tail = ` ${done}/${total} done · ${running} running · ${elapsed.toFixed(1)} s`;
    const head = `${label} `;
    // Leave one column free: writing into the last one wraps on some terminals.
    const room = Math.max(0, Math.min(40, (stream.columns || 80) - 1 - head.length - tail.length - 2));
    const filled = total > 0 ? Math.round((room * done) / total) : room;
    const bar = room > 0 ? `[${'#'.repeat(filled)}${'-'.repeat(room - filled)}]` : '';
    stream.write(`\r\x1b[2K${head}${bar}${tail}`);
  };

  return {
    enabled,
    update(d: number, r: number) {
      if (finished) return;
      done = d;
      running = r;
      if (!enabled) return;
      const wait = lastDraw + intervalMs - now();
      if (wait <= 0) {
        if (trailing !== undefined) clearTimeout(trailing);
        trailing = undefined;
        draw();
      } else if (trailing === undefined) {
        // The last state of a burst is drawn even if no update follows it.
        trailing = setTimeout(() => {
          trailing = undefined;
          if (!finished) draw();
        }, Math.ceil(wait));
        trailing.unref?.();
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      if (trailing !== undefined) clearTimeout(trailing);
      trailing = undefined;
      if (!enabled) return;
      draw();
      stream.write('\n');
    },
  };
}
