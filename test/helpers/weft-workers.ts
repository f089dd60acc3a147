// `weft worker` processes for the scale-out tests: the built CLI (dist/cli.js, which `npm test`
// builds first) with the test agents, started and stopped by PID. A worker is ready when it
// printed its ready line; everything it prints is kept for the test to read.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** The scale-out tests' agents module. */
export const AGENTS = fileURLToPath(new URL('../fixtures/scale-agents.mjs', import.meta.url));

/** One `weft worker` process. */
export interface WorkerProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** What it printed so far. */
  output(): string;
  /** Resolves once its output matches `re`. */
  waitFor(re: RegExp): Promise<void>;
  /** SIGTERM, then waits for its exit code. */
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

/** Starts `weft worker --redis URL --queue Q --agents <agents> ...extra` and waits until it is taking jobs. */
export function startWorkerProcess(url: string, queue: string, extra: readonly string[] = [], agents = AGENTS): Promise<WorkerProcess> {
  return startNodeProcess([CLI, 'worker', '--redis', url, '--queue', queue, '--agents', agents, ...extra]);
}

/** Starts `node ...args` and waits until it prints a worker's ready line (`weft worker ID: queue ...`). */
export async function startNodeProcess(args: readonly string[]): Promise<WorkerProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    for (const w of [...waiters]) if (w.re.test(out)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitFor = (re: RegExp): Promise<void> =>
    re.test(out)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiters.push({ re, resolve })),
          exited.then((code) => {
            throw new Error(`weft worker exited (${code}) before printing ${re}: ${out}`);
          }),
        ]);
  await waitFor(/weft worker .*: queue /);
  return {
    pid: child.pid!,
    child,
    output: () => out,
    waitFor,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
