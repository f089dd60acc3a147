// The options of openStore, their defaults and their validation (resolved once, then frozen).

import { checkInteger, checkOneOf, expectedMessage } from '../internal/validate.js';

/** Which finished runs the store deletes (with their tasks, steps, events and unshared blobs). */
export interface RetentionOptions {
  /** Delete finished runs that ended more than this many ms ago. @default none (kept whatever their age) */
  readonly maxAgeMs?: number;
  /** Keep at most this many finished runs (the newest); older ones are deleted. @default none (no limit) */
  readonly maxRuns?: number;
}

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** The database file (created when missing; its directory must exist). */
  readonly path: string;
  /**
   * A run's lease is taken over by another process once its holder has not renewed it for this
   * long. The holder renews it every third of this (an unref'd timer) and on every commit, so a
   * live process loses it only when its event loop stalls for two thirds of it. A holder on this
   * host whose process is gone is taken over at once, whatever the age.
   * @default 10000
   */
  readonly leaseTimeoutMs?: number;
  /** How long a write waits for another connection's lock before `STORE_LOCKED`. @default 5000 */
  readonly busyTimeoutMs?: number;
  /**
   * SQLite's `synchronous` in WAL mode. `normal`: a commit survives the process crashing, and an
   * OS crash or power loss may lose the last commits (never corrupts the file). `full`: an fsync per
   * commit, so it survives power loss too, at the cost of one fsync per batch.
   * @default 'normal'
   */
  readonly synchronous?: 'normal' | 'full';
  /** Encoded values (outputs, step results) up to this many bytes stay in their row; larger ones are stored once in `weft_blobs`, by content hash. @default 1024 */
  readonly inlineBytes?: number;
  /** Keep the append-only event log (one row per batch). @default true */
  readonly events?: boolean;
  /** Which finished runs to delete (checked when the store opens and when a run ends). @default {} (keep every run) */
  readonly retention?: RetentionOptions;
  /** Open an existing file for reading only (queries, the CLI): no run can begin. @default false */
  readonly readonly?: boolean;
}

/** The defaults of {@link StoreOptions}. */
export const DEFAULT_STORE_OPTIONS = Object.freeze({
  leaseTimeoutMs: 10_000,
  busyTimeoutMs: 5000,
  synchronous: 'normal' as 'normal' | 'full',
  inlineBytes: 1024,
  events: true,
  retention: Object.freeze({}) as RetentionOptions,
  readonly: false,
});

/** Options after defaults and validation. */
export type ResolvedStoreOptions = Readonly<Required<Omit<StoreOptions, 'retention'>>> & { readonly retention: RetentionOptions };

/**
 * Applies the defaults and validates.
 * @throws TypeError/RangeError naming the bad option.
 */
export function resolveStoreOptions(options: StoreOptions): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object with a `path`', options));
  if (typeof options.path !== 'string' || options.path === '') throw new TypeError(expectedMessage('path', 'a non-empty file path', options.path));
  if (options.path === ':memory:') throw new TypeError(expectedMessage('path', 'a file path (a durable store needs a file, not `:memory:`)', options.path));
  const o = { ...DEFAULT_STORE_OPTIONS, ...stripUndefined(options) };
  checkInteger('leaseTimeoutMs', o.leaseTimeoutMs, 1);
  checkInteger('busyTimeoutMs', o.busyTimeoutMs, 0);
  checkOneOf('synchronous', o.synchronous, ['normal', 'full']);
  checkInteger('inlineBytes', o.inlineBytes, 0);
  if (typeof o.events !== 'boolean') throw new TypeError(expectedMessage('events', 'a boolean', o.events));
  if (typeof o.readonly !== 'boolean') throw new TypeError(expectedMessage('readonly', 'a boolean', o.readonly));
  if (typeof o.retention !== 'object' || o.retention === null) throw new TypeError(expectedMessage('retention', 'an object', o.retention));
  const { maxAgeMs, maxRuns } = o.retention;
  if (maxAgeMs !== undefined) checkInteger('retention.maxAgeMs', maxAgeMs, 0);
  if (maxRuns !== undefined) checkInteger('retention.maxRuns', maxRuns, 0);
  return Object.freeze({ ...o, path: options.path, retention: Object.freeze({ ...o.retention }) });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
