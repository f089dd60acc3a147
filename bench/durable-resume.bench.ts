// Durable runs, resume (issue 9): a recorded run of 100K tasks with 50K succeeded, resumed from its
// SQLite file. Metrics: wf.start → the first task started again (target ≤ 1 s), and within it the
// store's beginRun (reading the recorded run back) and the engine's part (digest, restore, begin).
// The timed call is one resume followed by a drain (which leaves the run as it found it).
import { resumeFixture } from './durable/resume.js';
import type { BenchCase, BenchSuite } from './types.js';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function resumeCase(): BenchCase {
  const metrics: Record<string, number> = {};
  let fixture: Awaited<ReturnType<typeof resumeFixture>> | undefined;
  const firstStart: number[] = [];
  const beginRun: number[] = [];
  return {
    name: 'resume tasks=100000 finished=50000',
    minSamples: 3,
    timeMs: 1,
    metrics: { weft: metrics },
    variants: {
      weft: async () => {
        fixture ??= await resumeFixture(50_000);
        const { startMs, beginRunMs } = await fixture.resume();
        firstStart.push(startMs);
        beginRun.push(beginRunMs);
        metrics.msToFirstStart = median(firstStart);
        metrics.msInBeginRun = median(beginRun);
        metrics.msInEngine = median(firstStart.map((t, k) => t - beginRun[k]));
      },
    },
  };
}

const suite: BenchSuite = {
  name: 'durable-resume',
  async cases(wanted) {
    const c = resumeCase();
    return wanted(c.name) ? [c] : [];
  },
};

export default suite;
