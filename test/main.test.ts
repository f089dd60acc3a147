import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm start` runs dist/main.js (built by `npm test` before vitest starts).
const run = promisify(execFile);

describe('npm start (dist/main.js)', () => {
  it('runs every kernel family on real data and reports agreement', async () => {
    const { stdout } = await run(process.execPath, [fileURLToPath(new URL('../dist/main.js', import.meta.url))]);
    expect(stdout).toMatch(/^weft compute core: vector=wasm graph=wasm codec=mixed/);
    expect(stdout).toContain('trace montage (examples/traces, a real WfCommons run): 103 tasks, 231 edges, 8 levels');
    expect(stdout).toContain('critical path 21.1 s: mProject → mDiffFit → mConcatFit → mBgModel → mBackground → mImgtbl → mAdd → mViewer');
    expect(stdout).toContain('best match row 77 (the query is row 77), score 1.0000; WASM and TS agree on all 10: yes');
    expect(stdout).toMatch(/codec: a task message with a 384-float embedding is \d+ bytes of MessagePack/);
  });
});
