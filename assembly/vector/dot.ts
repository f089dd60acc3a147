// f32 similarity kernels: f32x4 SIMD with four independent accumulators (so the adds of one
// iteration do not wait on the previous one), then a 4-wide loop, then a scalar tail.

@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Dot product of `n` floats at `a` and `b`. */
@inline
export function dotAt(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  const end16 = a + ((<usize>(n & ~15)) << 2);
  while (a < end16) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a), v128.load(b)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a, 16), v128.load(b, 16)));
    s2 = f32x4.add(s2, f32x4.mul(v128.load(a, 32), v128.load(b, 32)));
    s3 = f32x4.add(s3, f32x4.mul(v128.load(a, 48), v128.load(b, 48)));
    a += 64;
    b += 64;
  }
  const end4 = end16 + ((<usize>(n & 12)) << 2);
  while (a < end4) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a), v128.load(b)));
    a += 16;
    b += 16;
  }
  let s = hsum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  const end = end4 + ((<usize>(n & 3)) << 2);
  while (a < end) {
    s += load<f32>(a) * load<f32>(b);
    a += 4;
    b += 4;
  }
  return s;
}

/** Squared Euclidean distance of `n` floats at `a` and `b`. */
@inline
export function l2sqAt(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  const end16 = a + ((<usize>(n & ~15)) << 2);
  while (a < end16) {
    const d0 = f32x4.sub(v128.load(a), v128.load(b));
    const d1 = f32x4.sub(v128.load(a, 16), v128.load(b, 16));
    const d2 = f32x4.sub(v128.load(a, 32), v128.load(b, 32));
    const d3 = f32x4.sub(v128.load(a, 48), v128.load(b, 48));
    s0 = f32x4.add(s0, f32x4.mul(d0, d0));
    s1 = f32x4.add(s1, f32x4.mul(d1, d1));
    s2 = f32x4.add(s2, f32x4.mul(d2, d2));
    s3 = f32x4.add(s3, f32x4.mul(d3, d3));
    a += 64;
    b += 64;
  }
  const end4 = end16 + ((<usize>(n & 12)) << 2);
  while (a < end4) {
    const d = f32x4.sub(v128.load(a), v128.load(b));
    s0 = f32x4.add(s0, f32x4.mul(d, d));
    a += 16;
    b += 16;
  }
  let s = hsum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  const end = end4 + ((<usize>(n & 3)) << 2);
  while (a < end) {
    const d = load<f32>(a) - load<f32>(b);
    s += d * d;
    a += 4;
    b += 4;
  }
  return s;
}

/**
 * Cosine similarity of `n` floats at `a` and `b`, given the precomputed squared norm of `a`
 * (so a scan computes the query's norm once). Zero when either norm is zero.
 */
@inline
export function cosineAt(a: usize, aa: f32, b: usize, n: i32): f32 {
  let d0 = f32x4.splat(0);
  let d1 = f32x4.splat(0);
  let q0 = f32x4.splat(0);
  let q1 = f32x4.splat(0);
  const end8 = a + ((<usize>(n & ~7)) << 2);
  while (a < end8) {
    const x0 = v128.load(a);
    const x1 = v128.load(a, 16);
    const y0 = v128.load(b);
    const y1 = v128.load(b, 16);
    d0 = f32x4.add(d0, f32x4.mul(x0, y0));
    d1 = f32x4.add(d1, f32x4.mul(x1, y1));
    q0 = f32x4.add(q0, f32x4.mul(y0, y0));
    q1 = f32x4.add(q1, f32x4.mul(y1, y1));
    a += 32;
    b += 32;
  }
  let ab = hsum(f32x4.add(d0, d1));
  let bb = hsum(f32x4.add(q0, q1));
  const end = end8 + ((<usize>(n & 7)) << 2);
  while (a < end) {
    const x = load<f32>(a);
    const y = load<f32>(b);
    ab += x * y;
    bb += y * y;
    a += 4;
    b += 4;
  }
  if (aa == 0 || bb == 0) return 0;
  return <f32>(<f64>ab / Math.sqrt(<f64>aa * <f64>bb));
}

export function dot(a: usize, b: usize, n: i32): f32 {
  return dotAt(a, b, n);
}

export function l2sq(a: usize, b: usize, n: i32): f32 {
  return l2sqAt(a, b, n);
}

export function cosine(a: usize, b: usize, n: i32): f32 {
  return cosineAt(a, dotAt(a, a, n), b, n);
}

/** Scales `n` floats at `v` to unit length; returns the former norm (a zero vector is unchanged). */
export function normalize(v: usize, n: i32): f32 {
  const norm = <f32>Math.sqrt(<f64>dotAt(v, v, n));
  if (norm == 0) return 0;
  const inv = <f32>1.0 / norm;
  const k = f32x4.splat(inv);
  let p = v;
  const end4 = v + ((<usize>(n & ~3)) << 2);
  while (p < end4) {
    v128.store(p, f32x4.mul(v128.load(p), k));
    p += 16;
  }
  const end = end4 + ((<usize>(n & 3)) << 2);
  while (p < end) {
    store<f32>(p, load<f32>(p) * inv);
    p += 4;
  }
  return norm;
}
