// The store's SQLite connection as its public types show it: the part of better-sqlite3's
// Database a `transaction` callback needs, declared here so that weft's published types do not
// depend on @types/better-sqlite3 (a development dependency). The object passed is the real
// better-sqlite3 Database.

/** A prepared statement of the store's connection (better-sqlite3's `Statement`). */
export interface StoreStatement {
  /** Runs the statement; returns the rows it changed and the last inserted rowid. */
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  /** The first row, or `undefined`. */
  get(...params: unknown[]): unknown;
  /** Every row. */
  all(...params: unknown[]): unknown[];
}

/** The store's connection (better-sqlite3's `Database`), as `store.transaction`'s callback receives it. */
export interface StoreDatabase {
  /** Prepares `sql`. */
  prepare(sql: string): StoreStatement;
  /** Runs one or more statements without results. */
  exec(sql: string): unknown;
  /** Runs a PRAGMA; `simple` returns the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** Wraps `fn` in a transaction (a savepoint when nested): call the result to run it. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  /** Whether a transaction is open on the connection. */
  readonly inTransaction: boolean;
}
