// `weft worker`'s usage errors: each names what is wrong and exits 2, before any Redis is needed.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { workerCommand } from '../../src/scale/worker-cli.js';

function io() {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) => new Writable({ write: (chunk, _e, done) => (add(String(chunk)), done()) });
  return { io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) }, out: () => out, err: () => err };
}

describe('weft worker', () => {
  const signal = new AbortController().signal;

  it('prints its usage with --help', async () => {
    const t = io();
    expect(await workerCommand(['--help'], t.io, signal)).toBe(0);
    expect(t.out()).toMatch(/^Usage: weft worker --redis <url> --queue <name>/);
  });

  it.each([
    [[], '--redis <url> is required'],
    [['--redis', 'redis://127.0.0.1:1'], '--queue <name> is required'],
    [['--redis', 'redis://127.0.0.1:1', '--queue', 'q', '--agents', '/nowhere/agents.mjs'], '--agents: no such module: /nowhere/agents.mjs'],
    [['--redis', 'redis://127.0.0.1:1', '--queue', 'q', '--concurrency', '0'], '--concurrency must be an integer >= 1, got `0`'],
    [['--redis', 'redis://127.0.0.1:1', '--queue', 'q', '--store', '/nowhere/x.db'], '--store: no such file: /nowhere/x.db'],
    [['--redis', 'http://127.0.0.1:1', '--queue', 'q'], 'Expected `connection` to be a redis:// or rediss:// URL'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('%j: %s', async (args, message) => {
    const t = io();
    expect(await workerCommand(args, t.io, signal)).toBe(2);
    expect(t.err()).toContain(message);
    expect(t.err()).toContain("Run 'weft worker --help' for usage.");
  });

  it('an --agents module without a registry is refused, naming the module', async () => {
    const t = io();
    const module = new URL('../fixtures/no-agents.mjs', import.meta.url).pathname;
    expect(await workerCommand(['--redis', 'redis://127.0.0.1:1', '--queue', 'q', '--agents', module], t.io, signal)).toBe(2);
    expect(t.err()).toContain(`--agents: ${module} exports no agent registry`);
  });
});
