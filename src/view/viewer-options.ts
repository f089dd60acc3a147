// The options of serveViewer, their defaults and their validation.

import { checkInteger, expectedMessage } from '../internal/validate.js';

/** Options of {@link serveViewer}. */
export interface ViewerOptions {
  /** The run store's file (written by `openStore({ path })`); opened read-only, never created. */
  readonly path: string;
  /** The TCP port. @default 0 (a free port the system picks; the returned `url` has it) */
  readonly port?: number;
  /**
   * The address to bind. Anything but a loopback address makes the store's runs, outputs and
   * errors readable by whoever can reach it.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /** How often the server looks for new commits to the store while a page watches, ms. @default 250 */
  readonly pollMs?: number;
  /** Runs listed (the newest). @default 200 */
  readonly maxRuns?: number;
  /** Tasks shown of one run (in id order). @default 5000 */
  readonly maxTasks?: number;
  /** Events of a run's log shown (the last ones). @default 500 */
  readonly maxEvents?: number;
  /** Aborting it stops the server, as `close()` does. @default none */
  readonly signal?: AbortSignal;
}

/** The defaults of {@link ViewerOptions}. */
export const DEFAULT_VIEWER_OPTIONS = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  pollMs: 250,
  maxRuns: 200,
  maxTasks: 5000,
  maxEvents: 500,
});

/** Options after defaults and validation. */
export type ResolvedViewerOptions = Readonly<Required<Omit<ViewerOptions, 'signal'>>> & { readonly signal?: AbortSignal };

/**
 * Applies the defaults and validates.
 * @throws TypeError/RangeError naming the bad option.
 */
export function resolveViewerOptions(options: ViewerOptions): ResolvedViewerOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object with a `path`', options));
  if (typeof options.path !== 'string' || options.path === '') throw new TypeError(expectedMessage('path', 'a non-empty file path', options.path));
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ViewerOptions;
  const o = { ...DEFAULT_VIEWER_OPTIONS, ...defined };
  checkInteger('port', o.port, 0, 65535);
  if (typeof o.host !== 'string' || o.host === '') throw new TypeError(expectedMessage('host', 'a non-empty host name or address', o.host));
  checkInteger('pollMs', o.pollMs, 10);
  checkInteger('maxRuns', o.maxRuns, 1);
  checkInteger('maxTasks', o.maxTasks, 1);
  checkInteger('maxEvents', o.maxEvents, 0);
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new TypeError(expectedMessage('signal', 'an AbortSignal', o.signal));
  return Object.freeze(o);
}
