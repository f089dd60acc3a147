import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchCase, BenchSuite } from './types.js';

// Import + initKernels() in a fresh Node process, timed inside that process (from just before
// the import to the resolved init), so process start-up itself is not counted. Uses the built
// dist/ (what users import), not the TS sources.
const entry = new URL('../dist/index.js', import.meta.url).href;

function child(backend: 'wasm' | 'ts'): () => { overriddenDuration: number } {
  const script = `const t = performance.now(); const m = await import(${JSON.stringify(entry)}); await m.initKernels({ backend: '${backend}' }); process.stdout.write(String(performance.now() - t));`;
  return () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
    });
    return { overriddenDuration: Number(out) };
  };
}

const suite: BenchSuite = {
  name: 'startup',
  cases(wanted) {
    const name = 'import+initKernels fresh-process';
    if (!wanted(name)) return [];
    const c: BenchCase = { name, timeMs: 3000, variants: { wasm: child('wasm'), ts: child('ts') } };
    return [c];
  },
};

export default suite;
