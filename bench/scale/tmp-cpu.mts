import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { bullmqExecutor, workflow } from '../../dist/index.js';
import { startNodeProcess, startWorkerProcess } from '../../test/helpers/weft-workers.js';
import { startRedis } from '../../test/support/redis-server.js';
import { agents } from './agents.mjs';
const AGENTS = fileURLToPath(new URL('./agents.mjs', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-worker.mjs', import.meta.url));
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const redis = await startRedis();
const N = 4000;
const ww = [await startWorkerProcess(redis.url, 'w', [], AGENTS), await startWorkerProcess(redis.url, 'w', [], AGENTS)];
const bw = [await startNodeProcess([BARE, redis.url, 'b']), await startNodeProcess([BARE, redis.url, 'b'])];
const ex = bullmqExecutor({ connection: redis.url, queue: 'w' }); await ex.ready();
const wf = workflow({ executor: ex, agents }); for (let n = 0; n < N; n++) wf.task({ id: `t${n}`, agent: 'inc', input: n });
const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
const q = new Queue('b', { connection }); const ev = new QueueEvents('b', { connection: { url: redis.url } as never }); await ev.waitUntilReady();
let left = 0; let done = () => {}; ev.on('completed', () => { if (--left === 0) done(); });
const bare = async () => { const p = new Promise<void>((r) => { left = N; done = r; }); await q.addBulk(Array.from({ length: N }, (_, n) => ({ name: 'j', data: { n }, opts: { removeOnComplete: true } }))); await p; };
for (let round = 0; round < 3; round++) {
  for (const [name, fn, pids] of [['weft', () => wf.run(), ww.map((w) => w.pid)], ['bare', bare, bw.map((w) => w.pid)]] as const) {
    const c0 = process.cpuUsage(); const w0 = pids.map(cpu); const r0 = cpu(redis.pid); const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0; const c = process.cpuUsage(c0);
    console.log(name, (N / ms * 1000).toFixed(0), 'tasks/s', 'coord µs/task', ((c.user + c.system) / N).toFixed(0), 'workers µs/task', pids.map((p, k) => ((cpu(p) - w0[k]) * 1000 / N).toFixed(0)).join('+'), 'redis µs/task', ((cpu(redis.pid) - r0) * 1000 / N).toFixed(0));
  }
}
await ex.close(); await q.close(); await ev.close(); await connection.quit();
for (const w of [...ww, ...bw]) await w.stop();
await redis.stop();
