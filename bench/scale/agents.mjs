// The agent of the scale-out bench's weft workers (and its coordinator): n + 1 and the time it ran.
import { z } from 'zod';
import { createAgentRegistry, defineAgent } from '../../dist/index.js';

export const agents = createAgentRegistry([
  defineAgent({ name: 'inc', input: z.number(), output: z.object({ n: z.number(), at: z.number() }), run: (n) => ({ n: n + 1, at: Date.now() }) }),
]);
