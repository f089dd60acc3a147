import { OK } from '../abi';
import { dotAt, l2sqAt, cosineAt } from './dot';

/** Metric codes shared with the host: 0 dot, 1 cosine, 2 squared L2. */
export const METRIC_DOT: i32 = 0;
export const METRIC_COSINE: i32 = 1;
export const METRIC_L2: i32 = 2;

/**
 * Scores the `dim`-float query at `q` against `rows` row-major vectors at `m`, writing one f32
 * score per row at `out`. The metric branch sits outside the row loop.
 */
export function scan(q: usize, m: usize, rows: i32, dim: i32, metric: i32, out: usize): i32 {
  const stride = (<usize>dim) << 2;
  const end = out + ((<usize>rows) << 2);
  if (metric == METRIC_DOT) {
    while (out < end) {
      store<f32>(out, dotAt(q, m, dim));
      m += stride;
      out += 4;
    }
  } else if (metric == METRIC_COSINE) {
    const qq = dotAt(q, q, dim);
    while (out < end) {
      store<f32>(out, cosineAt(q, qq, m, dim));
      m += stride;
      out += 4;
    }
  } else {
    while (out < end) {
      store<f32>(out, l2sqAt(q, m, dim));
      m += stride;
      out += 4;
    }
  }
  return OK;
}
