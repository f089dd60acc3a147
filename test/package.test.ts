import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/temp-dir.js';

// package.json's published surface, as a new user gets it: the tarball `npm pack` makes of dist/
// (built by `npm test` before vitest starts; --ignore-scripts skips `prepare`, a second build),
// installed into an empty ESM TypeScript project (test/fixtures/consumer), type-checked by tsc
// (strict, skipLibCheck false) under NodeNext and Bundler resolution, and run with node.
//
// The project lives under the OS temp dir, outside this repository, so that neither module
// resolution nor tsc's @types lookup can fall back on the repository's node_modules (where
// @types/better-sqlite3, a devDependency here, would hide a leak). npm installs weft's declared
// dependencies from its cache when it can (--prefer-offline) and runs no install scripts: the one
// they matter for, better-sqlite3, would download or compile its native addon (90 s from source).
// The addon is linked from this repository's own install instead, after checking the versions
// match; everything else the consumer loads is what npm installed from the tarball.

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('fixtures/consumer', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc'); // this repository's TypeScript

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Runs a step that must succeed; its output becomes the failure message when it does not. */
async function step(command: string, args: readonly string[], cwd: string): Promise<string> {
  const out = await run(command, args, cwd);
  expect(out.code, `${command} ${args.join(' ')}\n${out.stdout}\n${out.stderr}`).toBe(0);
  return out.stdout;
}

const version = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;

interface PackedFile {
  readonly path: string;
  readonly size: number;
}

const temp = tempDir('weft-consumer-');
const app = join(temp.dir, 'app');
let packed: { filename: string; size: number; files: PackedFile[] };

beforeAll(async () => {
  const json = await step('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', temp.dir], root);
  [packed] = JSON.parse(json) as (typeof packed)[];
  cpSync(fixture, app, { recursive: true });
  await step('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(temp.dir, packed.filename)], app);
  const sqlite = join(app, 'node_modules/better-sqlite3');
  const ours = join(root, 'node_modules/better-sqlite3');
  expect(version(sqlite), 'the installed better-sqlite3 must be the one whose addon is linked').toBe(version(ours));
  symlinkSync(join(ours, 'build'), join(sqlite, 'build'), 'dir');
}, 120_000);

// Removing the installed project (node_modules of ~200 MB) takes longer than the 10 s default on a busy machine.
afterAll(() => temp.remove(), 120_000);

describe('the packed package', () => {
  it('publishes every file package.json points at, and no tests, benches or debug builds', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      types: string;
      main: string;
      bin: Record<string, string>;
      exports: Record<string, unknown>;
    };
    const targets = new Set<string>([pkg.types, pkg.main, ...Object.values(pkg.bin)]);
    const collect = (value: unknown): void => {
      if (typeof value === 'string') targets.add(value);
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(pkg.exports);
    const files = new Set(packed.files.map((f) => f.path));
    for (const target of targets) expect(files, target).toContain(target.replace(/^\.\//, ''));
    expect(packed.files.filter((f) => /^(test|bench|examples|node_modules)\/|\.debug\.wasm$|\.tgz$/.test(f.path))).toEqual([]);
    // The WASM core, the bundle and its source maps make ~0.6 MB; a stray data file would not fit.
    expect(packed.size).toBeLessThan(2_000_000);
  });

  it('installs without @types/better-sqlite3 (a devDependency of weft only)', () => {
    expect(existsSync(join(app, 'node_modules/weft/dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/@types/better-sqlite3'))).toBe(false);
  });
});

// tsc with skipLibCheck false checks all of @types/node and lib.dom: ~10 s of CPU each, and far
// more wall time on a shared machine, hence the timeouts (the three run side by side).
describe.concurrent('a strict TypeScript consumer', { timeout: 180_000 }, () => {
  it('type-checks under NodeNext resolution and runs the compiled program with node', async () => {
    expect(await step(process.execPath, [tsc, '-p', 'tsconfig.nodenext.json'], app)).toBe('');
    const out = await step(process.execPath, ['out/index.mjs'], app);
    expect(JSON.parse(out)).toEqual({ backend: 'wasm', answer: 'The deploy failed: disk full on build-3' });
  });

  it('type-checks under Bundler resolution', async () => {
    expect(await step(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], app)).toBe('');
  });

  it('type-checks in a Node project without the DOM lib (lib ES2022, Node types only)', async () => {
    expect(await step(process.execPath, [tsc, '-p', 'tsconfig.nodelib.json'], app)).toBe('');
  });
});
