import { loadWeftModule } from '../src/kernels/index.js';
import { createTsKernels } from '../src/kernels/ts/index.js';
import type { KernelSet } from '../src/kernels/types.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { randomFloats, rng } from './data.js';
import type { BenchCase, BenchSuite } from './types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function text(length: number, mixed: boolean, seed: number): string {
  const next = rng(seed);
  const alphabet = mixed ? 'abcdefghij klmnopqrstuvwxyz0123456789éüß€中文😀' : 'abcdefghijklmnopqrstuvwxyz0123456789-_';
  const chars = [...alphabet];
  let s = '';
  while (s.length < length) s += chars[Math.floor(next() * chars.length)];
  return s.slice(0, length);
}

function bytes(n: number, seed: number): Uint8Array {
  const next = rng(seed);
  return new Uint8Array(n).map(() => Math.floor(next() * 256));
}

function build(w: KernelSet, t: KernelSet): Record<string, () => BenchCase> {
  const cases: Record<string, () => BenchCase> = {};
  for (const [label, len, mixed] of [['ascii-40', 40, false], ['mixed-1k', 1024, true], ['mixed-64k', 65536, true]] as const) {
    const s = text(len, mixed, len);
    const out = new Uint8Array(len * 3);
    const encoded = encoder.encode(s);
    cases[`utf8Encode ${label}`] = () => ({
      name: `utf8Encode ${label}`,
      variants: { wasm: () => w.codec.utf8Encode(s, out, 0), ts: () => t.codec.utf8Encode(s, out, 0), TextEncoder: () => encoder.encodeInto(s, out) },
    });
    cases[`utf8Decode ${label}`] = () => ({
      name: `utf8Decode ${label}`,
      variants: {
        wasm: () => w.codec.utf8Decode(encoded, 0, encoded.length),
        ts: () => t.codec.utf8Decode(encoded, 0, encoded.length),
        TextDecoder: () => decoder.decode(encoded),
      },
    });
  }
  for (const n of [384, 1536]) {
    for (const be of [false, true]) {
      const name = `packFloat32 n=${n} ${be ? 'big' : 'little'}-endian`;
      const src = randomFloats(n, n);
      const out = new Uint8Array(n * 4);
      const back = new Float32Array(n);
      cases[name] = () => ({ name, variants: { wasm: () => w.codec.packFloat32(src, out, 0, be), ts: () => t.codec.packFloat32(src, out, 0, be) } });
      const uname = name.replace('pack', 'unpack');
      cases[uname] = () => ({ name: uname, variants: { wasm: () => w.codec.unpackFloat32(out, 0, be, back), ts: () => t.codec.unpackFloat32(out, 0, be, back) } });
    }
  }
  {
    const next = rng(5);
    const values = new Uint32Array(1024).map(() => Math.floor(next() ** 3 * 2 ** 32));
    const out = new Uint8Array(5 * 1024);
    const n = t.codec.encodeVarints(values, out, 0);
    const back = new Uint32Array(1024);
    cases['encodeVarints n=1024'] = () => ({ name: 'encodeVarints n=1024', variants: { wasm: () => w.codec.encodeVarints(values, out, 0), ts: () => t.codec.encodeVarints(values, out, 0) } });
    cases['decodeVarints n=1024'] = () => ({ name: 'decodeVarints n=1024', variants: { wasm: () => w.codec.decodeVarints(out, 0, n, back), ts: () => t.codec.decodeVarints(out, 0, n, back) } });
  }
  for (const [label, size] of [['64B', 64], ['1KB', 1024], ['64KB', 65536]] as const) {
    const b = bytes(size, size);
    cases[`xxh32 ${label}`] = () => ({ name: `xxh32 ${label}`, variants: { wasm: () => w.codec.xxh32(b), ts: () => t.codec.xxh32(b) } });
    cases[`xxh64 ${label}`] = () => ({ name: `xxh64 ${label}`, variants: { wasm: () => w.codec.xxh64(b), ts: () => t.codec.xxh64(b) } });
  }
  return cases;
}

const suite: BenchSuite = {
  name: 'codec-kernels',
  async cases(wanted) {
    const all = build(await createWasmKernels(await loadWeftModule()), createTsKernels());
    return Object.entries(all)
      .filter(([name]) => wanted(name))
      .map(([, make]) => make());
  },
};

export default suite;
