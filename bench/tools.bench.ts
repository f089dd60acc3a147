import { z } from 'zod';
import { initKernels } from '../src/kernels/index.js';
import { argsDigest } from '../src/tools/args-digest.js';
import { defineTool } from '../src/tools/define-tool.js';
import { createToolExecutor } from '../src/tools/tool-executor.js';
import type { BenchCase, BenchSuite } from './types.js';

// The tool executor's cost per call (argument digest, validation, limits, timer, cache lookup)
// against calling the tool's function directly, and what its cache saves on a tool of ~1 ms.
// Each variant makes CALLS awaited calls per invocation (the harness divides by opsPerCall), so
// the per-sample timer and promise overhead of an async variant is spread over many calls.

const CALLS = 100;
const input = z.object({ query: z.string(), k: z.number().int().min(1).max(100), filters: z.object({ lang: z.string() }).optional() });
const args = { query: 'vector databases', k: 10, filters: { lang: 'en' } };
type Args = z.infer<typeof input>;

const search = ({ query, k }: Args) => ({ hits: [`${query} #1`], k });

/** Busy for ~1 ms of wall time: a tool whose work is CPU (parsing, scoring) rather than waiting. */
function work1ms({ query, k }: Args) {
  const end = performance.now() + 1;
  let n = 0;
  while (performance.now() < end) n += 1;
  return { hits: [`${query} #${n % 7}`], k };
}

/** Sessions over the same function with and without `cache`; the cached one already holds `args`. */
async function pair(name: string, run: (a: Args) => unknown) {
  const limits = { maxCalls: Number.MAX_SAFE_INTEGER, loopThreshold: Infinity } as const;
  const signal = new AbortController().signal;
  const plain = createToolExecutor([defineTool({ name, description: '', input, run })], limits).session({ signal });
  const untimed = createToolExecutor([defineTool({ name, description: '', input, run })], { ...limits, timeoutMs: Infinity }).session({ signal });
  const cached = createToolExecutor([defineTool({ name, description: '', input, run, cache: true })], limits).session({ signal });
  await cached.call(name, args);
  return { plain, untimed, cached };
}

const loop = (call: () => unknown) => async () => {
  for (let i = 0; i < CALLS; i++) await call();
};

const suite: BenchSuite = {
  name: 'tools',
  async cases(wanted) {
    await initKernels();
    const cases: BenchCase[] = [];

    const overhead = 'executor call overhead args=3-fields zod';
    if (wanted(overhead)) {
      const { plain: s, untimed: u, cached: c } = await pair('search', search);
      cases.push({
        name: overhead,
        opsPerCall: CALLS,
        variants: {
          direct: loop(() => search(args)),
          'direct+zod': loop(() => search(input.parse(args))),
          'argsDigest only': loop(() => argsDigest(args)),
          executor: loop(() => s.call('search', args)),
          'executor timeoutMs=Infinity': loop(() => u.call('search', args)),
          'executor cache-hit': loop(() => c.call('search', args)),
        },
      });
    }

    const speedup = 'cache hit speed-up tool=1ms';
    if (wanted(speedup)) {
      const { plain: s, cached: c } = await pair('slow', work1ms);
      cases.push({
        name: speedup,
        timeMs: 1500,
        variants: {
          'executor uncached': () => s.call('slow', args),
          'executor cache-hit': () => c.call('slow', args),
        },
      });
    }
    return cases;
  },
};

export default suite;
