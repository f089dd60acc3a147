import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leaseIsLive, newLeaseOwner } from '../../src/store/lease.js';
import { openStore } from '../../src/store/run-store.js';
import { tempDir } from '../helpers/temp-dir.js';

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('leases', () => {
  it('names its owner host:pid:instance, distinct per store', () => {
    const a = newLeaseOwner();
    expect(a).toMatch(new RegExp(`^${hostname()}:${process.pid}:[0-9a-f]{8}$`));
    expect(newLeaseOwner()).not.toBe(a);
  });

  it('a lease is live until its heartbeat is leaseTimeoutMs old', () => {
    const holder = `elsewhere:123:abcd`;
    expect(leaseIsLive(holder, 1000, 1000 + 4999, 5000)).toBe(true);
    expect(leaseIsLive(holder, 1000, 1000 + 5000, 5000)).toBe(false);
    expect(leaseIsLive(null, null, 0, 5000)).toBe(false);
  });

  it('a fresh lease of a process on this host that has exited is dead at once; a live process keeps it', async () => {
    const pid = await deadPid();
    expect(leaseIsLive(`${hostname()}:${pid}:abcd`, 1000, 1001, 5000)).toBe(false);
    expect(leaseIsLive(`${hostname()}:${process.ppid}:abcd`, 1000, 1001, 5000)).toBe(true);
  });
});

describe('a crashed holder', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('weft-store-lease-');
  });
  afterEach(() => tmp.remove());

  it('another store resumes a run whose holder process died, without waiting for the timeout', async () => {
    const path = tmp.file('l.db');
    const store = openStore({ path, leaseTimeoutMs: 3_600_000 });
    store.beginRun('r', { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined });
    // Make the lease look like it belongs to a process that has exited a moment ago.
    const pid = await deadPid();
    (store as unknown as { db: import('better-sqlite3').Database }).db.prepare('UPDATE weft_runs SET lease_owner = ?, lease_at = ?').run(`${hostname()}:${pid}:dead`, Date.now());
    const other = openStore({ path, leaseTimeoutMs: 3_600_000 });
    expect(other.beginRun('r', { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined })?.runId).toBe('r');
    other.close();
    store.close();
  });
});
