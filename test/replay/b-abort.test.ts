// Aborting a replay must stop its sleeping tasks, not only settle its promise: the run's result
// comes out before its tasks' signals abort, so a sleep that ignored its signal would go on
// holding the shared sleep driver (and the process) for the task's whole recorded runtime.
import { describe, expect, it } from 'vitest';
import { parseTrace, type WorkflowTrace } from '../../src/graph/wfcommons.js';
import { sharedSleepDriver, sleep } from '../../src/replay/precise-sleep.js';
import { replayTrace } from '../../src/replay/replay.js';

/** `width` independent tasks of `seconds` each. */
function wide(width: number, seconds: number): WorkflowTrace {
  const ids = Array.from({ length: width }, (_, i) => `t${i}`);
  return parseTrace({
    name: 'wide',
    workflow: {
      specification: { tasks: ids.map((id) => ({ id, parents: [], children: [] })) },
      execution: { tasks: ids.map((id) => ({ id, runtimeInSeconds: seconds })) },
    },
  });
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Gives the event loop up to `turns` turns for `predicate` to hold; returns whether it did. */
async function within(turns: number, predicate: () => boolean): Promise<boolean> {
  for (let t = 0; t < turns && !predicate(); t++) await turn();
  return predicate();
}

describe('aborting a replay', () => {
  it('rejects with the reason and aborts every sleeping task\'s sleep', async () => {
    const driver = sharedSleepDriver();
    const before = driver.stats();
    const ac = new AbortController();
    const reason = new Error('enough');
    let peak = 0;
    const run = replayTrace(wide(4, 3600), {
      scale: 1, // an hour per task: only the abort ends this
      workers: 4,
      warmup: false,
      signal: ac.signal,
      onProgress: (p) => {
        peak = Math.max(peak, p.running);
        if (p.running === 4) ac.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
    expect(peak).toBe(4);
    // The tasks' signals abort on a later turn: their sleeps must leave the driver then.
    expect(await within(20, () => driver.stats().pending === before.pending)).toBe(true);
    expect(driver.stats().aborted).toBeGreaterThan(before.aborted);
    expect(driver.stats().resolved).toBe(before.resolved);
  });

  it('an abort between tasks starts nothing more: nothing sleeps after the rejection', async () => {
    const driver = sharedSleepDriver();
    const before = driver.stats();
    const ac = new AbortController();
    const chain = parseTrace({
      name: 'chain',
      workflow: {
        specification: { tasks: ['a', 'b', 'c'].map((id, i, all) => ({ id, parents: i === 0 ? [] : [all[i - 1]], children: [] })) },
        execution: { tasks: ['a', 'b', 'c'].map((id) => ({ id, runtimeInSeconds: id === 'a' ? 0 : 3600 })) },
      },
    });
    let done = 0;
    const run = replayTrace(chain, {
      scale: 1,
      warmup: false,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done === 1 && done++ === 0) ac.abort('stop');
      },
    });
    await expect(run).rejects.toBe('stop');
    expect(await within(20, () => driver.stats().pending === before.pending)).toBe(true);
  });
});

describe('sleep(ms, signal)', () => {
  it('rejects with the reason as soon as the signal aborts, long before its time', async () => {
    const ac = new AbortController();
    const reason = new Error('stop');
    const pending = sleep(60_000, ac.signal);
    ac.abort(reason);
    const outcome = await Promise.race([pending.then(() => 'slept', (e: unknown) => e), turn().then(() => 'still sleeping')]);
    expect(outcome).toBe(reason);
  });

  it('rejects at once for an aborted signal and leaves nothing pending', async () => {
    const before = sharedSleepDriver().stats().pending;
    await expect(sleep(60_000, AbortSignal.abort('late'))).rejects.toBe('late');
    expect(sharedSleepDriver().stats().pending).toBe(before);
  });
});
