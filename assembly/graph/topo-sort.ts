// STUB: to be implemented (graph helper).
export function topoSort(n: i32, offsets: usize, targets: usize, outOrder: usize, scratch: usize): i32 {
  return 0;
}
export function findCycle(n: i32, offsets: usize, targets: usize, outCycle: usize, scratch: usize): i32 {
  return 0;
}
