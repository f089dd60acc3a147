// The WebAssembly types weft's public signatures name. `WebAssembly` and `BufferSource` are
// declared by TypeScript's DOM lib only (@types/node has neither), so a Node project compiled
// with `lib: ["ES2022"]` could not type-check declarations that name them. These aliases look the
// types up on `typeof globalThis` instead: with the DOM lib they are exactly
// `WebAssembly.Module` / `WebAssembly.Memory`; without it they fall back to a plain shape.

type Global = typeof globalThis;

/** A compiled WebAssembly module: `WebAssembly.Module` where the DOM lib declares it, else `object`. */
export type WasmModule = Global extends { WebAssembly: { Module: { prototype: infer M } } } ? M : object;

/** A WebAssembly memory: `WebAssembly.Memory` where the DOM lib declares it, else its buffer and `grow`. */
export type WasmMemory = Global extends { WebAssembly: { Memory: { prototype: infer M } } } ? M : { readonly buffer: ArrayBuffer; grow(delta: number): number };

/** A module's bytes (the DOM lib's `BufferSource`). */
export type WasmBytes = ArrayBuffer | ArrayBufferView<ArrayBuffer>;
