// The codec kernels, WASM beside TS (and the native TextEncoder/TextDecoder as peers for
// UTF-8): the measurements behind AUTO_CODEC_OPS in src/kernels/auto.ts. WASM times include the
// copies into and out of linear memory, as callers pay them.
import { loadWeftModule } from '../src/kernels/index.js';
import { createTsKernels } from '../src/kernels/ts/index.js';
import type { CodecKernels } from '../src/kernels/types.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { randomFloats, rng } from './data.js';
import type { BenchCase, BenchSuite } from './types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

// Short cases loop inside each variant's own function literal (opsPerCall), so no call site is
// shared between variants; `loops` is the iteration count for an input of `bytes` bytes.
const loops = (bytes: number) => (bytes <= 256 ? 64 : 1);

/** Seeded text: ASCII identifiers, or a mix of 1- to 4-byte UTF-8 characters. */
function text(length: number, mixed: boolean, seed: number): string {
  const next = rng(seed);
  const chars = [...(mixed ? 'abcdefghij klmnopqrstuvwxyz0123456789éüß€中文😀' : 'abcdefghijklmnopqrstuvwxyz0123456789-_')];
  let s = '';
  while (s.length < length) s += chars[Math.floor(next() * chars.length)];
  return s.slice(0, length);
}

function randomBytes(n: number, seed: number): Uint8Array {
  const next = rng(seed);
  return new Uint8Array(n).map(() => Math.floor(next() * 256));
}

type Make = (w: CodecKernels, t: CodecKernels) => BenchCase;

function utf8Cases(add: (name: string, make: Make) => void): void {
  for (const [label, length, mixed] of [['ascii-40', 40, false], ['mixed-1k', 1024, true], ['mixed-64k', 65536, true]] as const) {
    add(`utf8Encode ${label}`, (w, t) => {
      const s = text(length, mixed, length);
      const out = new Uint8Array(length * 3);
      const n = loops(length);
      return {
        name: `utf8Encode ${label}`,
        opsPerCall: n,
        variants: {
          wasm: () => { let r = 0; for (let i = 0; i < n; i++) r += w.utf8Encode(s, out, 0); return r; },
          ts: () => { let r = 0; for (let i = 0; i < n; i++) r += t.utf8Encode(s, out, 0); return r; },
          TextEncoder: () => { let r = 0; for (let i = 0; i < n; i++) r += encoder.encodeInto(s, out).written; return r; },
        },
      };
    });
    add(`utf8Decode ${label}`, (w, t) => {
      const bytes = encoder.encode(text(length, mixed, length));
      const end = bytes.length;
      const n = loops(end);
      return {
        name: `utf8Decode ${label}`,
        opsPerCall: n,
        variants: {
          wasm: () => { let r = 0; for (let i = 0; i < n; i++) r += w.utf8Decode(bytes, 0, end).length; return r; },
          ts: () => { let r = 0; for (let i = 0; i < n; i++) r += t.utf8Decode(bytes, 0, end).length; return r; },
          TextDecoder: () => { let r = 0; for (let i = 0; i < n; i++) r += decoder.decode(bytes).length; return r; },
        },
      };
    });
  }
}

function float32Cases(add: (name: string, make: Make) => void): void {
  for (const count of [384, 1536]) {
    for (const bigEndian of [false, true]) {
      const order = bigEndian ? 'big-endian' : 'little-endian';
      add(`packFloat32 n=${count} ${order}`, (w, t) => {
        const src = randomFloats(count, count);
        const out = new Uint8Array(count * 4);
        return {
          name: `packFloat32 n=${count} ${order}`,
          variants: { wasm: () => w.packFloat32(src, out, 0, bigEndian), ts: () => t.packFloat32(src, out, 0, bigEndian) },
        };
      });
      add(`unpackFloat32 n=${count} ${order}`, (w, t) => {
        const bytes = new Uint8Array(count * 4);
        t.packFloat32(randomFloats(count, count), bytes, 0, bigEndian);
        const out = new Float32Array(count);
        return {
          name: `unpackFloat32 n=${count} ${order}`,
          variants: { wasm: () => w.unpackFloat32(bytes, 0, bigEndian, out), ts: () => t.unpackFloat32(bytes, 0, bigEndian, out) },
        };
      });
    }
  }
}

function varintCases(add: (name: string, make: Make) => void): void {
  // Skewed towards small values, as lengths and ids are: about half fit in one or two bytes.
  const values = () => {
    const next = rng(5);
    return new Uint32Array(1024).map(() => Math.floor(next() ** 3 * 2 ** 32));
  };
  add('encodeVarints n=1024', (w, t) => {
    const src = values();
    const out = new Uint8Array(5 * src.length);
    return { name: 'encodeVarints n=1024', variants: { wasm: () => w.encodeVarints(src, out, 0), ts: () => t.encodeVarints(src, out, 0) } };
  });
  add('decodeVarints n=1024', (w, t) => {
    const src = values();
    const bytes = new Uint8Array(5 * src.length);
    const end = t.encodeVarints(src, bytes, 0);
    const out = new Uint32Array(src.length);
    return {
      name: 'decodeVarints n=1024',
      variants: { wasm: () => w.decodeVarints(bytes, 0, end, out), ts: () => t.decodeVarints(bytes, 0, end, out) },
    };
  });
}

function hashCases(add: (name: string, make: Make) => void): void {
  for (const [label, size] of [['64B', 64], ['1KB', 1024], ['64KB', 65536]] as const) {
    const n = loops(size);
    add(`xxh32 ${label}`, (w, t) => {
      const b = randomBytes(size, size);
      return {
        name: `xxh32 ${label}`,
        opsPerCall: n,
        bytesRead: size,
        variants: {
          wasm: () => { let r = 0; for (let i = 0; i < n; i++) r ^= w.xxh32(b); return r; },
          ts: () => { let r = 0; for (let i = 0; i < n; i++) r ^= t.xxh32(b); return r; },
        },
      };
    });
    add(`xxh64 ${label}`, (w, t) => {
      const b = randomBytes(size, size);
      return {
        name: `xxh64 ${label}`,
        opsPerCall: n,
        bytesRead: size,
        variants: {
          wasm: () => { let r = 0n; for (let i = 0; i < n; i++) r ^= w.xxh64(b); return r; },
          ts: () => { let r = 0n; for (let i = 0; i < n; i++) r ^= t.xxh64(b); return r; },
        },
      };
    });
  }
}

const suite: BenchSuite = {
  name: 'codec-kernels',
  async cases(wanted) {
    const makers: Make[] = [];
    const add = (name: string, make: Make) => {
      if (wanted(name)) makers.push(make);
    };
    utf8Cases(add);
    float32Cases(add);
    varintCases(add);
    hashCases(add);
    if (makers.length === 0) return [];
    const w = (await createWasmKernels(await loadWeftModule())).codec;
    const t = createTsKernels().codec;
    return makers.map((make) => make(w, t));
  },
};

export default suite;
