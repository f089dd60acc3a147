// The fetch an MCP HTTP transport uses, aware of the call it runs for. The transport is shared
// by every tool of a server, so each call's scope travels with its async context
// (AsyncLocalStorage) down to fetch, which then (1) charges the call's meter with the body bytes
// sent and received, and (2) fails the call when its response stream breaks: the SDK would try
// to resume the stream and leave the call waiting.

import { AsyncLocalStorage } from 'node:async_hooks';

/** @internal What one call gives the fetch it causes. */
export interface CallScope {
  /** Charged with body bytes, both ways. */
  readonly meter?: (bytes: number) => void;
  /** Fails the call (its response stream broke). */
  readonly fail: (error: Error) => void;
}

const encoder = new TextEncoder();

/** @internal */
export class CallScopedFetch {
  private readonly scope = new AsyncLocalStorage<CallScope>();

  /** Runs `fn` (which makes the call's requests) in `scope`. */
  run<T>(scope: CallScope, fn: () => Promise<T>): Promise<T> {
    return this.scope.run(scope, fn);
  }

  readonly fetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const scope = this.scope.getStore();
    if (scope === undefined) return fetch(url, init);
    const sent = bodyBytes(init?.body);
    if (sent > 0) scope.meter?.(sent);
    const response = await fetch(url, init);
    if (response.body === null) return response;
    const reader = response.body.getReader();
    const watched = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else {
            scope.meter?.(value.byteLength);
            controller.enqueue(value);
          }
        } catch (error) {
          scope.fail(new Error(`the response stream broke: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
          controller.error(error);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function bodyBytes(body: RequestInit['body']): number {
  if (body === undefined || body === null) return 0;
  if (typeof body === 'string') return encoder.encode(body).byteLength;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body.byteLength;
  return 0;
}
