// The agents of the scale-out example: the coordinator and every `weft worker` load this module
// (its `agents` export; `rateLimits` and `groups` are held across all workers through Redis).
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { createAgentRegistry, defineAgent } from '../../dist/index.js';

/** One budget for every worker: 20 calls a second to the (pretend) provider. */
export const rateLimits = { provider: { requestsPerInterval: 20, intervalMs: 1000 } };

export const agents = createAgentRegistry([
  defineAgent({
    name: 'research',
    rateLimit: 'provider',
    input: z.object({ question: z.string() }),
    output: z.object({ question: z.string(), answer: z.string(), by: z.string() }),
    run: async ({ question }, ctx) => {
      await sleep(20, undefined, { signal: ctx.signal }); // a model call would go here
      ctx.reportTokens(question.length);
      return { question, answer: `notes on ${question}`, by: `${hostname()}:${process.pid}` };
    },
  }),
  defineAgent({
    name: 'write',
    input: z.object({ notes: z.array(z.object({ answer: z.string(), by: z.string() })) }),
    output: z.object({ report: z.string(), workers: z.number() }),
    run: ({ notes }) => ({ report: notes.map((n) => `- ${n.answer}`).join('\n'), workers: new Set(notes.map((n) => n.by)).size }),
  }),
]);
