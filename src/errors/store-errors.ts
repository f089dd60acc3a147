// The errors of the durable run store (src/store): a file it cannot use, a run it cannot take.

import { WeftError } from './weft-error.js';

/** The file is not a readable SQLite database (garbage bytes, a truncated or damaged page). */
export class StoreCorruptError extends WeftError {
  /** The database file. */
  readonly path: string;

  /**
   * @param path - the file
   * @param problem - what SQLite reported
   * @param options - `cause`: SQLite's error
   */
  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super('STORE_CORRUPT', `run store ${path}: the file is not a usable SQLite database (${problem}); it was left as it is`, options);
    this.path = path;
  }
}

/** The file is a SQLite database of something else: it has tables but no weft run-store metadata. */
export class StoreForeignError extends WeftError {
  /** The database file. */
  readonly path: string;
  /** Some of the tables found (at most 5). */
  readonly tables: readonly string[];

  /**
   * @param path - the file
   * @param tables - the tables it holds
   */
  constructor(path: string, tables: readonly string[]) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', ...' : '');
    super('STORE_FOREIGN', `run store ${path}: the file is a SQLite database of something else (tables: ${shown}), not a weft run store; it was left as it is`);
    this.path = path;
    this.tables = tables.slice(0, 5);
  }
}

/** The file was written by a newer weft (a schema version this one does not know), or needs a migration a read-only store cannot run. */
export class StoreVersionError extends WeftError {
  /** The database file. */
  readonly path: string;
  /** The file's schema version. */
  readonly found: number;
  /** The version this weft reads and writes. */
  readonly supported: number;

  /**
   * @param path - the file
   * @param found - its schema version
   * @param supported - ours
   * @param why - what stops us
   */
  constructor(path: string, found: number, supported: number, why = 'written by a newer weft') {
    super('STORE_VERSION', `run store ${path}: schema version ${found}, this weft supports version ${supported} (${why})`);
    this.path = path;
    this.found = found;
    this.supported = supported;
  }
}

/** Another connection holds the database locked longer than `busyTimeoutMs`. */
export class StoreLockedError extends WeftError {
  /** The database file. */
  readonly path: string;

  /**
   * @param path - the file
   * @param doing - what the store was doing, e.g. `opening the file`
   * @param busyTimeoutMs - how long it waited
   * @param options - `cause`: SQLite's error
   */
  constructor(path: string, doing: string, busyTimeoutMs: number, options?: { cause?: unknown }) {
    super('STORE_LOCKED', `run store ${path}: the database is locked by another connection (waited ${busyTimeoutMs} ms while ${doing})`, options);
    this.path = path;
  }
}

/**
 * A value the store could not encode (a function, an unregistered class instance inside a task's
 * output): the task is recorded as it ended, without that value, and this error takes its place
 * in the task's `error`.
 */
export class StoreEncodeError extends WeftError {
  /** The run. */
  readonly runId: string;
  /** The task whose value it was. */
  readonly taskId: string | undefined;

  /**
   * @param runId - the run
   * @param taskId - the task
   * @param what - which value, e.g. `output`
   * @param options - `cause`: the codec's `ENCODE_UNSUPPORTED` error
   */
  constructor(runId: string, taskId: string | undefined, what: string, options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super('STORE_ENCODE', `run \`${runId}\`${taskId === undefined ? '' : ` task \`${taskId}\``}: the ${what} cannot be stored${reason}`, options);
    this.runId = runId;
    this.taskId = taskId;
  }
}

/** The run is being run by another live process (or another store, or the same one twice). */
export class RunLeasedError extends WeftError {
  /** The run. */
  readonly runId: string;
  /** The database file. */
  readonly path: string;
  /** The lease's holder: `host:pid:instance`. */
  readonly holder: string;

  /**
   * @param runId - the run
   * @param path - the file
   * @param holder - who holds the lease
   * @param ageMs - how long ago the holder last renewed it
   */
  constructor(runId: string, path: string, holder: string, ageMs: number) {
    super('RUN_LEASED', `run \`${runId}\` in ${path} is held by ${holder} (lease renewed ${Math.round(ageMs)} ms ago)`);
    this.runId = runId;
    this.path = path;
    this.holder = holder;
  }
}

/** No run with that id is recorded in the store. */
export class RunNotFoundError extends WeftError {
  /** The run asked for. */
  readonly runId: string;
  /** The database file. */
  readonly path: string;

  /**
   * @param runId - the run
   * @param path - the file
   */
  constructor(runId: string, path: string) {
    super('RUN_NOT_FOUND', `run \`${runId}\` is not recorded in ${path}`);
    this.runId = runId;
    this.path = path;
  }
}
