/**
 * Linux gives every thread a timer slack (50 µs by default): a blocking wait may return that much
 * later than asked, so the kernel can batch wake-ups. A replay's sleep driver blocks before each
 * deadline and spins the rest (see `precise-sleep.ts`), so the slack is paid in spinning: about
 * 85 µs late per wake-up with it, 35 µs without, on a 2-core VM. `weft replay` turns it down for
 * its main thread; elsewhere (another OS, a sandbox without `/proc`) nothing changes.
 *
 * @packageDocumentation
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

// Linux has the file for a process (its main thread), not for each of its threads.
const SLACK_FILE = '/proc/self/timerslack_ns';

/**
 * Sets the main thread's timer slack to `ns` nanoseconds where the OS allows it (Linux), and
 * returns a function that puts the previous value back, or `undefined` where it cannot be set
 * (another OS, no `/proc`, or a call from a worker thread, whose slack Linux does not expose).
 *
 * @param ns - the slack, in ns (>= 1: 0 means "the default" to Linux)
 */
export function setTimerSlack(ns = 1): (() => void) | undefined {
  if (!Number.isInteger(ns) || ns < 1) throw new RangeError(`Expected \`ns\` to be an integer >= 1, got \`${String(ns)}\` (${typeof ns})`);
  if (process.platform !== 'linux' || !isMainThread) return undefined;
  try {
    const previous = readFileSync(SLACK_FILE, 'utf8').trim();
    writeFileSync(SLACK_FILE, String(ns));
    return () => {
      try {
        writeFileSync(SLACK_FILE, previous);
      } catch {
        // The thread is going away or /proc went read-only: nothing to restore.
      }
    };
  } catch {
    return undefined;
  }
}
