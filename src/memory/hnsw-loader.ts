// The classes' declarations, not the package's index.d.ts: that one's relative imports have no
// extension, so under NodeNext its types resolve to nothing (`any`) and would check nothing.
import type { BruteforceSearch, EmscriptenFileSystemManager, HierarchicalNSW } from 'hnswlib-wasm/dist/hnswlib-wasm.js';
import { WasmUnavailableError } from '../errors.js';

// The hnswlib-wasm types weft relies on are declared here, not imported into its interfaces:
// weft's published .d.ts reach this file, and hnswlib-wasm's own .d.ts do not compile in a
// consumer's strict project (extensionless relative imports under NodeNext, an undeclared global
// `EmscriptenModule`). Its classes are used only inside `load()`, where returning them as an
// `HnswModule` checks that the library provides what these interfaces declare.

/** The methods of hnswlib-wasm's `HierarchicalNSW` that weft calls. */
export interface HnswNativeIndex {
  initIndex(maxElements: number, m: number, efConstruction: number, randomSeed: number): void;
  readIndex(filename: string, maxElements: number): Promise<boolean>;
  writeIndex(filename: string): Promise<boolean>;
  resizeIndex(newMaxElements: number): void;
  addPoints(items: Float32Array[], labels: number[], replaceDeleted: boolean): void;
  markDelete(label: number): void;
  setEfSearch(ef: number): void;
  searchKnn(query: Float32Array, k: number, filter: ((label: number) => boolean) | undefined): HnswNativeResult;
  getUsedLabels(): number[];
  getDeletedLabels(): number[];
  getMaxElements(): number;
  getCurrentCount(): number;
}

/** The search result of hnswlib-wasm's `searchKnn`. */
export interface HnswNativeResult {
  readonly distances: number[];
  readonly neighbors: number[];
}

/** hnswlib-wasm's module as weft uses it, with the emscripten file system it reaches into. */
export interface HnswModule {
  readonly HierarchicalNSW: new (space: 'ip', dim: number, autoSaveFilename: string) => HnswNativeIndex;
  /** Its exact scan, which the memory benchmark compares with weft's. */
  readonly BruteforceSearch: new (space: 'ip', dim: number) => {
    initIndex(maxElements: number): void;
    addPoint(point: Float32Array, label: number): void;
    searchKnn(query: Float32Array, k: number, filter: undefined): HnswNativeResult;
  };
  readonly EmscriptenFileSystemManager: {
    initializeFileSystem(fsType: 'IDBFS'): void;
    setDebugLogs(enable: boolean): void;
  };
  /** Emscripten's FS: index files are written here and read back as bytes. */
  readonly FS: {
    readFile(path: string): Uint8Array;
    writeFile(path: string, data: Uint8Array): void;
    unlink(path: string): void;
  };
}

/** Where hnswlib-wasm's `writeIndex`/`readIndex` put files (its IDBFS mount point). */
export const HNSW_FS_DIR = '/hnswlib-index';

let loading: Promise<HnswModule> | undefined;

// hnswlib-wasm is an emscripten build for browsers: it keeps its files in IndexedDB and does not
// export `FS`, so in Node an index could be written but never read back as bytes. Its generated
// module is loaded from source with two lines appended before `run()`: expose `FS`, and make
// IDBFS's sync a no-op, so files stay in memory and weft stores their bytes in SQLite instead.
const ANCHOR = '\nrun();\n';
const PATCH =
  '\nObject.defineProperty(Module, "FS", { value: FS, configurable: true });' +
  '\nIDBFS.syncfs = (mount, populate, callback) => callback(null);\nrun();\n';

async function load(): Promise<HnswModule> {
  // Its environment check wants a browser global; nothing else of `window` is used.
  (globalThis as { window?: unknown }).window ??= globalThis;
  // Node built-ins are imported here, not at the top, so that bundling this module for a browser
  // does not fail before the caller can fall back to exact search.
  const { readFile } = await import('node:fs/promises');
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  const require = createRequire(import.meta.url);
  const entry = pathToFileURL(require.resolve('hnswlib-wasm/package.json').replace(/package\.json$/, 'dist/hnswlib.js'));
  const loader = await readFile(entry, 'utf8');
  const chunk = /import\("\.\/(hnswlib-[\w-]+\.js)"\)/.exec(loader)?.[1];
  if (chunk === undefined) throw new WasmUnavailableError('hnswlib-wasm: cannot find its generated module');
  const source = await readFile(new URL(chunk, entry), 'utf8');
  if (!source.includes(ANCHOR)) throw new WasmUnavailableError(`hnswlib-wasm: unexpected layout of ${chunk}`);
  // The source map comment is dropped: relative to a data: URL it is an invalid URL, which Node
  // rejects when source maps are enabled.
  const patched = source
    .replace(ANCHOR, PATCH)
    // It logs to the console on mount and on every write; a library's output stays quiet.
    .replace("console.log('b. jsFS synced successfully');", '')
    .replace("console.log('EmscriptenFileSystemManager: Mounting IDBFS filesystem...\\n');", '')
    .replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  const mod = (await import(`data:text/javascript;base64,${Buffer.from(patched).toString('base64')}`)) as {
    default: (overrides: object) => Promise<{
      HierarchicalNSW: typeof HierarchicalNSW;
      BruteforceSearch: typeof BruteforceSearch;
      EmscriptenFileSystemManager: typeof EmscriptenFileSystemManager;
      FS: HnswModule['FS'];
    }>;
  };
  const quiet = () => {};
  const lib = await mod.default({ print: quiet, printErr: quiet });
  lib.EmscriptenFileSystemManager.setDebugLogs(false);
  lib.EmscriptenFileSystemManager.initializeFileSystem('IDBFS');
  return lib;
}

/** Loads hnswlib-wasm once per process (concurrent callers share one promise). */
export function loadHnsw(): Promise<HnswModule> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error instanceof WasmUnavailableError ? error : new WasmUnavailableError(`hnswlib-wasm: ${(error as Error).message}`, { cause: error });
  });
  return loading;
}
