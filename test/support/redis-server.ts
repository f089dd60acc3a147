// A real redis-server (Debian's) for the tests: on 127.0.0.1, on a free port of its own, without
// persistence (a restart loses everything, as a crashed Redis without AOF does), stopped by its
// PID. Ready means it printed that it accepts connections, then answered PING.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Redis } from 'ioredis';

/** How to get redis-server, for messages. */
export const REDIS_HOW_TO = 'install it (`apt-get install redis-server`) or set REDIS_SERVER to its executable';

function findRedisServer(): string | undefined {
  if (process.env.REDIS_SERVER) return process.env.REDIS_SERVER;
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, 'redis-server');
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The redis-server the tests start: `REDIS_SERVER` when set, else the first on PATH. */
export const redisServerPath: string | undefined = findRedisServer();

const inCI = !['', '0', 'false'].includes(process.env.CI ?? '');

/**
 * True when the Redis tests are skipped: no redis-server was found and this is not CI. With
 * `CI=true` a missing redis-server fails the tests instead ({@link startRedis} throws), so a
 * broken setup cannot pass silently. Use as `describe.skipIf(skipRedisTests)(...)`.
 */
export const skipRedisTests = redisServerPath === undefined && !inCI;

let warned = false;
/** {@link skipRedisTests}, printing the one line that says why the first time it is true. */
export function redisOrSkip(): boolean {
  if (skipRedisTests && !warned) {
    warned = true;
    console.warn(`Skipping this file's Redis tests: no redis-server on PATH; to run them, ${REDIS_HOW_TO}.`);
  }
  return skipRedisTests;
}

/** A running redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** The current process's PID (a new one after {@link restart}). */
  readonly pid: number;
  /** Stops it (SIGTERM, then waits for its exit) and removes its directory. */
  stop(): Promise<void>;
  /** Kills it (SIGKILL: its data is lost) and starts a new one on the same port. */
  restart(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (!reply.includes('\r\n')) return;
      socket.destroy();
      if (reply.startsWith('+PONG')) resolve();
      else reject(new Error(`redis-server on port ${port} answered PING with ${JSON.stringify(reply)}`));
    });
    socket.on('error', reject);
  });
}

const running = new Set<ChildProcess>();
// A test process that ends without stopping its servers (a failed hook) must not leave them behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts redis-server on `port`; resolves once it answered PING, rejects with its output if it exits first. */
function launch(path: string, port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'notice'];
  const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    let output = '';
    let ready = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (ready || !output.includes('Ready to accept connections')) return;
      ready = true;
      ping(port).then(() => {
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // keep draining its log, so a full pipe never blocks it
        child.off('exit', onExit);
        resolve(child);
      }, reject);
    };
    const onExit = (code: number | null, signal: string | null) => reject(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output}`));
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString('utf8')));
    child.once('exit', onExit);
    child.once('error', reject);
  });
}

/**
 * Starts a redis-server of the test's own (see the file's comment). Throws with how to get one
 * when there is none (only reached in CI: elsewhere the suite is skipped, see {@link redisOrSkip}).
 */
export async function startRedis(): Promise<RedisServer> {
  const path = redisServerPath;
  if (path === undefined) throw new Error(`CI is set but no redis-server was found on PATH: the Redis tests must run in CI; ${REDIS_HOW_TO}.`);
  const dir = mkdtempSync(join(tmpdir(), 'weft-redis-'));
  let child: ChildProcess | undefined;
  let port = 0;
  // Another process may take the free port between the probe and the bind: try a few.
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(path, port, dir);
    } catch (error) {
      if (attempt >= 4 || !/address already in use/i.test(String((error as Error).message))) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let current = child;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return current.pid!;
    },
    async stop() {
      if (current.exitCode === null && current.signalCode === null) process.kill(current.pid!, 'SIGTERM');
      await exited(current);
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      process.kill(current.pid!, 'SIGKILL');
      await exited(current);
      current = await launch(path, port, dir);
    },
  };
}

/** What {@link afterSend} shows of a command: its name, arguments and the promise of its reply. */
export interface SentCommand {
  readonly name: string;
  readonly args: readonly unknown[];
  readonly promise: Promise<unknown>;
}

/**
 * Calls `fn` with each command `client` sends, just after it went to the socket (so its reply
 * cannot have been read yet): a hook on the real client's one path out, for tests that must act
 * between a command and its reply.
 */
export function afterSend(client: Redis, fn: (command: SentCommand) => void): void {
  const send = client.sendCommand.bind(client) as (...args: unknown[]) => unknown;
  client.sendCommand = ((command: SentCommand, ...rest: unknown[]) => {
    const sent = send(command, ...rest);
    fn(command);
    return sent;
  }) as typeof client.sendCommand;
}
