import { EmptyTextError } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';
import { checkFilter } from './filter.js';
import { checkScope } from './options.js';
import type { MemorySelector } from './types.js';

/** Checks a text to remember or search for: a string with something besides whitespace. */
export function checkText(what: string, text: unknown): string {
  if (typeof text !== 'string') throw new TypeError(expectedMessage(what, 'a string', text));
  if (text.trim() === '') throw new EmptyTextError(what);
  return text;
}

/** Checks a selector's fields and returns a copy holding only them. */
export function checkSelector(s: MemorySelector): MemorySelector {
  if (typeof s !== 'object' || s === null) throw new TypeError(expectedMessage('selector', 'an object', s));
  if (s.scope !== undefined) checkScope(s.scope);
  if (s.runId !== undefined && typeof s.runId !== 'string') throw new TypeError(expectedMessage('runId', 'a string', s.runId));
  if (s.entity !== undefined && typeof s.entity !== 'string') throw new TypeError(expectedMessage('entity', 'a string', s.entity));
  if (s.filter !== undefined) checkFilter(s.filter);
  return { scope: s.scope, runId: s.runId, entity: s.entity, filter: s.filter };
}
