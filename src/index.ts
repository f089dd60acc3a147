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

// --- agents: defineAgent, the registry, schemas (Standard Schema; JSON Schema export), budgets ---
export { defineAgent, checkBudget } from './agents/define-agent.js';
export type { Agent, AgentOptions, AgentContext, AgentWorker, Budget } from './agents/define-agent.js';
export { createAgentRegistry, AgentRegistry } from './agents/agent-registry.js';
export type { AgentMetrics } from './agents/agent-registry.js';
export { validateSchema, toJsonSchema, isStandardSchema, checkStandardSchema } from './agents/schema.js';
export type { JsonSchema, JsonSchemaOptions } from './agents/schema.js';
export { SchemaInvalidError, JsonSchemaUnsupportedError, AgentDuplicateError, AgentUnknownError, BudgetExceededError } from './errors.js';
export type { SchemaIssue, SchemaSubject } from './errors.js';
export type { AgentTaskSpec, Usage, RunUsage } from './workflow/index.js';

// --- tools: defineTool, the guarded tool executor, MCP tools ---
export { defineTool, TOOL_NAME_PATTERN } from './tools/define-tool.js';
export { createToolExecutor } from './tools/tool-executor.js';
export { DEFAULT_TOOL_EXECUTOR_OPTIONS, DEFAULT_TOOL_CACHE_OPTIONS } from './tools/executor-options.js';
export type { ToolExecutorOptions, ToolCacheOptions } from './tools/executor-options.js';
export { argsDigest, stableSerialize } from './tools/args-digest.js';
export type { Tool, ToolDefinition, ToolContext, ToolCacheSetting, ToolInfo, ToolExecutor, ToolSession, ToolSessionOptions, ToolCacheStats } from './tools/types.js';
export { ToolError, McpFailedError } from './errors.js';
export type { ToolErrorCode, ToolIssue } from './errors.js';
export { mcpTools } from './tools/mcp-tools.js';
export type { McpStdioServer, McpHttpServer, McpToolsOptions, McpToolSet } from './tools/mcp-tools.js';
export { McpToolResultError } from './errors.js';
export type { McpCallResult } from './errors.js';
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

// --- llm: the chat-completions client and the LLM agent loop ---
export { llmAgent, DEFAULT_LLM_AGENT_OPTIONS } from './llm/llm-agent.js';
export type { LlmAgentOptions } from './llm/llm-agent.js';
export { createChatClient, DEFAULT_CHAT_CLIENT_OPTIONS } from './llm/chat-client.js';
export type { ChatClient, ChatClientOptions, ChatCallOptions, ChatClientStats } from './llm/chat-client.js';
export type { ChatMessage, ChatToolCall, ChatToolDefinition, ChatCompletion, ChatRequest, ChatUsage } from './llm/messages.js';
export type { LlmInput, LlmPrices } from './llm/agent-loop.js';
export { LlmHttpError, LlmRateLimitedError, LlmBadResponseError, LlmMaxStepsError, LlmOutputInvalidError } from './errors.js';

// --- durable runs: resume, journaled steps, stalls, drain (the store itself: openStore) ---
export { WorkflowChangedError, TaskNotResumableError, NoStoreError, DuplicateStepError, TaskStalledError, RunInterruptedError } from './errors.js';
export type { DefinitionChanges } from './errors.js';
export type { StallAction, StepContext } from './workflow/index.js';
export type { DrainOptions } from './workflow/index.js';

// --- run store: the durable recorder on SQLite (runs, tasks, steps, events, retention) ---
export { openStore } from './store/open-store.js';
export type { RunStore } from './store/store-api.js';
export type { StoreDatabase, StoreStatement } from './store/store-database.js';
export { DEFAULT_STORE_OPTIONS } from './store/store-options.js';
export type { StoreOptions, RetentionOptions, ResolvedStoreOptions, PruneResult } from './store/store-options.js';
export { DEFAULT_QUERY_LIMIT } from './store/query-types.js';
export type { RunQuery, TaskQuery, RunSummary, StoredEvent } from './store/query-types.js';
export type { DurableStore, RecordedRun, RecordedTask, RecordedAddition, RecordedRunStatus, RunMeta } from './store/durable-store.js';

// Scale-out: BullMQ on Redis (bullmq and ioredis are optional peers, loaded on first use)
export { bullmqExecutor } from './scale/bullmq-executor.js';
export type { BullmqExecutor } from './scale/bullmq-executor.js';
export { DEFAULT_BULLMQ_EXECUTOR_OPTIONS } from './scale/executor-options.js';
export type { BullmqExecutorOptions } from './scale/executor-options.js';
export { startWorker, DEFAULT_WEFT_WORKER_OPTIONS } from './scale/bullmq-worker.js';
export type { WeftWorker, WeftWorkerOptions } from './scale/bullmq-worker.js';
export type { RedisConnection, RedisClientLike, RedisClientOptions } from './scale/redis-connection.js';
export { createRedisRateLimiter, RedisRateLimit } from './scale/redis-rate-limit.js';
export type { RedisRateLimitOptions, RedisRateLimiterState } from './scale/redis-rate-limit.js';
export { createRedisSemaphore, RedisSemaphore } from './scale/redis-semaphore.js';
export type { RedisSemaphoreOptions, SemaphoreLease } from './scale/redis-semaphore.js';
export { JobLostError, MissingPackageError, RedisUnavailableError, ConcurrencyLeaseLostError } from './errors.js';
export { StoreCorruptError, StoreForeignError, StoreVersionError, StoreLockedError, StoreEncodeError, RunLeasedError, RunNotFoundError } from './errors.js';
export type { StoreErrorCode } from './errors.js';

// --- weft view: the run store's runs in a local web page, live ---
export { serveViewer, VIEWER_HEADERS } from './view/serve-viewer.js';
export type { Viewer } from './view/serve-viewer.js';
export { DEFAULT_VIEWER_OPTIONS } from './view/viewer-options.js';
export type { ViewerOptions } from './view/viewer-options.js';
export { StoreMissingError, ViewerNotBuiltError } from './errors.js';
