// ctx.step and ctx.transaction: journaled once per run and key, with a stable idempotency key.
import { describe, expect, it } from 'vitest';
import { DuplicateStepError, NoStoreError } from '../../src/errors.js';
import { workflow } from '../../src/workflow/index.js';
import { memoryDurableStore } from '../helpers/memory-durable-store.js';

describe('ctx.step', () => {
  it('journals the result: a retried attempt gets it without calling fn again, with the same idempotency key', async () => {
    const store = memoryDurableStore();
    const calls: string[] = [];
    const wf = workflow({ store });
    wf.task({
      id: 'pay',
      retry: { maxAttempts: 2, initialDelayMs: 0 },
      run: async (_i, ctx) => {
        const charge = await ctx.step('charge', ({ idempotencyKey, signal }) => {
          calls.push(`charge ${idempotencyKey} ${signal.aborted}`);
          return { id: 'ch_1', amount: 5 };
        });
        if (ctx.attempt === 1) throw new Error('after the charge');
        return charge;
      },
    });
    const result = await wf.run({ runId: 'order-7' });
    expect(result.output('pay')).toEqual({ id: 'ch_1', amount: 5 });
    expect(result.task('pay')?.attempts).toBe(2);
    expect(calls).toEqual(['charge order-7/pay/charge false']);
    expect(store.journal.get('order-7/pay/charge')).toEqual({ id: 'ch_1', amount: 5 });
  });

  it('without a store just runs fn (every attempt), and a key used twice in one attempt is STEP_DUPLICATE', async () => {
    let calls = 0;
    const wf = workflow();
    wf.task({
      id: 't',
      retry: { maxAttempts: 2, initialDelayMs: 0 },
      run: async (_i, ctx) => {
        const v = await ctx.step('s', ({ idempotencyKey }) => (++calls, idempotencyKey));
        if (ctx.attempt === 1) throw new Error('again');
        await ctx.step('s', () => 0);
        return v;
      },
    });
    const result = await wf.run({ runId: 'plain' });
    expect(calls).toBe(2);
    const error = result.task('t')?.error;
    expect(error).toBeInstanceOf(DuplicateStepError);
    expect(error).toMatchObject({ code: 'STEP_DUPLICATE', taskId: 't', key: 's' });
  });

  it('checks its arguments', async () => {
    const wf = workflow();
    wf.task({ id: 'k', run: (_i, ctx) => ctx.step('', () => 1) });
    wf.task({ id: 'f', run: (_i, ctx) => ctx.step('x', 5 as never) });
    const result = await wf.run();
    expect((result.task('k')?.error as Error).message).toBe('Expected `key` to be a non-empty string, got `""` (string)');
    expect((result.task('f')?.error as Error).message).toBe('task `f`: Expected `fn` of step `x` to be a function, got `5` (number)');
  });
});

describe('ctx.transaction', () => {
  it("runs fn on the store's connection once per key, in one transaction with its journal row", async () => {
    const store = memoryDurableStore();
    store.db.exec('CREATE TABLE rows (task TEXT, n INTEGER)');
    const wf = workflow({ store });
    wf.task({
      id: 'w',
      retry: { maxAttempts: 3, initialDelayMs: 0 },
      run: (_i, ctx) => {
        const id = ctx.transaction('insert', (db) => Number(db.prepare('INSERT INTO rows VALUES (?, ?)').run('w', ctx.attempt).lastInsertRowid));
        if (ctx.attempt < 3) throw new Error('retry me');
        return id;
      },
    });
    wf.task({
      id: 'rollback',
      run: (_i, ctx) =>
        ctx.transaction('bad', (db) => {
          db.prepare('INSERT INTO rows VALUES (?, ?)').run('rollback', 1);
          throw new Error('no commit');
        }),
    });
    const result = await wf.run({ runId: 'tx' });
    expect(result.output('w')).toBe(1);
    expect(store.db.prepare('SELECT task, n FROM rows').all()).toEqual([{ task: 'w', n: 1 }]);
    expect((result.task('rollback')?.error as Error).message).toBe('no commit');
    expect(store.db.prepare("SELECT count(*) AS c FROM journal WHERE k = 'tx/rollback/bad'").get()).toEqual({ c: 0 });
  });

  it('without a store throws NO_STORE', async () => {
    const result = await workflow()
      .task({ id: 't', run: (_i, ctx) => ctx.transaction('x', () => 1) })
      .run();
    const error = result.task('t')?.error;
    expect(error).toBeInstanceOf(NoStoreError);
    expect(error).toMatchObject({ code: 'NO_STORE' });
    expect((error as Error).message).toContain("needs the workflow's `store` option");
  });
});
