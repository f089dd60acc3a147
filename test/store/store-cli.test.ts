import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { formatTable } from '../../src/store/store-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// The built CLI (dist/cli.js, built by `npm test` before vitest starts), run as a user would.
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

function weft(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let tmp: ReturnType<typeof tempDir>;
let db: string;
beforeAll(() => {
  tmp = tempDir('weft-store-cli-');
  db = tmp.file('runs.db');
  const store = openStore({ path: db });
  store.beginRun('run-a', { workflow: 'report', definitionHash: 'h', definition: {}, input: undefined });
  store.record([
    { type: 'run:start', time: Date.UTC(2026, 0, 2, 3, 4, 5), runId: 'run-a' },
    { type: 'task:start', time: 1000, runId: 'run-a', taskId: 'plan', attempt: 1, agent: 'planner' },
    { type: 'task:succeeded', time: 1012.5, runId: 'run-a', taskId: 'plan', attempt: 1, agent: 'planner', output: ['x'] },
    { type: 'task:added', time: 1013, runId: 'run-a', taskId: 'draft', attempt: 0, parent: 'plan', spec: { id: 'draft' }, dependsOn: [] },
    { type: 'task:start', time: 1014, runId: 'run-a', taskId: 'draft', attempt: 2 },
    { type: 'task:failed', time: 1020, runId: 'run-a', taskId: 'draft', attempt: 2, error: Object.assign(new Error('model said no'), { code: 'LLM_BAD_RESPONSE' }) },
    { type: 'run:end', time: 1021, runId: 'run-a', status: 'failed' },
  ]);
  store.endRun('run-a');
  store.beginRun('run-b', { workflow: 'digest', definitionHash: 'h', definition: {}, input: undefined });
  store.close();
});
afterAll(() => tmp.remove());

describe('weft runs / weft tasks (dist/cli.js)', () => {
  it('weft runs DB prints a table of runs, newest first', async () => {
    const r = await weft('runs', db);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+WORKFLOW\s+STATUS\s+TASKS\s+STARTED\s+ENDED$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['run-b', 'digest', 'interrupted', '0'],
      ['run-a', 'report', 'failed', '2'],
    ]);
  });

  it('filters runs (--status, --workflow) and prints JSON lines with --json', async () => {
    const r = await weft('runs', db, '--status', 'failed', '--json');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).runId)).toEqual(['run-a']);
    expect((await weft('runs', db, '--workflow', 'digest')).stdout).toMatch(/run-b/);
  });

  it('weft tasks DB RUN prints its tasks; --status filters them', async () => {
    const r = await weft('tasks', db, 'run-a');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TASK\s+STATUS\s+ATTEMPTS\s+AGENT\s+PARENT\s+DURATION\s+ERROR$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      ['draft', 'failed', '2', '-', 'plan', '6.0 ms', 'LLM_BAD_RESPONSE: model said no'],
      ['plan', 'succeeded', '1', 'planner', '-', '12.5 ms'],
    ]);
    const failed = await weft('tasks', db, 'run-a', '--status', 'failed');
    expect(failed.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(failed.stdout).toContain('draft');
  });

  it('bad usage, a missing file, a bad store and an unknown run: exit code 2 with a message', async () => {
    const cases: [string[], RegExp][] = [
      [['runs'], /weft runs: expected one database file/],
      [['tasks', db], /weft tasks: expected a database file and a run id/],
      [['runs', tmp.file('nope.db')], /weft runs: no such file: .*nope\.db/],
      [['tasks', db, 'run-a', '--status', 'done'], /Expected `--status` to be one of 'pending'/],
      [['runs', db, '--limit', '0'], /--limit must be an integer >= 1, got "0"/],
      [['tasks', db, 'zzz'], /weft tasks: run `zzz` is not recorded in .*runs\.db/],
    ];
    writeFileSync(tmp.file('junk.db'), 'definitely not sqlite, just text that goes on for a while '.repeat(100));
    cases.push([['runs', tmp.file('junk.db')], /weft runs: run store .*junk\.db: the file is not a usable SQLite database/]);
    for (const [args, message] of cases) {
      const r = await weft(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('--help prints both commands', async () => {
    const r = await weft('runs', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: weft runs <db>/);
    expect(r.stdout).toContain('weft tasks <db> <run>');
  });
});

describe('formatTable', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(formatTable(['A', 'BB'], [['xxx', 'y'], ['z', '']])).toBe('A    BB\nxxx  y\nz');
  });
});
