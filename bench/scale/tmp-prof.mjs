import { spawn } from 'node:child_process';
import { bullmqExecutor, workflow } from '../../dist/index.js';
import { agents } from './agents.mjs';
const url = process.argv[2];
const ex = bullmqExecutor({ connection: url, queue: 'p' }); await ex.ready();
const N = 4000;
const wf = workflow({ executor: ex, agents }); for (let n = 0; n < N; n++) wf.task({ id: `t${n}`, agent: 'inc', input: n });
for (let r = 0; r < 6; r++) { const t0 = performance.now(); await wf.run(); console.log((N / (performance.now() - t0) * 1000).toFixed(0)); }
await ex.close();
