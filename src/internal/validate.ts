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

/** Checks a reported amount (tokens, bytes, dollars): a finite number >= 0. */
export function checkAmount(name: string, n: unknown): number {
  if (typeof n !== 'number' || !(n >= 0) || !Number.isFinite(n)) throw new RangeError(`Expected \`${name}\` to be a finite number >= 0, got \`${String(n)}\` (${typeof n})`);
  return n;
}

/** Checks a reported model usage and returns it as plain data (`costUsd` only when given). */
export function checkUsage(usage: unknown): { promptTokens: number; completionTokens: number; costUsd?: number } {
  if (typeof usage !== 'object' || usage === null) throw new TypeError(`Expected \`usage\` to be a usage object ({ promptTokens, completionTokens, costUsd? }), got \`${String(usage)}\` (${typeof usage})`);
  const { promptTokens, completionTokens, costUsd } = usage as { promptTokens: unknown; completionTokens: unknown; costUsd?: unknown };
  const p = checkAmount('usage.promptTokens', promptTokens);
  const c = checkAmount('usage.completionTokens', completionTokens);
  return costUsd === undefined ? { promptTokens: p, completionTokens: c } : { promptTokens: p, completionTokens: c, costUsd: checkAmount('usage.costUsd', costUsd) };
}
