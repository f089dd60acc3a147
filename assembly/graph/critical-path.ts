// STUB: to be implemented (graph helper).
export function upwardRank(n: i32, offsets: usize, targets: usize, weights: usize, outRank: usize, scratch: usize): f64 {
  return 0;
}
