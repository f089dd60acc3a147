import { OK, E_INVALID } from '../abi';

// CSR input checks. Graph kernels index scratch arrays by node, so malformed input must be refused
// before it can make a kernel read or write outside its regions. The host checks
// offsets[0] == 0 and offsets[n] == edge count itself (O(1)); the per-entry checks live here.

/** E_INVALID unless offsets[0..n] never decrease. */
export function checkOffsets(n: i32, offsets: usize): i32 {
  let prev = load<u32>(offsets);
  for (let v = 1; v <= n; v++) {
    const o = load<u32>(offsets + ((<usize>v) << 2));
    if (o < prev) return E_INVALID;
    prev = o;
  }
  return OK;
}

/** E_INVALID unless monotone offsets and every target < n (for kernels with no counting pass). */
export function checkCsr(n: i32, offsets: usize, targets: usize): i32 {
  if (checkOffsets(n, offsets) != OK) return E_INVALID;
  const end = targets + ((<usize>load<u32>(offsets + ((<usize>n) << 2))) << 2);
  const limit = <u32>n;
  for (let p = targets; p < end; p += 4) {
    if (load<u32>(p) >= limit) return E_INVALID;
  }
  return OK;
}

@inline
export function u32At(base: usize, i: u32): u32 {
  return load<u32>(base + ((<usize>i) << 2));
}

@inline
export function setU32(base: usize, i: u32, value: u32): void {
  store<u32>(base + ((<usize>i) << 2), value);
}
