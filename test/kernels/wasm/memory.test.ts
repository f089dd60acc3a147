import { describe, expect, it } from 'vitest';
import { loadWeftModule } from '../../../src/kernels/index.js';
import { instantiateWeft } from '../../../src/kernels/wasm/load.js';
import { WasmArena, align16 } from '../../../src/kernels/wasm/memory.js';

async function arena(): Promise<WasmArena> {
  return new WasmArena(await instantiateWeft(await loadWeftModule()));
}

describe('WasmArena', () => {
  it('allocates 16-byte aligned, zeroed blocks', async () => {
    const a = await arena();
    const p = a.alloc(100);
    const q = a.alloc(3);
    expect(p % 16).toBe(0);
    expect(q % 16).toBe(0);
    expect(q >= p + 100 || p >= q + 16).toBe(true);
    expect(a.u8.subarray(p, p + 100).every((b) => b === 0)).toBe(true);
  });

  it('rebuilds its views when memory grows, and counts generations', async () => {
    const a = await arena();
    const before = a.generation;
    const oldView = a.f32;
    const p = a.alloc(64 << 20);
    expect(a.generation).toBe(before + 1);
    expect(oldView.length).toBe(0); // the old view was detached by growth
    expect(a.f32.length * 4).toBe(a.exports.memory.buffer.byteLength);
    a.f32[(p >>> 2) + 1000] = 1.5;
    expect(a.f32[(p >>> 2) + 1000]).toBe(1.5);
  });

  it('reuses one scratch region until a larger one is needed', async () => {
    const a = await arena();
    const s1 = a.scratch(100);
    expect(a.scratch(4000)).toBe(s1);
    const s2 = a.scratch(1 << 20);
    expect(s2 % 16).toBe(0);
    expect(a.scratch(10)).toBe(s2);
  });

  it('frees blocks for reuse', async () => {
    const a = await arena();
    const p = a.alloc(1 << 20);
    a.free(p);
    expect(a.alloc(1 << 20)).toBe(p);
  });

  it('aligns sizes to 16 bytes', () => {
    expect([0, 1, 15, 16, 17].map(align16)).toEqual([0, 16, 16, 16, 32]);
  });
});
