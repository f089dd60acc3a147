// The errors of `weft view` (src/view): a store file that is not there, a page that was not built.

import { WeftError } from './weft-error.js';

/** The viewer was pointed at a file that does not exist (or is not a file): it opens existing stores only, read-only. */
export class StoreMissingError extends WeftError {
  /** The path given. */
  readonly path: string;

  /**
   * @param path - the path given
   * @param what - what is there instead (`no such file`, `a directory`)
   */
  constructor(path: string, what = 'no such file') {
    super('STORE_MISSING', `run store ${path}: ${what} (weft view reads an existing store, written by openStore({ path }); it creates nothing)`);
    this.path = path;
  }
}

/** The viewer's page (its script and styles) is missing beside the code: the package was not built. */
export class ViewerNotBuiltError extends WeftError {
  /** The file looked for. */
  readonly file: string;

  /**
   * @param file - the file looked for
   * @param options - `cause`: the read error
   */
  constructor(file: string, options?: { cause?: unknown }) {
    super('VIEWER_NOT_BUILT', `the viewer's page is not built: ${file} is missing (run \`npm run build\`)`, options);
    this.file = file;
  }
}
