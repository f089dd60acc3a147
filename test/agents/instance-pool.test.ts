import { describe, expect, it } from 'vitest';
import { InstancePool } from '../../src/agents/instance-pool.js';

const none = (): undefined => undefined;

describe('InstancePool', () => {
  it('creates on demand up to max, then lends returned instances (the last returned first)', async () => {
    let made = 0;
    const pool = new InstancePool(() => ({ id: ++made }), 2);
    const a = pool.acquire(none) as { id: number };
    const b = pool.acquire(none) as { id: number };
    expect([a.id, b.id]).toEqual([1, 2]);
    const waiting = pool.acquire(none);
    expect(waiting).toBeInstanceOf(Promise);
    pool.release(b);
    await expect(waiting).resolves.toBe(b); // handed straight to the waiter
    pool.release(a);
    expect(pool.acquire(none)).toBe(a);
    expect(pool.created).toBe(2);
  });

  it('awaits an async factory, and frees the place of a failed creation', async () => {
    let fail = true;
    const pool = new InstancePool(async () => {
      if (fail) throw new Error('no connection');
      return 'conn';
    }, 1);
    await expect(pool.acquire(none)).rejects.toThrow('no connection');
    expect(pool.created).toBe(0);
    fail = false;
    await expect(pool.acquire(none)).resolves.toBe('conn');
  });

  it('gives a waiter a fresh instance when a creation in progress fails', async () => {
    let calls = 0;
    let rejectFirst!: (e: Error) => void;
    const pool = new InstancePool(() => (++calls === 1 ? new Promise<string>((_, reject) => (rejectFirst = reject)) : 'second'), 1);
    const first = pool.acquire(none);
    const waiter = pool.acquire(none);
    rejectFirst(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await expect(waiter).resolves.toBe('second');
  });

  it('withdraws a waiter whose signal aborts, and reads the signal only when it waits', async () => {
    const pool = new InstancePool(() => 'x', 1);
    let reads = 0;
    const held = pool.acquire(() => {
      reads++;
      return undefined;
    });
    expect(reads).toBe(0);
    const controller = new AbortController();
    const waiting = pool.acquire(() => controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    pool.release(held as string);
    expect(pool.available).toBe(1); // not given to the withdrawn waiter
    const aborted = AbortSignal.abort(new Error('already'));
    pool.acquire(none);
    await expect(pool.acquire(() => aborted)).rejects.toThrow('already');
  });
});
