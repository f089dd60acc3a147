// Waiting between HTTP retries, shared by the embeddings and chat-completions clients: a plain
// abortable timer (the precise sleep driver would spin for waits that need no precision) and the
// `Retry-After` header in both of its forms.

/** Resolves after `ms` (a plain timer), or rejects with `signal.reason` when it aborts first. */
export function waitMs(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A `Retry-After` header in ms: delay-seconds (`"30"`, `"1.5"`) or an HTTP date (counted from
 * `Date.now()`, 0 when past); `undefined` when absent or unreadable.
 */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
