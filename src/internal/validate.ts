// One message shape for every programmer error, in the style of p-queue:
// Expected `concurrency` to be an integer >= 1, got `0` (number)

/** Formats a received value for an error message: its printed form and its type. */
export function describe(value: unknown): string {
  let shown: string;
  if (typeof value === 'string') shown = JSON.stringify(value);
  else if (typeof value === 'bigint') shown = `${value}n`;
  else if (typeof value === 'function') shown = value.name ? `[function ${value.name}]` : '[function]';
  else if (ArrayBuffer.isView(value)) shown = `${value.constructor.name}(${(value as { length?: number }).length ?? value.byteLength})`;
  else if (typeof value === 'object' && value !== null) {
    try {
      shown = JSON.stringify(value) ?? String(value);
    } catch {
      shown = Object.prototype.toString.call(value);
    }
    if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
  } else shown = String(value);
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return `\`${shown}\` (${type})`;
}

/** Builds the standard message: ``Expected `name` to be <expected>, got `value` (type)``. */
export function expectedMessage(name: string, expected: string, value: unknown): string {
  return `Expected \`${name}\` to be ${expected}, got ${describe(value)}`;
}

/** Throws a `RangeError` unless `value` is an integer in [min, max]. */
export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number') throw new TypeError(expectedMessage(name, `an integer >= ${min}`, value));
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(expectedMessage(name, `an integer ${range}`, value));
  }
  return value;
}

/** Throws a `TypeError` unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(expectedMessage(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value));
  }
  return value as T;
}

/** Throws a `TypeError` unless `value` is an instance of the typed array constructor `ctor`. */
export function checkTypedArray<T extends ArrayBufferView>(
  name: string,
  value: unknown,
  ctor: abstract new (...args: never[]) => T,
): T {
  if (!(value instanceof ctor)) throw new TypeError(expectedMessage(name, `a ${ctor.name}`, value));
  return value;
}
