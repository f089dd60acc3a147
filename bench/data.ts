/** A small seeded PRNG (mulberry32) so every run and every variant sees the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` floats uniform in [-1, 1), seeded. */
export function randomFloats(n: number, seed: number, into: Float32Array = new Float32Array(n)): Float32Array {
  const next = rng(seed);
  for (let i = 0; i < n; i++) into[i] = next() * 2 - 1;
  return into;
}
