// A coordinator SIGKILLed mid-run resumes from its store and re-attaches to the jobs still in
// Redis: the tasks its workers finished while it was away are not run again.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useScaleOut } from '../helpers/scale-out.js';
import { redisOrSkip } from '../support/redis-server.js';

const COORDINATOR = fileURLToPath(new URL('../fixtures/scale-coordinator.mjs', import.meta.url));

/** Runs the coordinator; `killAfter` successes, SIGKILLs it. Resolves with what it printed. */
function coordinator(args: string[], killAfter?: number): Promise<string> {
  const child = spawn(process.execPath, [COORDINATOR, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (killAfter !== undefined && (out.match(/^ok /gm)?.length ?? 0) >= killAfter) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.once('exit', () => resolve(out)));
}

describe.skipIf(redisOrSkip())('a coordinator crash', () => {
  const scale = useScaleOut('coord');
  const { tmp } = scale;

  it('resumes from the store and re-attaches to the jobs still in Redis: no task runs twice, every row is written once', async () => {
    const q = scale.queue();
    const redis = scale.redis;
    const db = tmp.file('coord.db');
    const runs = tmp.file('runs.txt');
    // The store file exists before the workers open it for ctx.transaction.
    const first = coordinator([redis.url, q, db, runs], 150);
    while (!existsSync(db)) await new Promise((r) => setImmediate(r));
    await scale.workers(2, q, ['--store', db, '--concurrency', '40']);
    const before = await first;
    expect(before).not.toMatch(/^result/m);
    // Jobs were out on the workers when it died (started, not yet seen succeeding): those are the ones to re-attach to.
    const okBefore = before.match(/^ok /gm)!.length;
    expect(readFileSync(runs, 'utf8').trim().split('\n').length).toBeGreaterThan(okBefore);
    const after = await coordinator([redis.url, q, db, runs]);
    expect(after).toMatch(/^result succeeded 400$/m);
    const ran = readFileSync(runs, 'utf8').trim().split('\n');
    expect(ran).toHaveLength(400);
    expect(new Set(ran).size).toBe(400);
    const check = new Database(db, { readonly: true });
    const rows = check.prepare('SELECT task, COUNT(*) AS n FROM scale_rows GROUP BY task').all() as { task: string; n: number }[];
    check.close();
    expect(rows).toHaveLength(400);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
  }, 120_000);
});
