// drainOnSignals in a real process: SIGTERM drains the run (the spinning worker thread is
// terminated after the grace period), the store and the worker pool close, and the process exits
// on its own with code 0, nothing left holding it; a later process resumes exactly the tasks the
// drain interrupted.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { tempDir } from '../helpers/temp-dir.js';

const CHILD = fileURLToPath(new URL('../fixtures/drain-child.mjs', import.meta.url));
const tmp = tempDir('weft-drain-');
afterAll(() => tmp.remove());

function child(db: string, mode: 'drain' | 'resume'): Promise<{ code: number | null; signal: string | null; out: string[] }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CHILD, db, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out: string[] = [];
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        out.push(line);
        if (line === 'running') proc.kill('SIGTERM');
      }
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

describe('drainOnSignals', () => {
  it('drains on SIGTERM, closes the store and the pool, exits by itself; the resume runs the interrupted tasks', { timeout: 60_000 }, async () => {
    const db = tmp.file('drain.db');
    const first = await child(db, 'drain');
    expect(first).toMatchObject({ code: 0, signal: null });
    expect(first.out.at(-1)).toBe('result interrupted local,quick,thread');
    const store = openStore({ path: db, readonly: true });
    try {
      expect(store.runs().map((r) => r.status)).toEqual(['interrupted']);
      const tasks = Object.fromEntries(store.tasks('drained').map((t) => [t.id, t.status]));
      expect(tasks).toMatchObject({ quick: 'succeeded', local: 'cancelled', thread: 'cancelled', last: 'cancelled' });
    } finally {
      store.close();
    }
    const second = await child(db, 'resume');
    expect(second.code).toBe(0);
    // quick is not run again; the interrupted ones are.
    expect(second.out.at(-1)).toBe('result succeeded last,local,thread');
  });
});
