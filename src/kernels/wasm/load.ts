import { WasmUnavailableError } from '../../errors.js';
import { ABI_VERSION, type WeftWasmExports } from './exports.js';
import type { WasmBytes, WasmModule } from './wasm-types.js';

/**
 * Where to load weft's WebAssembly module from: its bytes, an already compiled module (which can
 * be posted to workers), a URL (fetched; `file:` URLs are read from disk in Node) or a fetch
 * `Response` (compiled while streaming).
 */
export type WasmSource = WasmBytes | WasmModule | URL | string | Response | PromiseLike<Response>;

// The smallest module that uses a SIMD instruction: () -> v128 { v128.const 0 }.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/**
 * Why WebAssembly with SIMD cannot run here, or `undefined` when it can.
 * Checked before loading so the fallback reason names the missing feature.
 */
export function wasmUnsupportedReason(): string | undefined {
  if (typeof WebAssembly !== 'object' || WebAssembly === null || typeof WebAssembly.validate !== 'function') {
    return 'WebAssembly is not available in this runtime';
  }
  try {
    if (!WebAssembly.validate(SIMD_PROBE)) return 'WebAssembly SIMD (128-bit) is not supported by this runtime';
  } catch (error) {
    return `WebAssembly SIMD probe failed: ${(error as Error).message}`;
  }
  return undefined;
}

// Set by the bundler (package.json build:bundle) to the module's path from the bundle's files.
declare const __WEFT_WASM_FROM_BUNDLE__: string | undefined;

/** The bundled release module, next to the package root (build/weft.wasm). */
export function defaultWasmUrl(): URL {
  // src/kernels/wasm/load.ts and dist/kernels/wasm/load.js are both three levels below the root;
  // the bundled entries (dist/index.js and its chunks) are one level below it.
  const path = typeof __WEFT_WASM_FROM_BUNDLE__ === 'string' ? __WEFT_WASM_FROM_BUNDLE__ : '../../../build/weft.wasm';
  return new URL(path, import.meta.url);
}

function isNode(): boolean {
  return typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';
}

async function compileFromUrl(url: URL, signal?: AbortSignal): Promise<WasmModule> {
  if (url.protocol === 'file:' && isNode()) {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(url, { signal });
    return WebAssembly.compile(bytes);
  }
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`fetching ${url.href} failed with HTTP ${response.status}`);
  return compileResponse(response);
}

async function compileResponse(response: Response): Promise<WasmModule> {
  const type = response.headers.get('content-type') ?? '';
  // compileStreaming requires the application/wasm content type; otherwise buffer it.
  if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Compiles weft's module from `source` (default: the bundled build). */
export async function compileWeftModule(source?: WasmSource, signal?: AbortSignal): Promise<WasmModule> {
  const reason = wasmUnsupportedReason();
  if (reason !== undefined) throw new WasmUnavailableError(reason);
  signal?.throwIfAborted();
  try {
    if (source === undefined) return await compileFromUrl(defaultWasmUrl(), signal);
    if (source instanceof WebAssembly.Module) return source;
    if (source instanceof URL) return await compileFromUrl(source, signal);
    if (typeof source === 'string') return await compileFromUrl(new URL(source, globalThis.location?.href), signal);
    if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) return await WebAssembly.compile(source);
    return await compileResponse(await source);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new WasmUnavailableError(`the module could not be loaded: ${(error as Error).message}`, { cause: error });
  }
}

/** Instantiates a compiled weft module and checks that it speaks this adapter's ABI. */
export async function instantiateWeft(module: WasmModule): Promise<WeftWasmExports> {
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      // AssemblyScript calls abort on a failed assertion or allocator misuse: a bug, not input.
      abort(msg: number, file: number, line: number, column: number): never {
        throw new WebAssembly.RuntimeError(`abort at ${line}:${column} (${readAsString(memory, msg)})`);
      },
    },
  };
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, imports);
  } catch (error) {
    throw new WasmUnavailableError(`the module could not be instantiated: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const exports = instance.exports as unknown as WeftWasmExports;
  memory = exports.memory;
  const version = typeof exports.abiVersion === 'function' ? exports.abiVersion() : -1;
  if (version !== ABI_VERSION) {
    throw new WasmUnavailableError(`the module speaks ABI ${version}, this build of weft expects ${ABI_VERSION}`);
  }
  return exports;
}

function readAsString(memory: WebAssembly.Memory | undefined, ptr: number): string {
  if (memory === undefined || ptr === 0) return '';
  // AssemblyScript strings are UTF-16 with their byte length 4 bytes before the data.
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}
