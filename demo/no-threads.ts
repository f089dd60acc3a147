// Stands in for weft's worker-thread pool (dist/executors/worker-pool.js: piscina, node:fs) in
// the demo's bundle. The engine imports that pool only for a `worker` task in a workflow without
// a `workerPool`; every workflow of the demo passes its Web Worker pool, so this never runs.
export function defaultWorkerPool(): never {
  throw new Error('worker threads are Node-only: pass a Web Worker pool as workflow({ workerPool: createWebWorkerPool().workerPool })');
}
