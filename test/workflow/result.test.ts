import { trace } from '@opentelemetry/api';
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { workflow, type SpanTracer } from '../../src/workflow/index.js';
import { deferred } from '../helpers/deferred.js';

describe('run results, timeline and tracing', () => {
  it('the timeline places each task on a lane, never more lanes than the concurrency', async () => {
    const wf = workflow({ concurrency: 2 });
    for (let k = 0; k < 6; k++) wf.task({ id: `t${k}`, run: () => new Promise((r) => setImmediate(r)) });
    const h = wf.start();
    await h.result;
    const tl = h.timeline();
    expect(tl.entries).toHaveLength(6);
    expect(tl.lanes).toBeLessThanOrEqual(2);
    for (const e of tl.entries) {
      expect(e.end).toBeGreaterThanOrEqual(e.start);
      expect(e.status).toBe('succeeded');
    }
    // Bars on one lane do not overlap.
    for (let lane = 0; lane < tl.lanes; lane++) {
      const bars = tl.entries.filter((e) => e.lane === lane).sort((a, b) => a.start - b.start);
      for (let k = 1; k < bars.length; k++) expect(bars[k].start).toBeGreaterThanOrEqual(bars[k - 1].end);
    }
  });

  it('a snapshot shows live states; the handle says when the run has settled', async () => {
    const gate = deferred();
    const h = workflow().task({ id: 'a', run: () => gate.promise }).task({ id: 'b', dependsOn: ['a'], run: () => 1 }).start();
    await Promise.resolve();
    expect(h.snapshot().map((t) => t.status)).toEqual(['running', 'pending']);
    expect(h.settled).toBe(false);
    expect(h.task('zzz')).toBeUndefined();
    gate.resolve();
    const r = await h.result;
    expect(h.settled).toBe(true);
    expect(r.task('zzz')).toBeUndefined();
    expect(r.output('a')).toBeUndefined();
    expect(r.output('b')).toBe(1);
  });

  it('each attempt becomes a span through an OpenTelemetry-shaped tracer', async () => {
    const spans: { name: string; attrs: Record<string, unknown>; status?: number; ended: boolean }[] = [];
    const tracer: SpanTracer = {
      startSpan(name, options) {
        const span = { name, attrs: { ...options?.attributes }, status: undefined as number | undefined, ended: false };
        spans.push(span);
        return {
          setAttribute: (k, v) => (span.attrs[k] = v),
          setStatus: (s) => (span.status = s.code),
          recordException: () => undefined,
          end: () => (span.ended = true),
        };
      },
    };
    await workflow({ tracer })
      .task({ id: 'ok', run: () => 1 })
      .task({ id: 'flaky', retry: { maxAttempts: 2, initialDelayMs: 0 }, run: (_, ctx) => { if (ctx.attempt === 1) throw new Error('x'); } })
      .run({ runId: 'traced' });
    expect(spans.map((s) => [s.name, s.attrs['weft.task.attempt'], s.status, s.ended])).toEqual([
      ['task ok', 1, 1, true],
      ['task flaky', 1, 2, true],
      ['task flaky', 2, 1, true],
    ]);
    expect(spans[0].attrs['weft.run.id']).toBe('traced');
  });

  it('accepts the real @opentelemetry/api tracer (no SDK: spans are no-ops)', async () => {
    const result = await workflow({ tracer: trace.getTracer('weft-test') }).task({ id: 'a', run: () => 1 }).run();
    expect(result.output('a')).toBe(1);
  });

  it('a signal shared by many runs keeps no listener once they end', async () => {
    const controller = new AbortController();
    const wf = workflow().task({ id: 'a', run: async () => 1 });
    for (let k = 0; k < 20; k++) await wf.run({ signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
