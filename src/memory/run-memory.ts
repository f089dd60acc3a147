import { expectedMessage } from '../internal/validate.js';
import type { Memory } from './memory.js';
import type { MemoryItem, MemoryMetadata, MemoryScope, RecallOptions, RecallResult, RememberInput, RememberOptions } from './types.js';

/** Options of {@link RunMemory.rememberOutput}. */
export interface RememberOutputOptions {
  /** @default 'short-term' */
  readonly scope?: MemoryScope;
  /** Extra metadata. @default {} */
  readonly metadata?: MemoryMetadata;
  /** Aborts the embedding. */
  readonly signal?: AbortSignal;
}

/**
 * A memory as one run's tasks and agents see it (what a task context carries): `remember`
 * defaults to the run's short-term scope, and `recall` without a scope sees long-term and entity
 * items plus this run's short-term items, never another run's.
 */
export interface RunMemory {
  /** The run. */
  readonly runId: string;
  /** The underlying memory. */
  readonly memory: Memory;
  /** Like {@link Memory.remember}, with `scope: 'short-term'` and this `runId` by default. */
  remember(input: RememberInput, options?: RememberOptions): Promise<MemoryItem>;
  /** Like {@link Memory.recall}, restricted to what this run may see. */
  recall(query: string, options?: RecallOptions): Promise<RecallResult[]>;
  /**
   * Stores a task's output (a string, or JSON for anything else) with metadata
   * `{ kind: 'task-output', taskId }`: the opt-in for tasks that want their results remembered.
   */
  rememberOutput(taskId: string, output: unknown, options?: RememberOutputOptions): Promise<MemoryItem>;
  /** Deletes this run's short-term items (the run has ended). Returns how many. */
  end(): number;
}

/** The view of `memory` for run `runId`. */
export function runMemory(memory: Memory, runId: string): RunMemory {
  if (typeof runId !== 'string' || runId === '') throw new TypeError(expectedMessage('runId', 'a non-empty string', runId));
  return Object.freeze({
    runId,
    memory,
    remember: (input: RememberInput, options: RememberOptions = {}) => memory.remember(input, { runId, ...options }),
    async recall(query: string, options: RecallOptions = {}) {
      if (options.scope !== undefined) {
        const runScoped = options.scope === 'short-term' ? { runId } : {};
        return memory.recall(query, { ...options, ...runScoped });
      }
      // One ranking over what the run may see (for hybrid: one fusion, so each scope's first
      // item does not score the same however weak it is).
      return memory.recallAmong(query, [{ ...options, scope: 'short-term', runId }, { ...options, scope: 'long-term' }, { ...options, scope: 'entity' }], options);
    },
    rememberOutput(taskId: string, output: unknown, options: RememberOutputOptions = {}) {
      const text = typeof output === 'string' ? output : JSON.stringify(output);
      const metadata = { ...(options.metadata ?? {}), kind: 'task-output', taskId };
      return memory.remember({ text: text ?? String(output), metadata }, { runId, scope: options.scope ?? 'short-term', signal: options.signal });
    },
    end: () => memory.endRun(runId),
  });
}
