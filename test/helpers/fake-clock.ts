import { vi } from 'vitest';

/**
 * Settles `p` on a fake clock (`vi.useFakeTimers()` in force): real I/O gets a turn of the event
 * loop between steps, and fake time moves `stepMs` per step, so waits of minutes take no real time.
 */
export async function onFakeClock<T>(p: Promise<T>, stepMs = 100): Promise<T> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  return p;
}
