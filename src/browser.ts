/**
 * weft for browsers, and the export list both entries share (index.ts adds the Node-only
 * replay pieces to it): kernels, codec, graphs, the task engine, and the memory store with its
 * in-memory backend (SQLite and hnswlib-wasm load only in Node, on demand; without them recall
 * stays exact). `readTrace` reads files only when called. Bundlers pick this entry through the
 * package's `browser` export condition.
 *
 * Every export is listed here explicitly; anything not listed is internal.
 *
 * @packageDocumentation
 */

export {
  WeftError,
  DimensionMismatchError,
  CycleDetectedError,
  WasmUnavailableError,
  WasmTrapError,
  BufferTooSmallError,
  BufferFreedError,
  EncodeUnsupportedError,
  DecodeInvalidError,
  TraceInvalidError,
  TaskTimeoutError,
  TaskCancelledError,
  RateLimitError,
  NonRetryableError,
  DependencyFailedError,
  QueueFullError,
  InvalidStateError,
  isWeftError,
} from './errors.js';
export type { WeftErrorCode } from './errors.js';

export { initKernels, getKernels, kernelInfo, loadWeftModule, AUTO_BACKENDS, AUTO_CODEC_OPS } from './kernels/index.js';
export type { InitKernelsOptions, KernelInfo, Kernels, KernelFamily, FamilyBackend, BackendChoice } from './kernels/index.js';
export { createTsKernels } from './kernels/ts/index.js';
export { createWasmKernels } from './kernels/wasm/index.js';
export { wasmUnsupportedReason } from './kernels/wasm/load.js';
export type { WasmSource } from './kernels/wasm/load.js';
export type {
  BackendName,
  Metric,
  F32Buffer,
  F32Input,
  VectorKernels,
  CsrGraph,
  GraphKernels,
  CodecKernels,
  KernelMemory,
  KernelSet,
} from './kernels/types.js';

export { buildCsr, csrFromDependencies, reverseCsr, criticalPath, MAX_NODES } from './graph/csr.js';
export type { IdGraph, EdgeList } from './graph/csr.js';
export { parseTrace, readTrace } from './graph/wfcommons.js';
export type { WorkflowTrace } from './graph/wfcommons.js';

export { createCodec, encode, decode } from './codec/index.js';
export type { Codec } from './codec/index.js';
export { MsgpackExt } from './codec/ext.js';
export type { Extension } from './codec/ext.js';
export { DEFAULT_CODEC_OPTIONS } from './codec/options.js';
export type { CodecOptions, EncodeOptions, DecodeOptions, Int64Mode, ResolvedCodecOptions } from './codec/options.js';


export {
  createMemory,
  Memory,
  DEFAULT_MEMORY_OPTIONS,
  runMemory,
  createHashingEmbedder,
  DEFAULT_HASHING_EMBEDDER_OPTIONS,
  createOpenAIEmbedder,
  DEFAULT_OPENAI_EMBEDDER_OPTIONS,
  embedderFromFunction,
  DEFAULT_HNSW_PARAMS,
  RRF_K,
  MEMORY_SCOPES,
  DEFAULT_HYBRID_OPTIONS,
} from './memory/index.js';
export type {
  CreateMemoryOptions,
  RunMemory,
  RememberOutputOptions,
  HashingEmbedderOptions,
  OpenAIEmbedder,
  OpenAIEmbedderOptions,
  Embedder,
  EmbedFunction,
  TermStatistics,
  HybridOptions,
  HnswParams,
  MemoryScope,
  MemoryItem,
  MemoryFilter,
  MemoryMetadata,
  FilterValue,
  MemorySelector,
  RecallMode,
  RecallOptions,
  RecallResult,
  RememberInput,
  RememberOptions,
  ListOptions,
  SearchPath,
} from './memory/index.js';
export { EmbedderMismatchError, InvalidFilterError, EmptyTextError, EmbeddingFailedError } from './errors.js';

export { workflow, Workflow, RunHandle, DEFAULT_WORKFLOW_OPTIONS } from './workflow/index.js';
export type {
  WorkflowOptions,
  RunOptions,
  TaskSpec,
  TaskFn,
  TaskInput,
  TaskContext,
  TaskStatus,
  TaskResult,
  RunResult,
  RunStatus,
  RunMetrics,
  WorkflowEvent,
  WorkflowEventType,
  WorkflowListener,
  SpanTracer,
  Timeline,
  TimelineEntry,
  HookControl,
  CompleteHook,
  Recorder,
} from './workflow/index.js';
export { inProcessExecutor } from './executors/in-process.js';
export type { Executor, Attempt } from './executors/executor.js';
export type { TaskPool } from './executors/task-pool.js';
export { defineRateLimit, getRateLimiter, RateLimiter } from './scheduler/rate-limiter.js';
export type { RateLimitOptions, RateLimiterState } from './scheduler/rate-limiter.js';
export { defaultRetryOn } from './scheduler/retry.js';
export type { RetryPolicy } from './scheduler/retry.js';
export type { HistogramSummary } from './observe/histogram.js';

// --- web workers ---
export { createWebWorkerPool, WebWorkerPool, DEFAULT_WEB_WORKER_POOL_OPTIONS } from './executors/web-worker-pool.js';
export type { WebWorkerPoolOptions, WebWorkerPoolStats, WebWorkerDispatch } from './executors/web-worker-pool.js';
