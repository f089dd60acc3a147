#!/usr/bin/env node
/**
 * The `weft` command line.
 *
 * ```
 * weft replay <trace.json> [--workers N] [--scale S] [--json]
 * weft runs <db> [--status S] [--workflow W] [--limit N] [--offset N] [--json]
 * weft tasks <db> <run> [--status S] [--parent ID] [--agent NAME] [--limit N] [--offset N] [--json]
 * weft view <db> [--port N] [--host H]
 * weft worker --redis <url> --queue <name> [--agents <module>] [--concurrency N] [--store <db>]
 * ```
 *
 * Exit codes: 0 done, 1 the run failed, 2 bad usage or an unreadable/invalid trace, 130
 * interrupted (Ctrl-C).
 *
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { isWeftError } from './errors.js';
import { readTrace } from './graph/wfcommons.js';
import { initKernels } from './kernels/index.js';
import { createProgressBar } from './replay/progress.js';
import { DEFAULT_REPLAY_OPTIONS, replayDurations, replayTrace } from './replay/replay.js';
import { ANCESTOR_BOUND_MAX_NODES, ancestorLowerBound } from './replay/simulate.js';
import { formatSummary } from './replay/summary.js';
import { setTimerSlack } from './replay/timer-slack.js';
import { STORE_USAGE, storeCommand } from './store/store-cli.js';
import { WORKER_USAGE, workerCommand } from './scale/worker-cli.js';
import { VIEW_USAGE, viewCommand } from './view/view-cli.js';

const USAGE = `Usage: weft replay <trace.json> [--workers N] [--scale S] [--json] [--no-warmup]

Replays a WfCommons workflow trace (WfFormat JSON) on weft's task engine: every task sleeps
its recorded runtime × S on N lanes, and the summary compares the measured makespan with the
lower bound and with the same priority policy simulated without overhead.

Options:
  -w, --workers N   lanes (the run's concurrency), an integer >= 1   [default: ${DEFAULT_REPLAY_OPTIONS.workers}]
  -s, --scale S     ms of replay per ms of recorded runtime, >= 0   [default: ${DEFAULT_REPLAY_OPTIONS.scale}, 1 s -> 1 ms]
      --json        print only the summary, as one JSON object
      --no-warmup   skip the unmeasured warm-up run (zero-length sleeps) that JIT-compiles
                    the engine first, and measure a cold run
  -h, --help        show this help

Exit codes: 0 done, 1 the run failed, 2 bad usage or invalid trace, 130 interrupted.`;

/** A usage error: printed with a hint to `--help`, exit code 2. */
class UsageError extends Error {
  /** @param where - the command it is about, e.g. `weft replay` */
  constructor(
    message: string,
    readonly where = 'weft',
  ) {
    super(message);
  }
}

interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

function parseWorkers(text: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--workers must be an integer >= 1, got ${JSON.stringify(text)}`, 'weft replay');
  }
  return n;
}

function parseScale(text: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || x < 0) {
    throw new UsageError(`--scale must be a finite number >= 0, got ${JSON.stringify(text)}`, 'weft replay');
  }
  return x;
}

async function replayCommand(args: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        workers: { type: 'string', short: 'w' },
        scale: { type: 'string', short: 's' },
        json: { type: 'boolean', default: false },
        'no-warmup': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, 'weft replay');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('missing the trace file: weft replay <trace.json>', 'weft replay');
  if (positionals.length > 1) throw new UsageError(`one trace file expected, got ${positionals.length}: ${positionals.join(' ')}`, 'weft replay');
  const workers = values.workers === undefined ? DEFAULT_REPLAY_OPTIONS.workers : parseWorkers(values.workers);
  const scale = values.scale === undefined ? DEFAULT_REPLAY_OPTIONS.scale : parseScale(values.scale);

  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  try {
    const [trace] = await Promise.all([readTrace(positionals[0]), initKernels()]);
    // A scale can turn valid runtimes into infinite sleeps: that is a bad flag, not a crash.
    const scaled = replayDurations(trace, scale);
    if (!Number.isFinite(scaled.reduce((a, b) => a + b, 0))) {
      throw new UsageError(`--scale ${values.scale} makes the trace's total runtime overflow (not a finite number of ms)`, 'weft replay');
    }
    const bar = createProgressBar(io.stderr, trace.ids.length);
    // Less spinning per wake-up (see timer-slack.ts); the process ends soon after anyway.
    const restoreSlack = setTimerSlack();
    let summary;
    try {
      summary = await replayTrace(trace, {
        workers,
        scale,
        warmup: !values['no-warmup'],
        signal: controller.signal,
        onProgress: bar.enabled ? (p) => bar.update(p.done, p.running) : undefined,
      });
    } finally {
      restoreSlack?.();
      bar.finish();
    }
    if (values.json) {
      io.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      // The tighter bound needs n² bits: shown for traces up to ANCESTOR_BOUND_MAX_NODES tasks.
      const ancestorBoundMs =
        trace.ids.length <= ANCESTOR_BOUND_MAX_NODES ? ancestorLowerBound(trace.graph, scaled, workers) : undefined;
      const title = `replay of ${trace.name} (${positionals[0]})`;
      io.stdout.write(`${formatSummary(summary, { title, scale, ancestorBoundMs })}\n`);
    }
    return 0;
  } catch (error) {
    if (controller.signal.aborted) {
      io.stderr.write('weft replay: interrupted\n');
      return 130;
    }
    // A trace that is not a DAG is as invalid as one that is not JSON.
    if (isWeftError(error, 'TRACE_INVALID') || isWeftError(error, 'CYCLE_DETECTED')) {
      io.stderr.write(`weft replay: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** `weft worker`, stopped (after its running jobs) by SIGTERM or SIGINT. */
async function workerUntilSignalled(args: readonly string[], io: Io): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    return await workerCommand(args, io, controller.signal);
  } finally {
    process.removeListener('SIGTERM', stop);
    process.removeListener('SIGINT', stop);
  }
}

/**
 * Runs the command line with `argv` (without the node and script paths) and returns the exit
 * code. Usage errors print to stderr with a pointer to `--help`.
 */
export async function runCli(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout).write(`${USAGE}\n\n${STORE_USAGE}\n\n${VIEW_USAGE}\n\n${WORKER_USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === 'replay') return await replayCommand(rest, io);
    if (command === 'runs' || command === 'tasks') return storeCommand(command, rest, io);
    if (command === 'view') return await viewCommand(rest, io);
    if (command === 'worker') return await workerUntilSignalled(rest, io);
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.where}: ${error.message}\nRun \`weft --help\` for usage.\n`);
      return 2;
    }
    io.stderr.write(`weft: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await runCli(process.argv.slice(2));
