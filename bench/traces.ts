// The bundled WfCommons traces, for the suites that replay or analyse them.
import { readdirSync } from 'node:fs';

/** examples/traces/ */
export const TRACES = new URL('../examples/traces/', import.meta.url);

/** The trace files, sorted; none (with a warning naming `suite`) when the directory is missing. */
export function traceFiles(suite: string): string[] {
  try {
    return readdirSync(TRACES).filter((f) => f.endsWith('.json')).sort();
  } catch {
    console.warn(`${suite}: no traces at ${TRACES.pathname}; skipping the trace cases`);
    return [];
  }
}

/** A trace file's name without its run number and extension, for case names. */
export const traceLabel = (file: string): string => file.replace(/(-\d+)?\.json$/, '');
