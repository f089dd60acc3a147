// The coordinator of the scale-out example (`node examples/scale-out/coordinator.mjs REDIS QUEUE`):
// 40 research tasks and a writer that reads them all, run on whichever `weft worker` processes
// serve QUEUE. weft keeps the DAG, priorities, retries and timeouts here; the store records it.
import { bullmqExecutor, openStore, workflow } from '../../dist/index.js';
import { agents, rateLimits } from './agents.mjs';

const [connection = 'redis://127.0.0.1:6379', queue = 'crew'] = process.argv.slice(2);
const executor = bullmqExecutor({ connection, queue });
const store = openStore({ path: 'scale-out.db' });
const wf = workflow({ name: 'scale-out', executor, agents, store, rateLimits });
const ids = [];
for (let i = 0; i < 40; i++) {
  ids.push(`q${i}`);
  wf.task({ id: `q${i}`, agent: 'research', input: { question: `question ${i}` }, retry: { maxAttempts: 3 }, timeoutMs: 10_000 });
}
wf.task({ id: 'report', agent: 'write', input: { notes: ids.map((id) => ({ $ref: id })) } });
const result = await wf.run({ runId: `scale-out-${Date.now()}` });
const { workers } = result.output('report') ?? {};
console.log(`${result.status}: ${result.counts.succeeded} tasks in ${Math.round(result.durationMs)} ms on ${workers} worker(s)`);
await executor.close();
store.close();
