import { WasmUnavailableError } from '../errors.js';
import { checkOneOf, expectedMessage } from '../internal/validate.js';
import { createTsKernels } from './ts/index.js';
import { AUTO_BACKENDS, autoCodecKernels, type FamilyBackend, type KernelFamily } from './auto.js';
import type { BackendName, KernelSet } from './types.js';
import { createWasmKernels } from './wasm/index.js';
import { compileWeftModule, type WasmSource } from './wasm/load.js';
import type { WasmModule } from './wasm/wasm-types.js';

/** Which backend to use: `auto` prefers WASM and falls back to TS, `wasm` insists on it. */
export type BackendChoice = 'auto' | 'wasm' | 'ts';

export { AUTO_BACKENDS, AUTO_CODEC_OPS } from './auto.js';
export type { FamilyBackend, KernelFamily } from './auto.js';

/** Options of {@link initKernels}. */
export interface InitKernelsOptions {
  /**
   * `'auto'` loads WebAssembly and falls back to TypeScript where it (or SIMD) is missing, and
   * per family uses whichever backend measured faster (see {@link AUTO_BACKENDS});
   * `'wasm'` uses WebAssembly for every family or throws `WASM_UNAVAILABLE`; `'ts'` never loads it.
   * @default 'auto'
   */
  readonly backend?: BackendChoice;
  /**
   * Where to load the module from: bytes, a compiled `WebAssembly.Module`, a URL or a `Response`.
   * @default the bundled `build/weft.wasm`, read from disk in Node and fetched in browsers
   */
  readonly wasm?: WasmSource;
  /** Aborts loading. */
  readonly signal?: AbortSignal;
}

/** What {@link initKernels} chose, and why. */
export interface KernelInfo {
  /** The backend that was asked for. */
  readonly requested: BackendChoice;
  /** The backend serving each family. */
  readonly families: Readonly<Record<KernelFamily, FamilyBackend>>;
  /** Whether the WebAssembly module loaded. */
  readonly wasmLoaded: boolean;
  /** Why WebAssembly is not used (when it is not), e.g. "WebAssembly SIMD (128-bit) is not supported". */
  readonly reason?: string;
  /** Milliseconds spent in the initialisation that produced this set. */
  readonly initMs: number;
}

/** A kernel set whose families may come from different backends. */
export interface Kernels extends KernelSet {
  /** How this set was chosen. */
  readonly info: KernelInfo;
}

const DEFAULT_OPTIONS = { backend: 'auto' } as const satisfies InitKernelsOptions;

let active: Kernels | undefined;
let tsFallback: Kernels | undefined;
let defaultModule: Promise<WasmModule> | undefined;
const pending = new Map<BackendChoice, Promise<Kernels>>();

/**
 * Compiles weft's WebAssembly module once and caches it (for the bundled build). The compiled
 * module can be posted to worker threads, which instantiate it without compiling again.
 */
export function loadWeftModule(source?: WasmSource, signal?: AbortSignal): Promise<WasmModule> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (source !== undefined) return compileWeftModule(source, signal);
  defaultModule ??= compileWeftModule(undefined, signal).catch((error: unknown) => {
    defaultModule = undefined;
    throw error;
  });
  return defaultModule;
}

function combine(requested: BackendChoice, families: Record<KernelFamily, FamilyBackend>, sets: Partial<Record<BackendName, KernelSet>>, extra: { wasmLoaded: boolean; reason?: string; start: number }): Kernels {
  const pick = (f: KernelFamily) => sets[families[f] === 'mixed' ? 'wasm' : (families[f] as BackendName)]!;
  const info: KernelInfo = Object.freeze({
    requested,
    families: Object.freeze({ ...families }),
    wasmLoaded: extra.wasmLoaded,
    ...(extra.reason === undefined ? {} : { reason: extra.reason }),
    initMs: performance.now() - extra.start,
  });
  const memory = pick('vector');
  return Object.freeze({
    backend: families.vector as BackendName,
    vector: pick('vector').vector,
    graph: pick('graph').graph,
    codec: families.codec === 'mixed' ? autoCodecKernels(sets.wasm!.codec, sets.ts!.codec) : pick('codec').codec,
    // Buffers must live where the vector kernels read them.
    allocFloat32: (length: number) => memory.allocFloat32(length),
    info,
  });
}

async function build(options: InitKernelsOptions, start: number): Promise<Kernels> {
  const requested = options.backend ?? DEFAULT_OPTIONS.backend;
  const ts = createTsKernels();
  const allTs = { vector: 'ts', graph: 'ts', codec: 'ts' } as const;
  if (requested === 'ts') return combine(requested, allTs, { ts }, { wasmLoaded: false, reason: "backend 'ts' was requested", start });
  let wasm: KernelSet;
  try {
    wasm = await createWasmKernels(await loadWeftModule(options.wasm, options.signal));
  } catch (error) {
    if (requested === 'wasm' || options.signal?.aborted) throw error;
    const reason = error instanceof WasmUnavailableError ? error.message : String(error);
    return combine(requested, allTs, { ts }, { wasmLoaded: false, reason, start });
  }
  if (requested === 'wasm') return combine(requested, { vector: 'wasm', graph: 'wasm', codec: 'wasm' }, { wasm }, { wasmLoaded: true, start });
  return combine(requested, { ...AUTO_BACKENDS }, { ts, wasm }, { wasmLoaded: true, start });
}

/**
 * Loads the kernels and makes them the ones {@link getKernels} returns. Runs once per backend
 * choice: concurrent and repeated callers share one promise (unless they pass their own `wasm`).
 *
 * @throws `WasmUnavailableError` (`WASM_UNAVAILABLE`) with `backend: 'wasm'` when WebAssembly,
 *   SIMD or the module is missing. `TypeError` for an unknown `backend`.
 */
export function initKernels(options: InitKernelsOptions = {}): Promise<Kernels> {
  if (typeof options !== 'object' || options === null) {
    return Promise.reject(new TypeError(expectedMessage('options', 'an object', options)));
  }
  try {
    checkOneOf('backend', options.backend ?? DEFAULT_OPTIONS.backend, ['auto', 'wasm', 'ts']);
  } catch (error) {
    return Promise.reject(error);
  }
  const requested = options.backend ?? DEFAULT_OPTIONS.backend;
  const start = performance.now();
  const shared = options.wasm === undefined && options.signal === undefined;
  const existing = shared ? pending.get(requested) : undefined;
  const promise =
    existing ??
    build(options, start).then(
      (kernels) => kernels,
      (error: unknown) => {
        if (shared) pending.delete(requested);
        throw error;
      },
    );
  if (shared && existing === undefined) pending.set(requested, promise);
  return promise.then((kernels) => {
    active = kernels;
    return kernels;
  });
}

/**
 * The kernels chosen by the last completed {@link initKernels}; before that, the TS kernels (so
 * code can run before, or without, WebAssembly).
 */
export function getKernels(): Kernels {
  if (active !== undefined) return active;
  tsFallback ??= combine('ts', { vector: 'ts', graph: 'ts', codec: 'ts' }, { ts: createTsKernels() }, {
    wasmLoaded: false,
    reason: 'initKernels() has not completed',
    start: performance.now(),
  });
  return tsFallback;
}

/** How the active kernels were chosen (see {@link getKernels}). */
export function kernelInfo(): KernelInfo {
  return getKernels().info;
}
