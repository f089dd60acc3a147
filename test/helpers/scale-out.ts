// The set-up every scale-out test file shares: a real redis-server for the file and the `weft
// worker` processes its tests start, all stopped after it.
import { afterAll, beforeAll } from 'vitest';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import { tempDir } from './temp-dir.js';
import { AGENTS, startWorkerProcess, type WorkerProcess } from './weft-workers.js';

/** What {@link useScaleOut} gives a test file. */
export interface ScaleOut {
  /** The file's redis-server (started before its first test). */
  readonly redis: RedisServer;
  /** Starts `weft worker` processes on `queue` (stopped after the file's tests). */
  workers(count: number, queue: string, extra?: readonly string[], agents?: string): Promise<WorkerProcess[]>;
  /** A fresh queue name. */
  queue(): string;
  /** A temp dir for the file, removed after it. */
  readonly tmp: ReturnType<typeof tempDir>;
}

/**
 * Registers the hooks of a scale-out test file: a real redis-server before its tests, and after
 * them every worker process started through it killed, the server stopped, the temp dir removed.
 * Call inside a `describe.skipIf(redisOrSkip())` block.
 */
export function useScaleOut(name: string): ScaleOut {
  let redis: RedisServer | undefined;
  const started: WorkerProcess[] = [];
  const tmp = tempDir(`weft-${name}-`);
  let n = 0;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(started.map((w) => w.kill()));
    await redis?.stop();
    tmp.remove();
  });
  return {
    get redis() {
      if (redis === undefined) throw new Error('the redis-server is not started yet (use it inside a test)');
      return redis;
    },
    async workers(count, queue, extra = [], agents = AGENTS) {
      const more = await Promise.all(Array.from({ length: count }, () => startWorkerProcess(redis!.url, queue, extra, agents)));
      started.push(...more);
      return more;
    },
    queue: () => `${name}-${process.pid}-${++n}`,
    tmp,
  };
}
