// A binary max-heap of (key f32, id u32) pairs, 8 bytes each, in a caller-owned region. The
// search keeps two: results keyed by distance (the worst on top, evicted first) and candidates
// keyed by negated distance (the closest on top), so one implementation serves both.

@inline
export function heapKey(base: usize, i: i32): f32 {
  return load<f32>(base + ((<usize>i) << 3));
}

@inline
export function heapId(base: usize, i: i32): u32 {
  return load<u32>(base + ((<usize>i) << 3), 4);
}

/** Pushes (key, id) onto a heap of `size` entries; returns the new size. */
@inline
export function heapPush(base: usize, size: i32, key: f32, id: u32): i32 {
  let i = size;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (heapKey(base, p) >= key) break;
    store<u64>(base + ((<usize>i) << 3), load<u64>(base + ((<usize>p) << 3)));
    i = p;
  }
  const at = base + ((<usize>i) << 3);
  store<f32>(at, key);
  store<u32>(at, id, 4);
  return size + 1;
}

/** Removes the top of a heap of `size` (> 0) entries; returns the new size. */
export function heapPop(base: usize, size: i32): i32 {
  const n = size - 1;
  if (n == 0) return 0;
  siftDown(base, n, heapKey(base, n), heapId(base, n));
  return n;
}

/** Replaces the top of a heap of `size` (> 0) entries by (key, id). */
export function heapReplaceTop(base: usize, size: i32, key: f32, id: u32): void {
  siftDown(base, size, key, id);
}

/** Puts (key, id) at the root of a heap of `size` entries and sifts it down to its place. */
function siftDown(base: usize, size: i32, key: f32, id: u32): void {
  let i = 0;
  while (true) {
    let c = 2 * i + 1;
    if (c >= size) break;
    if (c + 1 < size && heapKey(base, c + 1) > heapKey(base, c)) c++;
    if (heapKey(base, c) <= key) break;
    store<u64>(base + ((<usize>i) << 3), load<u64>(base + ((<usize>c) << 3)));
    i = c;
  }
  const at = base + ((<usize>i) << 3);
  store<f32>(at, key);
  store<u32>(at, id, 4);
}
