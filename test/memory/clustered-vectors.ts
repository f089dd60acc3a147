// Seeded clustered unit vectors for the memory tests (an LCG: every run builds the same graphs).
// Not a test file: the index and memory tests import it.

/** How {@link clusteredVectors} spreads its vectors. */
export interface ClusterShape {
  readonly seed: number;
  /** Number of centres (their components uniform in [-1, 1)). */
  readonly centres: number;
  /** Uniform noise added to each component, as a multiple of [-1, 1). */
  readonly noise: number;
  /** Vector i around centre i mod centres (else a centre drawn at random). */
  readonly cycle: boolean;
}

/** `count` unit vectors of `dim` floats around seeded centres. */
export function clusteredVectors(count: number, dim: number, shape: ClusterShape): Float32Array[] {
  let s = shape.seed;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const centres = Array.from({ length: shape.centres }, () => Float32Array.from({ length: dim }, rnd));
  return Array.from({ length: count }, (_, i) => {
    const c = shape.cycle ? centres[i % centres.length] : centres[Math.floor(((rnd() + 1) / 2) * centres.length) % centres.length];
    const v = Float32Array.from(c, (x) => x + shape.noise * rnd());
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
}
