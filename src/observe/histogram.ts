// A log-linear histogram (HDR-style: 16 linear sub-buckets per power of two), fixed size, so
// recording a latency costs a few arithmetic operations and no allocation. Relative error of a
// reported percentile is below 1/16 (6.25%).

const SUB = 16;
const MIN_EXP = -10; // ~1 µs when values are ms
const MAX_EXP = 16; // values up to 2^17 (in ms: ~2 minutes) in range, larger ones share the top buckets
const BUCKETS = (MAX_EXP - MIN_EXP + 1) * SUB;

/** Percentiles of a {@link Histogram}, in the unit recorded. */
export interface HistogramSummary {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/** Latency histogram with bounded memory (about 5 KB) and ~6% resolution. */
export class Histogram {
  private readonly counts = new Float64Array(BUCKETS + 1);
  private n = 0;
  private sum = 0;
  private lo = Infinity;
  private hi = -Infinity;

  /** Records one value (negative values count as 0). */
  record(value: number): void {
    const v = value > 0 ? value : 0;
    this.n++;
    this.sum += v;
    if (v < this.lo) this.lo = v;
    if (v > this.hi) this.hi = v;
    this.counts[bucketOf(v)]++;
  }

  /** Number of values recorded. */
  get count(): number {
    return this.n;
  }

  /** The value at quantile `q` in [0, 1] (a bucket's upper bound, clamped to the max seen). */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let b = 0; b <= BUCKETS; b++) {
      seen += this.counts[b];
      if (seen >= rank) return Math.min(this.hi, Math.max(this.lo, upperOf(b)));
    }
    return this.hi;
  }

  /** Count, extremes, mean and p50/p90/p99. */
  summary(): HistogramSummary {
    if (this.n === 0) return { count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 };
    return { count: this.n, min: this.lo, max: this.hi, mean: this.sum / this.n, p50: this.quantile(0.5), p90: this.quantile(0.9), p99: this.quantile(0.99) };
  }
}

const LOW = 2 ** MIN_EXP;
const HIGH = 2 ** MAX_EXP;
const SCALE = 2 ** (4 - MIN_EXP);

function bucketOf(v: number): number {
  if (v < LOW) return 0;
  if (v >= HIGH) return v >= 2 * HIGH ? BUCKETS : (MAX_EXP - MIN_EXP) * SUB + Math.min(SUB - 1, Math.floor((v / HIGH - 1) * SUB)) + 1;
  // Scale so the smallest exponent maps to bit 4 (below 2^31, so integer ops apply), then read
  // the exponent off clz32: Math.log2 is several times slower on the hot path.
  const x = (v * SCALE) | 0;
  const bit = 31 - Math.clz32(x);
  return (bit - 4) * SUB + ((x >>> (bit - 4)) & (SUB - 1)) + 1;
}

function upperOf(b: number): number {
  if (b === 0) return 2 ** MIN_EXP;
  const e = Math.floor((b - 1) / SUB) + MIN_EXP;
  const sub = (b - 1) % SUB;
  return 2 ** e * (1 + (sub + 1) / SUB);
}
