// What crosses between a Web Worker pool (the page) and its workers. Errors travel as plain data
// (worker-protocol.ts's toPlainError), so a task's `code` and fields survive structured clone.

import type { PlainError } from './worker-protocol.js';

/** Page → worker, once, right after the worker starts: the compiled module to instantiate. */
export interface WebWorkerInit {
  readonly t: 'init';
  /** weft's compiled WebAssembly module, or `undefined` for the TS kernels. */
  readonly wasm: WebAssembly.Module | undefined;
}

/** Page → worker: one task attempt. */
export interface WebWorkerJob {
  readonly t: 'task';
  /** The module's absolute URL. */
  readonly module: string;
  readonly export: string;
  readonly input: unknown;
  readonly runId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly runInput: unknown;
  readonly deadline: number | undefined;
}

/** Worker → page. */
export type WebWorkerMessage =
  | { readonly t: 'ready'; readonly backend: 'wasm' | 'ts'; readonly reason?: string }
  | { readonly t: 'heartbeat'; readonly progress: unknown }
  | { readonly t: 'tokens'; readonly tokens: number }
  | { readonly t: 'done'; readonly ok: true; readonly value: unknown; readonly activeMs: number }
  | { readonly t: 'done'; readonly ok: false; readonly error: PlainError; readonly activeMs: number };
