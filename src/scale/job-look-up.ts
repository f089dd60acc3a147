// Where a coordinator's jobs stand in Redis, read straight from their hashes in one pipeline:
// what the coordinator needs when it may have missed events (its stream was trimmed, Redis
// restarted, it resumed after a crash) to settle finished jobs and add lost ones again. And the
// reports a worker sent with a job's progress, made on the attempt's context.

import type { TaskContext } from '../workflow/types.js';
import { unpack, type RemoteReport } from './job-protocol.js';
import type { RedisClient } from './redis-connection.js';

/** Where one job stands. */
export type JobState =
  | { readonly state: 'finished'; readonly returnvalue: unknown }
  | { readonly state: 'failed'; readonly reason: string }
  /** Not in Redis: lost with a restart (or never added). */
  | { readonly state: 'missing' }
  /** Waiting or running. */
  | { readonly state: 'out' };

/** The states of jobs `ids` of the queue whose keys start with `base` (`prefix:queue:`); `undefined` when Redis could not be read. */
export async function lookUpJobs(client: RedisClient, base: string, ids: readonly string[]): Promise<(JobState | undefined)[] | undefined> {
  const pipe = client.pipeline();
  // Small fields only: `timestamp` tells that the job exists (its data can be large).
  for (const id of ids) pipe.hmget(base + id, 'finishedOn', 'returnvalue', 'failedReason', 'timestamp');
  let rows: [Error | null, unknown][] | null;
  try {
    rows = await pipe.exec();
  } catch {
    return undefined;
  }
  if (rows === null) return undefined;
  return rows.map(([error, row]) => {
    if (error !== null) return undefined;
    const [finishedOn, returnvalue, failedReason, timestamp] = row as (string | null)[];
    if (finishedOn !== null && failedReason !== null) return { state: 'failed', reason: failedReason };
    if (finishedOn !== null && returnvalue !== null) return { state: 'finished', returnvalue: JSON.parse(returnvalue) as unknown };
    if (timestamp === null) return { state: 'missing' };
    return { state: 'out' };
  });
}

/** Makes a worker's reports (a job's progress data) on the attempt's context. */
export function applyReports(ctx: TaskContext, data: unknown): void {
  if (typeof data !== 'string') return;
  let reports: RemoteReport[];
  try {
    reports = unpack(data) as RemoteReport[];
  } catch {
    return;
  }
  for (const r of reports) {
    try {
      if (r.t === 'heartbeat') ctx.heartbeat(r.progress);
      else if (r.t === 'tokens') ctx.reportTokens(r.n);
      else if (r.t === 'bytes') ctx.reportBytes(r.n);
      else if (r.t === 'usage') ctx.reportUsage(r.usage);
      else if (r.t === 'stream') ctx.stream(r.delta);
      // The worker journaled the step in Redis; the coordinator's store journals it too (its value is the fn's).
      else if (r.t === 'step') ctx.step(r.key, () => r.value).catch(() => {});
    } catch {
      // A report the engine refuses now (the attempt is over) has nowhere to go.
    }
  }
}
