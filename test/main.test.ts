import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm start` runs dist/main.js (built by `npm test` before vitest starts).
const run = promisify(execFile);

describe('npm start (dist/main.js)', () => {
  it('replays the bundled Montage trace on the engine and prints the summary', async () => {
    const { stdout, stderr } = await run(process.execPath, [fileURLToPath(new URL('../dist/main.js', import.meta.url))]);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^weft compute core: vector=wasm graph=wasm codec=mixed/);
    expect(stdout).toContain('replaying montage (examples/traces, a real WfCommons run; the real run took 1362 s)');
    expect(stdout).toContain('replay of montage on 4 workers\n  tasks          103 (231 edges) on 4 workers, scale 0.001\n');
    // The simulated figures are deterministic; the measured ones are checked for shape only.
    expect(stdout).toContain('  ideal          99.4 ms (1.10× lower bound)  (same policy, zero overhead)\n');
    expect(stdout).toContain('  critical path  21.1 ms\n');
    expect(stdout).toContain('  total work     363 ms\n');
    expect(stdout).toContain('  lower bound    90.7 ms  max(critical path, total work / 4)\n');
    expect(stdout).toMatch(/\n {2}tighter bound  9\d\.\d ms {2}a task waits for its ancestors' work \/ 4; ideal is 1\.\d{3}× it\n/);
    expect(stdout).toMatch(/\n {2}makespan {7}[\d.]+ ms \([\d.]+× lower bound\)\n/);
    expect(stdout).toMatch(/\n {2}efficiency {5}[\d.]+% {2}ideal \/ makespan\n/);
  });
});
