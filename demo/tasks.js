// The work of the demo's replay tasks. This module runs in Web Workers (weft's web-worker pool
// imports it by URL): each task burns CPU in WebAssembly, dot products on weft's SIMD kernels in
// ctx.kernels, for its scaled recorded runtime. A flag in a SharedArrayBuffer, set by the page,
// makes a task fail (the demo's "inject a failure").

const a = new Float32Array(256).map((_, i) => Math.sin(i));
const b = new Float32Array(256).map((_, i) => Math.cos(i));

export function burn(_input, ctx) {
  const { durations, index, flags } = ctx.runInput;
  const i = index[ctx.taskId];
  const failFlags = new Int32Array(flags);
  const until = performance.now() + durations[i];
  let calls = 0;
  let sum = 0;
  do {
    if (Atomics.load(failFlags, i) === 1) throw new Error(`injected failure in ${ctx.taskId}`);
    for (let k = 0; k < 32; k++) sum += ctx.kernels.vector.dot(a, b);
    calls += 32;
  } while (performance.now() < until);
  return { calls, checksum: Math.round(sum) };
}

// The bench's round trip: a task that returns at once.
export function echo(input) {
  return input;
}
