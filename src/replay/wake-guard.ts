/**
 * How early a sleep driver must stop blocking before a deadline: a blocking wait returns late by
 * the kernel's timer slack (50 µs by default on Linux) plus the wake-up itself, so the driver
 * asks to wake `guard` before the deadline and spins the rest. The guard follows a high quantile
 * of the lateness it observes (a stochastic quantile estimate: one comparison per sample, no
 * history), so it settles near what this machine needs instead of a constant tuned elsewhere.
 *
 * @packageDocumentation
 */

/** The guard a driver starts with, ms: about the lateness of a futex wait on an idle Linux box. */
export const INITIAL_GUARD_MS = 0.1;
/** The smallest guard, ms: below it the spin would not cover a clock read and a wake-up. */
export const MIN_GUARD_MS = 0.02;
/**
 * The largest guard, ms. A wait that returns later than this was preempted rather than slow to
 * wake (the machine is loaded): spinning longer would not have helped, and a thread that spins
 * more is descheduled more, so such samples are ignored.
 */
export const MAX_GUARD_MS = 0.25;
/** The share of waits the guard aims to cover (a late wake-up costs the lane; a longer spin only CPU). */
const QUANTILE = 0.9;
/** How far one sample moves the estimate, ms (it moves QUANTILE × this up, the rest down). */
const STEP_MS = 0.005;

/** A quantile estimate of how late blocking waits return, clamped to a useful range. */
export class WakeGuard {
  /** The current guard, ms. */
  ms = INITIAL_GUARD_MS;

  /** Adds one observation: how much longer than asked a blocking wait took, ms. */
  record(lateMs: number): void {
    if (!(lateMs <= MAX_GUARD_MS)) return;
    const next = lateMs > this.ms ? this.ms + STEP_MS * QUANTILE : this.ms - STEP_MS * (1 - QUANTILE);
    this.ms = Math.min(MAX_GUARD_MS, Math.max(MIN_GUARD_MS, next));
  }
}
