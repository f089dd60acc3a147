// Starts test/fixtures/redis-limit-child.ts (one more process sharing a Redis limit) on the
// sources through tsx, and reads the lines it prints as they come.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../fixtures/redis-limit-child.ts', import.meta.url));

/** A running child: its lines so far, a wait for one more line matching, and its end. */
export interface LimitChild {
  readonly process: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line (printed so far or later) that starts with `prefix`. */
  line(prefix: string): Promise<string>;
  /** Resolves when it exited with 0 (rejects otherwise, with what it printed on stderr), or was killed by a signal. */
  readonly exited: Promise<NodeJS.Signals | null>;
}

/** Starts the child with `args` (see the fixture's comment). */
export function startLimitChild(args: readonly (string | number)[]): LimitChild {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: { prefix: string; resolve: (line: string) => void }[] = [];
  let rest = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (let i = waiting.length - 1; i >= 0; i--) {
        if (line.startsWith(waiting[i].prefix)) waiting.splice(i, 1)[0].resolve(line);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  const exited = new Promise<NodeJS.Signals | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0 || signal !== null) resolve(signal);
      else reject(new Error(`limit child ${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
  return {
    process: child,
    lines,
    exited,
    line(prefix) {
      const seen = lines.find((l) => l.startsWith(prefix));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiting.push({ prefix, resolve });
        exited.then(() => reject(new Error(`limit child exited without printing \`${prefix}\`:\n${lines.join('\n')}\n${stderr}`)), reject);
      });
    },
  };
}
