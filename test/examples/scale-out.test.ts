// The README's "More than one machine" commands, as written: two `weft worker` processes with
// examples/scale-out/agents.mjs and the example coordinator, on a real redis-server.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useScaleOut } from '../helpers/scale-out.js';
import { redisOrSkip } from '../support/redis-server.js';

const AGENTS = fileURLToPath(new URL('../../examples/scale-out/agents.mjs', import.meta.url));
const COORDINATOR = fileURLToPath(new URL('../../examples/scale-out/coordinator.mjs', import.meta.url));

describe.skipIf(redisOrSkip())('examples/scale-out', () => {
  const scale = useScaleOut('example');

  it('runs the research crew on the workers, under the shared rate limit', async () => {
    const workers = await scale.workers(2, 'crew', [], AGENTS);
    const { stdout } = await promisify(execFile)(process.execPath, [COORDINATOR, scale.redis.url, 'crew'], { cwd: scale.tmp.dir });
    const m = /^succeeded: 41 tasks in (\d+) ms on (\d) worker\(s\)$/m.exec(stdout);
    expect(m, stdout).not.toBeNull();
    // 40 calls at 20 a second with a bucket of 20: at least about a second, wherever they ran.
    expect(Number(m![1])).toBeGreaterThanOrEqual(900);
    expect(Number(m![2])).toBeGreaterThanOrEqual(1);
    for (const w of workers) expect(w.output()).toMatch(/agents research, write/);
  }, 60_000);
});
