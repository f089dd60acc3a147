import { InvalidFilterError } from '../errors.js';
import { describe, expectedMessage } from '../internal/validate.js';
import type { FilterValue, MemoryFilter, MemoryMetadata } from './types.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isScalar(value: unknown): value is FilterValue {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Checks that `filter` is a flat object of scalar equality conditions.
 * @throws `InvalidFilterError` (`INVALID_FILTER`) naming the offending key.
 */
export function checkFilter(filter: unknown): MemoryFilter {
  if (!isPlainObject(filter)) throw new InvalidFilterError(`expected a plain object of metadata equalities, got ${describe(filter)}`);
  for (const [key, value] of Object.entries(filter)) {
    if (key === '') throw new InvalidFilterError('an empty key');
    if (!isScalar(value)) {
      throw new InvalidFilterError(`\`${key}\` must be a string, a finite number, a boolean or null, got ${describe(value)}`);
    }
  }
  return filter as MemoryFilter;
}

/** Checks that `metadata` is a plain object that survives JSON. */
export function checkMetadata(metadata: unknown): MemoryMetadata {
  if (!isPlainObject(metadata)) throw new TypeError(expectedMessage('metadata', 'a plain object', metadata));
  return metadata;
}

/** How a scalar is stored in the tag index: JSON, so `1`, `'1'` and `true` stay distinct. */
export function encodeValue(value: FilterValue): string {
  return JSON.stringify(value);
}

/** The indexable (top-level scalar) entries of `metadata`, encoded. */
export function tagsOf(metadata: MemoryMetadata): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(metadata)) if (key !== '' && isScalar(value)) out.push([key, encodeValue(value)]);
  return out;
}

/** Whether `metadata` satisfies every condition of `filter`. */
export function matchesFilter(metadata: MemoryMetadata, filter: MemoryFilter): boolean {
  for (const [key, value] of Object.entries(filter)) {
    const actual = metadata[key];
    if (!isScalar(actual) || encodeValue(actual) !== encodeValue(value)) return false;
  }
  return true;
}
