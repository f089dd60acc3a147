// A bare BullMQ worker process for the scale-out bench (`node bare-worker.mjs URL QUEUE`): the
// same trivial work as the weft worker's agent (n + 1, the time it ran), nothing of weft's.
import { Worker } from 'bullmq';
import IORedis from 'ioredis';

const [url, queue] = process.argv.slice(2);
const connection = new IORedis(url, { maxRetriesPerRequest: null });
const worker = new Worker(queue, async (job) => ({ n: job.data.n + 1, at: Date.now() }), { connection, concurrency: 50 });
await worker.waitUntilReady();
process.stdout.write(`weft worker bare:${process.pid}: queue ${queue}\n`);
process.once('SIGTERM', async () => {
  await worker.close();
  await connection.quit();
});
