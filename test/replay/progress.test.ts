import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgressBar } from '../../src/replay/progress.js';

function fakeStream(isTTY: boolean, columns = 80) {
  const writes: string[] = [];
  return { isTTY, columns, writes, write: (s: string) => writes.push(s) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createProgressBar', () => {
  it('prints nothing at all when the stream is not a TTY', () => {
    const stream = fakeStream(false);
    const bar = createProgressBar(stream, 10);
    bar.update(3, 2);
    bar.finish();
    expect(bar.enabled).toBe(false);
    expect(stream.writes).toEqual([]);
  });

  it('draws done/total, running and elapsed in place, then ends the line', () => {
    let t = 0;
    const stream = fakeStream(true, 60);
    const bar = createProgressBar(stream, 10, { now: () => t });
    t = 1500;
    bar.update(5, 3);
    expect(stream.writes).toEqual(['\r\x1b[2Kreplay [##########----------] 5/10 done · 3 running · 1.5 s']);
    t = 2000;
    bar.finish();
    expect(stream.writes.slice(1)).toEqual(['\r\x1b[2Kreplay [##########----------] 5/10 done · 3 running · 2.0 s', '\n']);
    bar.update(10, 0);
    expect(stream.writes).toHaveLength(3);
  });

  it('redraws at most once per interval, and draws the last state of a burst later', () => {
    vi.useFakeTimers();
    let t = 0;
    const stream = fakeStream(true);
    const bar = createProgressBar(stream, 1000, { now: () => t, intervalMs: 100 });
    for (let i = 1; i <= 500; i++) {
      t = i / 10; // 500 updates within 50 ms
      bar.update(i, 4);
    }
    expect(stream.writes).toHaveLength(1);
    expect(stream.writes[0]).toContain(' 1/1000 done');
    t = 100.1;
    vi.advanceTimersByTime(100);
    expect(stream.writes).toHaveLength(2);
    expect(stream.writes[1]).toContain(' 500/1000 done · 4 running · 0.1 s');
    bar.finish();
    expect(stream.writes.at(-1)).toBe('\n');
  });

  it('fits a narrow terminal (the bar shrinks, the numbers stay)', () => {
    const stream = fakeStream(true, 30);
    const bar = createProgressBar(stream, 10, { now: () => 0 });
    bar.update(1, 1);
    expect(stream.writes[0]).toBe('\r\x1b[2Kreplay  1/10 done · 1 running · 0.0 s');
  });

  it('assumes 80 columns when the terminal reports none (0 or undefined)', () => {
    const stream = fakeStream(true, 0);
    createProgressBar(stream, 10, { now: () => 0 }).update(10, 0);
    expect(stream.writes[0]).toBe(`\r\x1b[2Kreplay [${'#'.repeat(39)}] 10/10 done · 0 running · 0.0 s`);
  });

  it('validates its arguments', () => {
    expect(() => createProgressBar(fakeStream(true), -1)).toThrow(new RangeError('Expected `total` to be an integer >= 0, got `-1` (number)'));
    expect(() => createProgressBar(fakeStream(true), 1, { intervalMs: -5 })).toThrow(
      new RangeError('Expected `intervalMs` to be a finite number >= 0, got `-5` (number)'),
    );
  });
});
