// CPU clocks of one worker thread on Node 20, which has no process.threadCpuUsage: in a worker,
// process.cpuUsage() and process.resourceUsage() report the whole process (measured: an idle
// worker saw the 270 ms its main thread burnt). Two clocks work:
// - the kernel's accounting of the thread, /proc/<pid>/task/<tid>/schedstat (Linux): true CPU
//   time in ns, but updated at scheduler ticks and context switches, so a reading lags by up to a
//   tick (4 ms at HZ=250, measured here); readable from the main thread while the worker spins;
// - the thread's event-loop utilisation (`performance.eventLoopUtilization()`): the time its loop
//   was not idle, to the microsecond, which also counts time the thread was runnable but had no
//   core, so it overstates CPU on a loaded machine.
// A file descriptor is kept open per thread: open+read+close costs ~90 µs on this machine,
// a positioned read of an open descriptor ~11 µs.

import { closeSync, openSync, readlinkSync, readSync } from 'node:fs';

const buffer = new Uint8Array(64);

/** A thread's schedstat file, open for repeated reads. */
export class SchedstatClock {
  private fd: number | undefined;

  private constructor(fd: number) {
    this.fd = fd;
  }

  /** Opens `/proc/<path>/schedstat` (`path` such as `thread-self` or `123/task/130`), or `undefined` where there is none. */
  static open(path: string): SchedstatClock | undefined {
    try {
      return new SchedstatClock(openSync(`/proc/${path}/schedstat`, 'r'));
    } catch {
      return undefined;
    }
  }

  /** CPU time of the thread so far, in ms, or `NaN` once the thread is gone. */
  readMs(): number {
    if (this.fd === undefined) return Number.NaN;
    let n: number;
    try {
      n = readSync(this.fd, buffer, 0, buffer.length, 0);
    } catch {
      return Number.NaN;
    }
    // The first field, in ns: parsed by hand (a string and a split per read cost more than the read).
    let ns = 0;
    for (let k = 0; k < n; k++) {
      const c = buffer[k];
      if (c < 48 || c > 57) break;
      ns = ns * 10 + (c - 48);
    }
    return ns / 1e6;
  }

  /** Closes the descriptor. */
  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // Already closed with its thread: nothing to release.
    }
    this.fd = undefined;
  }
}

/** The calling thread's `/proc` path (`<pid>/task/<tid>`), so another thread can read its clock; `undefined` off Linux. */
export function currentThreadPath(): string | undefined {
  try {
    return readlinkSync('/proc/thread-self');
  } catch {
    return undefined;
  }
}
