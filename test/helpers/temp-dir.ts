// A fresh directory under the OS temp dir per test file, removed afterwards: the memory tests use
// real SQLite files, not mocks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates a temp dir; returns it and a cleanup function. */
export function tempDir(prefix = 'weft-'): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
