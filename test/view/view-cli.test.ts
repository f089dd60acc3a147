import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { tempDir } from '../helpers/temp-dir.js';

// `weft view` as a user runs it: the built CLI (dist/cli.js, built by `npm test` first).
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const tmp = tempDir('weft-view-cli-');
const db = tmp.file('runs.db');

function weft(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

beforeAll(() => {
  const store = openStore({ path: db });
  store.beginRun('run-a', { workflow: 'report', definitionHash: 'h', definition: {}, input: undefined });
  store.record([{ type: 'run:start', time: Date.now(), runId: 'run-a' }]);
  store.endRun('run-a');
  store.close();
});
afterAll(() => tmp.remove());

describe('weft view (dist/cli.js)', () => {
  /** Starts `weft view ...args`; resolves once it printed its URL. */
  async function serve(...args: string[]) {
    const child = spawn(process.execPath, [cli, 'view', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out.stdout += c.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out.stdout);
        if (m) resolve(m[1]);
      });
      void exit.then((code) => reject(new Error(`exited ${code} before printing a URL: ${out.stdout}${out.stderr}`)));
    });
    /** Interrupts it (Ctrl-C) and resolves with its exit code. */
    const stop = () => (child.kill('SIGINT'), exit);
    return { url, out, stop };
  }

  it('serves until interrupted: prints the URL, answers there, exits 0 on SIGINT', async () => {
    const { url, out, stop } = await serve(db, '--port', '0');
    expect(out.stdout).toBe(`weft view: ${db} at ${url} (read-only; Ctrl-C to stop)\n`);
    const runs = (await (await fetch(new URL('/api/runs', url))).json()) as { runs: { runId: string; status: string }[] };
    expect(runs.runs.map((r) => [r.runId, r.status])).toEqual([['run-a', 'interrupted']]);
    // The bundled CLI finds the built page beside its chunks.
    expect(await (await fetch(new URL('/viewer.js', url))).text()).toContain('EventSource');
    expect(await stop()).toBe(0);
    expect(out.stderr).toBe('');
  });

  it('warns when bound to an address other than loopback', async () => {
    const { out, stop } = await serve(db, '--host', '0.0.0.0');
    expect(await stop()).toBe(0);
    expect(out.stderr).toBe("weft view: bound to 0.0.0.0, not a loopback address: whoever can reach it can read this store's runs, outputs and errors\n");
  });

  it('names the file when there is no store there, or no run store, and exits 2', async () => {
    const missing = tmp.file('nope.db');
    const r = await weft('view', missing);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`weft view: run store ${missing}: no such file (weft view reads an existing store, written by openStore({ path }); it creates nothing)\n`);
    expect(r.stdout).toBe('');
    const text = tmp.file('notes.txt');
    writeFileSync(text, 'not a database\n'.repeat(300));
    const t = await weft('view', text);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(new RegExp(`^weft view: run store ${text}: the file is not a usable SQLite database`));
  });

  it('bad usage: exit 2 with a pointer to --help; --help prints the usage', async () => {
    const cases: [string[], string][] = [
      [['view'], 'weft view: expected one database file: weft view <db>'],
      [['view', db, db], 'weft view: expected one database file: weft view <db>, got 2'],
      [['view', db, '--port', 'http'], 'weft view: --port must be an integer from 0 to 65535, got "http"'],
      [['view', db, '--port', '70000'], 'weft view: --port must be an integer from 0 to 65535, got "70000"'],
      [['view', db, '--frob'], "weft view: Unknown option '--frob'"],
    ];
    for (const [args, message] of cases) {
      const r = await weft(...args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('Run `weft --help` for usage.');
    }
    const help = await weft('view', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: weft view <db> \[--port N\] \[--host H\]/);
    expect((await weft('--help')).stdout).toContain('Usage: weft view <db>');
  });

  it('says why when the port is taken, and exits 2', async () => {
    const { createServer } = await import('node:http');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const r = await weft('view', db, '--port', String(port));
    busy.close();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`EADDRINUSE`);
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
  });
});
