// Durable runs, memory side (issue 9, item 6): one run streaming 100K and 1M dynamic tasks
// through itself with archival on (`archiveAfterMs: 0`, at most 10K unfinished at once). The
// metrics are the heap growth after each stream, with the run still held, and their ratio (the
// target: 1M / 100K ≤ 1.2, a flat heap); the timed call streams 100K tasks.
import { streamHeap } from './durable/heap.js';
import type { BenchCase, BenchSuite } from './types.js';

function heapCase(): BenchCase {
  const metrics: Record<string, number> = {};
  let measured = false;
  return {
    name: 'archival stream tasks=100000 (heap: 100K vs 1M)',
    opsPerCall: 100_000,
    minSamples: 3,
    timeMs: 1,
    metrics: { weft: metrics },
    variants: {
      weft: async () => {
        if (!measured) {
          measured = true;
          const small = await streamHeap(100_000);
          const large = await streamHeap(1_000_000);
          metrics.heapMBAfter100K = small / 2 ** 20;
          metrics.heapMBAfter1M = large / 2 ** 20;
          // Growth below a megabyte is noise around zero: the ratio is taken against at least 1 MB.
          metrics.ratio1MOver100K = Math.max(large, 2 ** 20) / Math.max(small, 2 ** 20);
          const kept = await streamHeap(100_000, { archiveAfterMs: undefined }, 200_000);
          metrics.heapMBAfter100KWithoutArchival = kept / 2 ** 20;
        }
        await streamHeap(100_000);
      },
    },
  };
}

const suite: BenchSuite = {
  name: 'durable-heap',
  async cases(wanted) {
    const cases: BenchCase[] = [];
    const c = heapCase();
    if (wanted(c.name)) cases.push(c);
    return cases;
  },
};

export default suite;
