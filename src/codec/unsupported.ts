// What the encoder refuses, and where: the message and path of EncodeUnsupportedError.
import { EncodeUnsupportedError } from '../errors.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Thrown at an unsupported value; each container it unwinds through adds its path segment, so
 * encoding values that are fine never builds a path.
 */
export class Unsupported {
  /** Path segments, innermost first. */
  readonly path: string[] = [];

  /**
   * @param what - what was found, e.g. `a function (run)`
   * @param cycleDepth - for a circular reference, the depth where it closes (the path is cut there)
   */
  constructor(readonly what: string, readonly cycleDepth = -1) {}

  /** The public error, with the path from the root (`$`). */
  toError(): EncodeUnsupportedError {
    const path = [...this.path].reverse();
    if (this.cycleDepth >= 0) path.length = this.cycleDepth;
    return new EncodeUnsupportedError(`$${path.join('')}`, this.what);
  }
}

/** Describes a value the encoder cannot write, for the error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'symbol') return `a symbol (${String(value.description)})`;
  if (typeof value === 'bigint') return `the bigint ${value} (outside the int 64 / uint 64 range)`;
  if (value instanceof Date) return 'an invalid Date';
  const ctor = (value as object).constructor as { name?: string } | undefined;
  return `an instance of ${ctor?.name || 'an unknown class'} (register an extension for it)`;
}

/** The path segment of an object property: `.name`, or `["odd key"]`. */
export function propertySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** The path segment of a Map entry: `.get("key")`, `.get(1)`. */
export function mapSegment(key: unknown): string {
  return `.get(${typeof key === 'string' ? JSON.stringify(key) : String(key)})`;
}
