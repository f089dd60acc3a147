// One shard of a parallel vector scan, in a worker thread. The rows are read from the shared
// matrix once and kept in a kernel buffer (in WASM linear memory with the WASM backend), so the
// scans after the first read no shared memory at all: copying a 77 MB shard costs about as much
// as scanning it, which would eat the speed-up of scanning on two threads.

import type { Kernels } from '../kernels/index.js';
import type { F32Buffer } from '../kernels/types.js';
import type { ScanJob, ScanOutcome } from './worker-protocol.js';

/** Bytes of shard copies a thread keeps (least recently used beyond it are freed). */
const CACHE_BYTES = 1 << 30;

const cache = new Map<string, F32Buffer>();
let cachedBytes = 0;

function shardBuffer(job: ScanJob, kernels: Kernels): F32Buffer {
  const key = `${job.key}:${job.start}:${job.rows}`;
  const hit = cache.get(key);
  if (hit !== undefined && !hit.freed) {
    cache.delete(key);
    cache.set(key, hit); // most recently used last
    return hit;
  }
  const length = job.rows * job.dim;
  const buffer = kernels.allocFloat32(length);
  buffer.array.set(new Float32Array(job.buffer, job.start * job.dim * 4, length));
  cache.set(key, buffer);
  cachedBytes += length * 4;
  for (const [k, b] of cache) {
    if (cachedBytes <= CACHE_BYTES || b === buffer) break;
    cache.delete(k);
    cachedBytes -= b.length * 4;
    b.free();
  }
  return buffer;
}

/** Scans rows `[start, start + rows)` of the shared matrix; returns the shard's top `k` with global row ids. */
export function scanShard(job: ScanJob, kernels: Kernels): ScanOutcome {
  const k = Math.min(job.k, job.rows);
  const ids = new Uint32Array(k);
  const scores = new Float32Array(k);
  if (k === 0) return { ids, scores };
  const n = kernels.vector.scanTopK(job.query, shardBuffer(job, kernels), job.metric, k, ids, scores);
  for (let r = 0; r < n; r++) ids[r] += job.start;
  return { ids: ids.subarray(0, n), scores: scores.subarray(0, n) };
}
