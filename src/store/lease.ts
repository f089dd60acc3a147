// Who may run a run: the lease in weft_runs (lease_owner, lease_at). A store names itself
// `host:pid:instance`; a lease is live while its holder renewed it less than the timeout ago, and
// a holder on this host whose process has exited is dead at once (no need to wait out the timeout
// after a crash and a quick restart).

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A new owner name for a store instance: `host:pid:instance`. */
export function newLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * Whether the lease held by `holder`, renewed at `renewedAt` (epoch ms), still stands at `now`.
 * `null` holders (released leases) never do.
 */
export function leaseIsLive(holder: string | null, renewedAt: number | null, now: number, timeoutMs: number): boolean {
  if (holder === null || renewedAt === null) return false;
  if (now - renewedAt >= timeoutMs) return false;
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid === process.pid) return true;
  return processExists(pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
