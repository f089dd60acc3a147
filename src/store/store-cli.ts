// `weft runs DB` and `weft tasks DB RUN`: the run store's queries as tables (or JSON), on a file
// opened read-only, so looking never takes a lease, migrates or prunes anything.

import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isWeftError } from '../errors.js';
import type { RecordedTask } from './durable-store.js';
import { openStore } from './open-store.js';
import { DEFAULT_QUERY_LIMIT, type RunQuery, type RunSummary, type TaskQuery } from './query-types.js';

/** Where a command writes. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** The usage text of both commands. */
export const STORE_USAGE = `Usage: weft runs <db> [--status S] [--workflow W] [--limit N] [--offset N] [--json]
       weft tasks <db> <run> [--status S] [--parent ID] [--agent NAME] [--limit N] [--offset N] [--json]

Lists the runs recorded in a run store (newest first), or one run's tasks (in id order), from a
database file written by openStore({ path }). The file is opened read-only.

Options:
      --status S    only runs (running, succeeded, failed, cancelled, interrupted) or tasks
                    (pending, running, retrying, suspended, succeeded, failed, skipped, cancelled) in S
      --workflow W  only runs of workflow W
      --parent ID   only tasks added by task ID
      --agent NAME  only tasks of agent NAME
      --limit N     at most N rows   [default: ${DEFAULT_QUERY_LIMIT}]
      --offset N    skip N rows      [default: 0]
      --json        one JSON object per line instead of a table

Exit codes: 0 done, 2 bad usage, a missing or unreadable store, or an unknown run.`;

class Usage extends Error {}

const OPTIONS = {
  status: { type: 'string' },
  workflow: { type: 'string' },
  parent: { type: 'string' },
  agent: { type: 'string' },
  limit: { type: 'string' },
  offset: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function count(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min) throw new Usage(`--${name} must be an integer >= ${min}, got ${JSON.stringify(text)}`);
  return n;
}

/** Formats rows as a table with a header, columns padded to their widest cell. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const iso = (t: number | undefined) => (t === undefined ? '-' : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
const duration = (t: RecordedTask) => (t.startedAt === undefined || t.endedAt === undefined ? '-' : `${(t.endedAt - t.startedAt).toFixed(1)} ms`);
const errorText = (e: unknown) => {
  if (e === undefined) return '';
  const text = e instanceof Error ? `${(e as { code?: string }).code ?? e.name}: ${e.message}` : String(e);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

function runsTable(runs: readonly RunSummary[]): string {
  return formatTable(['RUN', 'WORKFLOW', 'STATUS', 'TASKS', 'STARTED', 'ENDED'], runs.map((r) => [r.runId, r.workflow || '-', r.status, String(r.tasks), iso(r.startedAt), iso(r.endedAt)]));
}

function tasksTable(tasks: readonly RecordedTask[]): string {
  return formatTable(['TASK', 'STATUS', 'ATTEMPTS', 'AGENT', 'PARENT', 'DURATION', 'ERROR'], tasks.map((t) => [t.id, t.status, String(t.attempts), t.agent ?? '-', t.parent ?? '-', duration(t), errorText(t.error)]));
}

const toJson = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, ...(v as object) } : v));

/**
 * Runs `weft runs ...` (`command` = `runs`) or `weft tasks ...` with `args` (after the command
 * name). Returns the exit code.
 */
export function storeCommand(command: 'runs' | 'tasks', args: readonly string[], io: CliIo): number {
  const where = `weft ${command}`;
  try {
    const { values, positionals } = parse(args);
    if (values.help) {
      io.stdout.write(`${STORE_USAGE}\n`);
      return 0;
    }
    const wanted = command === 'runs' ? 1 : 2;
    if (positionals.length !== wanted) throw new Usage(command === 'runs' ? 'expected one database file: weft runs <db>' : 'expected a database file and a run id: weft tasks <db> <run>');
    const [path, runId] = positionals;
    if (!existsSync(path)) throw new Usage(`no such file: ${path}`);
    const limit = count('limit', values.limit, 1);
    const offset = count('offset', values.offset, 0);
    const store = openStore({ path, readonly: true });
    try {
      if (command === 'runs') {
        if (values.parent !== undefined || values.agent !== undefined) throw new Usage('--parent and --agent filter tasks: weft tasks <db> <run> --parent ID');
        const runs = store.runs({ status: values.status, workflow: values.workflow, limit, offset } as RunQuery);
        io.stdout.write(values.json ? runs.map((r) => `${toJson(r)}\n`).join('') : `${runsTable(runs)}\n`);
      } else {
        if (values.workflow !== undefined) throw new Usage('--workflow filters runs: weft runs <db> --workflow W');
        const tasks = store.tasks(runId, { status: values.status, parent: values.parent, agent: values.agent, limit, offset } as TaskQuery);
        io.stdout.write(values.json ? tasks.map((t) => `${toJson(t)}\n`).join('') : `${tasksTable(tasks)}\n`);
      }
    } finally {
      store.close();
    }
    return 0;
  } catch (error) {
    if (error instanceof Usage || error instanceof TypeError) {
      io.stderr.write(`${where}: ${error.message.replace(/^Expected `status`/, 'Expected `--status`')}\nRun \`weft --help\` for usage.\n`);
      return 2;
    }
    if (isWeftError(error)) {
      io.stderr.write(`${where}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new Usage((error as Error).message);
  }
}
