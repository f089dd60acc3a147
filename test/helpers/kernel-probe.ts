// Run in a child process (e.g. with --noexpose-wasm): initialises the kernels with the backend
// given as argv[2] and prints what happened as one JSON line.
import { initKernels } from '../../src/kernels/index.js';

const backend = process.argv[2] as 'auto' | 'wasm' | 'ts';
try {
  const kernels = await initKernels({ backend });
  const dot = kernels.vector.dot(new Float32Array([1, 2]), new Float32Array([3, 4]));
  console.log(JSON.stringify({ info: kernels.info, dot }));
} catch (error) {
  const e = error as { code?: string; message: string };
  console.log(JSON.stringify({ error: { code: e.code, message: e.message } }));
}
