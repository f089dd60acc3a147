import type { HnswlibModule } from 'hnswlib-wasm/dist/index.js';
import { WasmUnavailableError } from '../errors.js';

/** hnswlib-wasm's module with the emscripten file system that weft reaches into. */
export interface HnswModule extends HnswlibModule {
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
    default: (overrides: object) => Promise<HnswModule>;
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
