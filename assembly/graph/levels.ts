// STUB: to be implemented (graph helper).
export function levels(n: i32, offsets: usize, targets: usize, outLevels: usize, scratch: usize): i32 {
  return 0;
}
