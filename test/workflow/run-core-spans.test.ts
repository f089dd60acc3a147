// What a tracer sees of each attempt's end: the exception and status of a failed attempt (an
// Error or any thrown value), of a task cancelled alone, and of the tasks a cancelled run stops.
import { describe, expect, it } from 'vitest';
import { workflow, type SpanTracer, type TaskContext } from '../../src/workflow/index.js';
import { deferred } from '../helpers/deferred.js';

interface SeenSpan {
  name: string;
  exceptions: unknown[];
  statuses: { code: number; message?: string }[];
  ended: number;
}

function recordingTracer(): { tracer: SpanTracer; spans: SeenSpan[] } {
  const spans: SeenSpan[] = [];
  const tracer: SpanTracer = {
    startSpan(name) {
      const span: SeenSpan = { name, exceptions: [], statuses: [], ended: 0 };
      spans.push(span);
      return {
        setAttribute: () => undefined,
        setStatus: (s) => void span.statuses.push({ ...s }),
        recordException: (e) => void span.exceptions.push(e),
        end: () => void span.ended++,
      };
    },
  };
  return { tracer, spans };
}

const waitForAbort = (ctx: TaskContext): Promise<never> =>
  new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));

describe('spans of attempts that do not succeed', () => {
  it('record the error itself, or a thrown non-error as text, with an error status naming it', async () => {
    const { tracer, spans } = recordingTracer();
    const boom = new Error('boom');
    const result = await workflow({ tracer })
      .task({ id: 'error', run: () => { throw boom; } })
      .task({ id: 'text', run: () => Promise.reject('plain text') })
      .task({ id: 'ok', run: () => 1 })
      .run();
    expect(result.status).toBe('failed');
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(byName['task error']).toEqual({ name: 'task error', exceptions: [boom], statuses: [{ code: 2, message: 'boom' }], ended: 1 });
    expect(byName['task text']).toEqual({ name: 'task text', exceptions: ['plain text'], statuses: [{ code: 2, message: 'plain text' }], ended: 1 });
    expect(byName['task ok']).toEqual({ name: 'task ok', exceptions: [], statuses: [{ code: 1 }], ended: 1 });
  });

  it('end once with an error status when the task is cancelled alone, or with its run', async () => {
    const { tracer, spans } = recordingTracer();
    // A span starts before the task's function runs: once both functions run, both spans exist.
    const running = deferred();
    let started = 0;
    const body = (_: unknown, ctx: TaskContext) => {
      if (++started === 2) running.resolve();
      return waitForAbort(ctx);
    };
    const h = workflow({ tracer }).task({ id: 'alone', run: body }).task({ id: 'with-run', run: body }).start();
    await running.promise;
    h.cancelTask('alone', 'not needed');
    h.cancel();
    await h.result;
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(byName['task alone'].statuses).toEqual([{ code: 2, message: 'task `alone` cancelled: not needed' }]);
    expect(byName['task alone'].ended).toBe(1);
    expect(byName['task with-run'].statuses).toEqual([{ code: 2, message: 'cancelled' }]);
    expect(byName['task with-run'].ended).toBe(1);
  });
});
