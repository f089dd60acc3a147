/**
 * weft: run agent workflows in parallel, reliably and fast, on a WebAssembly compute core.
 *
 * The Node entry: everything the browser entry exports (its explicit list, in browser.ts, is the
 * one place a shared export is named), plus what needs Node: `weft replay`'s pieces (precise
 * sleeps, the list-schedule simulation, summaries). Anything not listed is internal.
 *
 * @packageDocumentation
 */

export * from './browser.js';

export { replayTrace, replayDurations, DEFAULT_REPLAY_OPTIONS } from './replay/replay.js';
export type { ReplayOptions, ReplayProgress } from './replay/replay.js';
export { simulate, ancestorLowerBound, lookaheadPriority, DEFAULT_SIMULATE_OPTIONS, ANCESTOR_BOUND_MAX_NODES } from './replay/simulate.js';
export type { SimulateOptions, Simulation, ScheduledTask } from './replay/simulate.js';
export { makeSummary, formatSummary } from './replay/summary.js';
export type { ReplaySummary, SummaryInput, FormatSummaryOptions } from './replay/summary.js';
export { sleep, createSleepDriver } from './replay/precise-sleep.js';
export type { SleepDriver, SleepDriverHooks, SleepDriverStats } from './replay/precise-sleep.js';

// --- worker threads, resource pressure ---
export { WorkerMemoryExceededError, WorkerCrashedError, CpuQuotaExceededError } from './errors.js';
export { createWorkerPool, defaultWorkerPool, closeWorkers, WorkerPool, DEFAULT_WORKER_POOL_OPTIONS } from './executors/worker-pool.js';
export type { WorkerPoolOptions, PoolThread, LoopUtilization, ThreadSet } from './executors/worker-pool.js';
export { DEFAULT_WORKER_TASK_OPTIONS } from './executors/worker-options.js';
export type { WorkerTaskOptions, AttemptResources } from './executors/worker-options.js';
export { createSharedMatrix, SharedMatrix, parallelScan, mergeTopK } from './executors/worker-scan.js';
export type { ParallelScanOptions, ScanResult } from './executors/worker-scan.js';
export { createNodeSampler, watchResources, DEFAULT_PRESSURE_OPTIONS } from './observe/resource-monitor.js';
export type { PressureOptions, PressureState, ResourceSample, ResourceSampler } from './observe/resource-monitor.js';
