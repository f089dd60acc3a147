// A main-thread task that blocks the event loop past its timeoutMs: its timer cannot fire
// before the result arrives, and the result must still count as a timeout, not a success.
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { workflow } from '../../src/workflow/index.js';

/** Blocks this thread for `ms` (the behaviour under test, not a wait for something). */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('results that arrive after the deadline', () => {
  it('fails a synchronous task that ran past its timeout with TASK_TIMEOUT', async () => {
    const result = await workflow()
      .task({ id: 'slow', timeoutMs: 20, run: () => (block(60), 'late') })
      .task({ id: 'next', dependsOn: ['slow'], run: () => 'never' })
      .run();
    const slow = result.task('slow')!;
    expect(slow.status).toBe('failed');
    expect(isWeftError(slow.error, 'TASK_TIMEOUT')).toBe(true);
    expect((slow.error as Error).message).toBe('task `slow` timed out after 20 ms');
    expect(result.task('next')!.status).toBe('skipped');
  });

  it('fails an async task whose promise resolved past the deadline while the loop was blocked', async () => {
    const result = await workflow()
      .task({ id: 'slow', timeoutMs: 20, run: async () => (block(60), 'late') })
      .run();
    expect(isWeftError(result.task('slow')!.error, 'TASK_TIMEOUT')).toBe(true);
  });

  it('retries a late attempt under its retry policy', async () => {
    let attempts = 0;
    const result = await workflow()
      .task({ id: 't', timeoutMs: 20, retry: { maxAttempts: 2, initialDelayMs: 1, jitter: 0 }, run: () => (++attempts === 1 ? (block(60), 'late') : 'in time') })
      .run();
    expect(result.output('t')).toBe('in time');
    expect(attempts).toBe(2);
  });

  it('still accepts a synchronous task that finishes within its timeout, and tasks without one', async () => {
    const result = await workflow()
      .task({ id: 'quick', timeoutMs: 60_000, run: () => (block(5), 'ok') })
      .task({ id: 'free', run: () => (block(5), 'ok') })
      .run();
    expect([result.output('quick'), result.output('free')]).toEqual(['ok', 'ok']);
  });
});
