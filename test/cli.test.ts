import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built CLI (dist/cli.js, built by `npm test` before vitest starts), run as a user would.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const montage = fileURLToPath(new URL('../examples/traces/montage-chameleon-2mass-01d-001.json', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function weft(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const KEYS = ['tasks', 'edges', 'workers', 'makespanMs', 'criticalPathMs', 'totalWorkMs', 'lowerBoundMs', 'idealMs', 'efficiency', 'overheadUsPerTask'];

describe('weft (dist/cli.js)', () => {
  it('starts with a node shebang', async () => {
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(cli, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await weft(flag);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: weft replay <trace\.json> \[--workers N\] \[--scale S\] \[--json\]/);
      expect(r.stdout).toContain('--workers N');
      expect(r.stderr).toBe('');
    }
    const sub = await weft('replay', '--help');
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/^Usage: weft replay/);
  });

  it('replay --json prints exactly one JSON object with the summary keys, and nothing else', async () => {
    const r = await weft('replay', montage, '--json', '--scale', '0.0002', '--workers', '3');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const s = JSON.parse(r.stdout) as Record<string, number>;
    expect(Object.keys(s)).toEqual(KEYS);
    expect(s).toMatchObject({ tasks: 103, edges: 231, workers: 3 });
    expect(s.makespanMs).toBeGreaterThanOrEqual(s.lowerBoundMs);
    expect(s.idealMs).toBeGreaterThanOrEqual(s.lowerBoundMs);
    expect(s.efficiency).toBeGreaterThan(0);
  });

  it('replay prints a readable summary (no progress bar when stderr is not a TTY)', async () => {
    const r = await weft('replay', montage, '--scale=0.0002');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`replay of montage (${montage})`);
    expect(lines[1]).toBe('  tasks          103 (231 edges) on 4 workers, scale 0.0002');
    expect(r.stdout).toMatch(/\n {2}makespan {7}[\d.]+ ms \([\d.]+× lower bound\)\n/);
    expect(r.stdout).toMatch(/\n {2}efficiency {5}[\d.]+% {2}ideal \/ makespan\n/);
    expect(r.stdout).toMatch(/\n {2}overhead {7}-?[\d.]+ µs per task/);
    expect(r.stdout).toMatch(/\n {2}tighter bound  [\d.]+ ms {2}a task waits for its ancestors' work \/ 4; ideal is [\d.]+× it\n/);
  });

  it('an unreadable trace file: a clear message and exit code 2', async () => {
    const missing = join(dir, 'missing.json');
    const r = await weft('replay', missing);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`weft replay: invalid workflow trace ${missing}: cannot be read (ENOENT: no such file or directory, open '${missing}')\n`);
  });

  it('a file that is not JSON, or not a trace, or not a DAG: exit code 2 naming the problem', async () => {
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, '# not json');
    const r1 = await weft('replay', notJson);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/^weft replay: invalid workflow trace .*not\.json: not JSON \(/);

    const notTrace = join(dir, 'not-trace.json');
    await writeFile(notTrace, JSON.stringify({ workflow: { specification: {} } }));
    const r2 = await weft('replay', notTrace);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toBe(`weft replay: invalid workflow trace ${notTrace}: $.workflow.specification.tasks must be an array\n`);

    const cyclic = join(dir, 'cyclic.json');
    await writeFile(
      cyclic,
      JSON.stringify({
        workflow: {
          specification: { tasks: [{ id: 'a', parents: ['b'] }, { id: 'b', parents: ['a'] }] },
          execution: { tasks: [{ id: 'a', runtimeInSeconds: 1 }, { id: 'b', runtimeInSeconds: 1 }] },
        },
      }),
    );
    const r3 = await weft('replay', cyclic);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/^weft replay: the graph has a cycle: /);
    expect(r3.stdout).toBe('');
  });

  it('bad usage: exit code 2 with a message and a pointer to --help', async () => {
    const cases: [string[], string][] = [
      [[], 'Usage: weft replay'],
      [['frobnicate'], 'weft: unknown command "frobnicate"'],
      [['replay'], 'weft replay: missing the trace file'],
      [['replay', 'a.json', 'b.json'], 'weft replay: one trace file expected, got 2: a.json b.json'],
      [['replay', montage, '--workers', '0'], 'weft replay: --workers must be an integer >= 1, got "0"'],
      [['replay', montage, '--workers', '2.5'], 'weft replay: --workers must be an integer >= 1, got "2.5"'],
      [['replay', montage, '--scale', 'fast'], 'weft replay: --scale must be a finite number >= 0, got "fast"'],
      [['replay', montage, '--scale=-1'], 'weft replay: --scale must be a finite number >= 0, got "-1"'],
      [['replay', montage, '--scale', '1e306', '--no-warmup'], "weft replay: --scale 1e306 makes the trace's total runtime overflow"],
      [['replay', montage, '--workers'], "weft replay: Option '-w, --workers <value>' argument missing"],
      [['replay', montage, '--frob'], "weft replay: Unknown option '--frob'"],
    ];
    for (const [args, message] of cases) {
      const r = await weft(...args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain(message);
      if (args.length > 0) expect(r.stderr).toContain('Run `weft --help` for usage.');
      expect(r.stdout).toBe('');
    }
  });
});
