// Stored values as text for the viewer. Outputs are written by models and tools: whatever they
// hold is shown as characters (the page sets textContent), never interpreted, and long values are
// cut so one huge output cannot stall the page.

import { inspect } from 'node:util';

/** Characters kept of one value; the rest is replaced by a note of how much was left out. */
export const MAX_TEXT_CHARS = 20_000;

function clip(text: string, max = MAX_TEXT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${(text.length - max).toLocaleString('en-US')} more characters)`;
}

/** A value as text: a string as it is, anything else as `util.inspect` shows it (no colours). */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return clip(value);
  return clip(inspect(value, { depth: 6, breakLength: 100, maxArrayLength: 200, maxStringLength: MAX_TEXT_CHARS, compact: 3 }));
}

/** One line of an error: `CODE: message` (or `Name: message`). */
function errorLine(error: unknown): string {
  if (!(error instanceof Error)) return valueText(error);
  const code = (error as { code?: unknown }).code;
  const label = typeof code === 'string' && code !== '' ? code : error.name;
  return `${label}: ${error.message}`;
}

/** An error and its `cause` chain, one line each (`caused by ...` from the second on). */
export function errorText(error: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let e: unknown = error;
  // A chain can be long or loop (a cause that refers back): keep the first eight links.
  while (e !== undefined && !seen.has(e) && lines.length < 8) {
    seen.add(e);
    lines.push(lines.length === 0 ? errorLine(e) : `caused by ${errorLine(e)}`);
    e = e instanceof Error ? e.cause : undefined;
  }
  return clip(lines.join('\n'));
}
