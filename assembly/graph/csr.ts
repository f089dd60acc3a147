import { OK, E_INVALID } from '../abi';

/**
 * Checks the CSR arrays the host copied in: monotone offsets and every target < n. Graph kernels
 * index scratch arrays by target, so an out-of-range target must be refused before it can write
 * outside them. The host checks offsets[0] == 0 and offsets[n] == edge count itself.
 */
export function checkCsr(n: i32, offsets: usize, targets: usize): i32 {
  let prev = load<u32>(offsets);
  for (let v = 1; v <= n; v++) {
    const o = load<u32>(offsets + ((<usize>v) << 2));
    if (o < prev) return E_INVALID;
    prev = o;
  }
  const m = <usize>prev;
  const end = targets + (m << 2);
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
