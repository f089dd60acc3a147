// Not a suite: a loop to profile the durable cases with `node --cpu-prof`, e.g.
//   node --import tsx --cpu-prof --cpu-prof-dir=DIR bench/durable/profile.ts noop
//   node --import tsx --cpu-prof --cpu-prof-dir=DIR bench/durable/profile.ts resume
// `noop`: six recorded 100K-task no-op runs (retention keeping one), with the store's record()
// and the whole run in wall and CPU ms; `resume`: five resumes of the resume bench's fixture.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import { workflow } from '../../src/workflow/index.js';
import { resumeFixture } from './resume.js';

const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

async function noop(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-profile-'));
  const store = openStore({ path: join(dir, 'runs.db'), retention: { maxRuns: 1 } });
  let recordMs = 0;
  let recordCpu = 0;
  const recorder = {
    record: (batch: Parameters<typeof store.record>[0]) => {
      const t = performance.now();
      const c = cpuMs();
      store.record(batch);
      recordCpu += cpuMs() - c;
      recordMs += performance.now() - t;
    },
  };
  const wf = workflow({ name: 'bench', recorders: [recorder] });
  for (let i = 0; i < 100_000; i++) wf.task({ id: `t${i}`, run: () => i });
  for (let k = 0; k < 6; k++) {
    const runId = `r${k}`;
    recordMs = recordCpu = 0;
    const c0 = cpuMs();
    const t0 = performance.now();
    store.beginRun(runId, { workflow: 'bench', definitionHash: 'h', definition: {}, input: undefined });
    const result = await wf.run({ runId });
    const t1 = performance.now();
    store.endRun(runId);
    const t2 = performance.now();
    console.log(`${result.status}: run ${(t1 - t0).toFixed(0)} ms (record ${recordMs.toFixed(0)}, CPU ${recordCpu.toFixed(0)}), endRun ${(t2 - t1).toFixed(0)} ms, CPU in all ${(cpuMs() - c0).toFixed(0)} ms`);
  }
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

async function resume(): Promise<void> {
  const fixture = await resumeFixture(50_000);
  for (let k = 0; k < 5; k++) {
    const { startMs, beginRunMs } = await fixture.resume();
    console.log(`first task started after ${startMs.toFixed(0)} ms (beginRun ${beginRunMs.toFixed(0)} ms)`);
  }
  fixture.dispose();
}

const mode = process.argv[2];
if (mode === 'noop') await noop();
else if (mode === 'resume') await resume();
else console.error('usage: bench/durable/profile.ts noop|resume');
