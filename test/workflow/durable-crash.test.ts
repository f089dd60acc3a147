// Reliability of durable runs with a real SQLite file and real processes: a child runs a workflow
// of 2,055 tasks (dependencies, a group limit, dynamic agent tasks given as data) and is SIGKILLed
// at random moments, at least 20 times, each time after it has made progress (read from its
// stdout, never a sleep), and started again with the same runId until the run ends. Then: the run
// succeeded, every task did, each wrote exactly one row (ctx.transaction: exactly once), each line
// is in the file at least once and the repeats are no more than the tasks in flight at the kills
// (ctx.step: at-least-once), and the file passes PRAGMA integrity_check.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { tempDir } from '../helpers/temp-dir.js';

const CHILD = fileURLToPath(new URL('../fixtures/durable-crash-child.mjs', import.meta.url));
const TASKS = 1950 + 21 * 5;
const KILLS = 20;
const tmp = tempDir('weft-crash-');
afterAll(() => tmp.remove());

interface Life {
  readonly killed: boolean;
  /** Tasks whose `start` line this life printed and whose `done` line it did not. */
  readonly inFlight: number;
  readonly result?: string;
}

/** Runs the child once; kills it (SIGKILL) after `killAfter` of its `done` lines (plus a random moment), unless undefined. */
function life(db: string, lines: string, killAfter: number | undefined): Promise<Life> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, db, lines, 'crash-run'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const started = new Set<string>();
    const done = new Set<string>();
    let result: string | undefined;
    let rest = '';
    let killing = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        const [kind, id] = line.split(' ', 2);
        if (kind === 'start') started.add(id);
        else if (kind === 'done') done.add(id);
        else if (kind === 'result') result = line;
      }
      if (killAfter !== undefined && !killing && done.size >= killAfter) {
        killing = true;
        // Progress is the synchronisation; the random delay only picks the moment.
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 4);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      let inFlight = 0;
      for (const id of started) if (!done.has(id)) inFlight++;
      if (signal === 'SIGKILL') resolve({ killed: true, inFlight });
      else if (code === 0) resolve({ killed: false, inFlight, result });
      else reject(new Error(`child exited with ${code ?? signal}`));
    });
  });
}

describe('a durable run killed at random moments', () => {
  it(`resumes after ${KILLS}+ SIGKILLs to a run where every task ran, rows exactly once, lines at least once`, { timeout: 170_000 }, async () => {
    const db = tmp.file('crash.db');
    const lines = tmp.file('lines.txt');
    const lives: Life[] = [];
    let final: Life | undefined;
    while (final === undefined) {
      const kills = lives.filter((l) => l.killed).length;
      // Between 10 and 100 more tasks done before each of the first KILLS kills (about half the
      // run), then the run is let finish.
      const target = kills < KILLS ? 10 + Math.floor(Math.random() * 90) : undefined;
      const l = await life(db, lines, target);
      lives.push(l);
      if (!l.killed) final = l;
    }
    const kills = lives.filter((l) => l.killed).length;
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(final.result).toBe(`result succeeded ${TASKS}`);

    const store = openStore({ path: db, readonly: true });
    try {
      expect(store.runs().map((r) => [r.runId, r.status])).toEqual([['crash-run', 'succeeded']]);
      const tasks = store.tasks('crash-run', { limit: 10_000 });
      expect(tasks).toHaveLength(TASKS);
      expect(tasks.filter((t) => t.status !== 'succeeded')).toEqual([]);
      expect(tasks.filter((t) => t.id.startsWith('dyn-')).every((t) => t.parent !== undefined && t.agent === 'writer')).toBe(true);
    } finally {
      store.close();
    }

    const sql = new Database(db, { readonly: true });
    try {
      expect(sql.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = sql.prepare('SELECT task, count(*) AS n FROM crash_rows GROUP BY task').all() as { task: string; n: number }[];
      expect(rows).toHaveLength(TASKS);
      expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    } finally {
      sql.close();
    }

    const written = readFileSync(lines, 'utf8').trim().split('\n');
    const unique = new Set(written);
    expect(unique.size).toBe(TASKS);
    const repeats = written.length - unique.size;
    const inFlight = lives.reduce((sum, l) => sum + (l.killed ? l.inFlight : 0), 0);
    expect(repeats).toBeLessThanOrEqual(inFlight);
  });
});
