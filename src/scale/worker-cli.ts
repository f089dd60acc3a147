// `weft worker`: a process that runs the tasks coordinators send through BullMQ, with the agents
// of a module of the user's, until SIGTERM or SIGINT (it finishes the jobs it holds first).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { AgentRegistry } from '../agents/agent-registry.js';
import { isWeftError } from '../errors.js';
import { closeWorkers } from '../executors/worker-pool.js';
import type { RateLimitOptions } from '../scheduler/rate-limiter.js';
import type { RunStore } from '../store/store-api.js';
import { DEFAULT_WEFT_WORKER_OPTIONS, startWorker } from './bullmq-worker.js';
import { showConnection } from './redis-connection.js';

/** Where the command writes. */
export interface WorkerCliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** The usage text of `weft worker`. */
export const WORKER_USAGE = `Usage: weft worker --redis <url> --queue <name> [--agents <module>] [--concurrency N] [--store <db>]

Runs the tasks that workflows with bullmqExecutor({ connection, queue }) send to the BullMQ queue
<name> on Redis: agent tasks with the agents of <module> (its export \`agents\`, or its default
export: a registry from createAgentRegistry), \`worker\` tasks on this machine's threads. Any number
of workers, on any machines, can serve one queue. SIGTERM or SIGINT stops it after the jobs it holds.

Options:
      --redis URL         Redis, e.g. redis://127.0.0.1:6379
      --queue NAME        the queue (the coordinators' \`queue\`)
      --agents MODULE     a module exporting the agent registry
      --concurrency N     jobs at once   [default: ${DEFAULT_WEFT_WORKER_OPTIONS.concurrency}]
      --store DB          a run store file this worker can reach, for ctx.transaction
      --prefix P          BullMQ's key prefix   [default: ${DEFAULT_WEFT_WORKER_OPTIONS.prefix}]
      --lock-ms MS        BullMQ's job lock: a dead worker's jobs stall after it   [default: ${DEFAULT_WEFT_WORKER_OPTIONS.lockDurationMs}]
      --stalled-ms MS     how often stalled jobs are looked for   [default: ${DEFAULT_WEFT_WORKER_OPTIONS.stalledIntervalMs}]

Exit codes: 0 stopped, 2 bad usage or a module that cannot be loaded.`;

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be an integer >= 1, got \`${text}\``);
  return n;
}

class UsageError extends Error {}

/** What an `--agents` module gives: its registry, and the shared rate limits and groups it exports, if any. */
interface AgentsModule {
  readonly agents: AgentRegistry;
  readonly rateLimits?: Readonly<Record<string, RateLimitOptions>>;
  readonly groups?: Readonly<Record<string, number>>;
}

async function loadAgents(path: string): Promise<AgentsModule> {
  const file = resolve(path);
  if (!existsSync(file)) throw new UsageError(`--agents: no such module: ${file}`);
  const mod = (await import(pathToFileURL(file).href)) as { agents?: unknown; default?: unknown; rateLimits?: unknown; groups?: unknown };
  const registry = mod.agents ?? mod.default;
  if (typeof registry !== 'object' || registry === null || typeof (registry as { entry?: unknown }).entry !== 'function') {
    throw new UsageError(`--agents: ${file} exports no agent registry (export \`agents\` or a default: createAgentRegistry([...]))`);
  }
  for (const name of ['rateLimits', 'groups'] as const) {
    const v = mod[name];
    if (v !== undefined && (typeof v !== 'object' || v === null)) throw new UsageError(`--agents: ${file}: its export \`${name}\` must be an object, got ${typeof v}`);
  }
  return { agents: registry as AgentRegistry, rateLimits: mod.rateLimits as AgentsModule['rateLimits'], groups: mod.groups as AgentsModule['groups'] };
}

/** Runs `weft worker ARGS` until `signal` aborts (the CLI wires SIGTERM/SIGINT to it); returns the exit code. */
export async function workerCommand(args: readonly string[], io: WorkerCliIo, signal: AbortSignal): Promise<number> {
  let store: RunStore | undefined;
  try {
    const { values } = parseArgs({
      args: [...args],
      options: {
        redis: { type: 'string' },
        queue: { type: 'string' },
        agents: { type: 'string' },
        concurrency: { type: 'string' },
        store: { type: 'string' },
        prefix: { type: 'string' },
        'lock-ms': { type: 'string' },
        'stalled-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`${WORKER_USAGE}\n`);
      return 0;
    }
    if (values.redis === undefined) throw new UsageError('--redis <url> is required');
    if (values.queue === undefined) throw new UsageError('--queue <name> is required');
    const loaded = values.agents === undefined ? undefined : await loadAgents(values.agents);
    const agents = loaded?.agents;
    if (values.store !== undefined) {
      if (!existsSync(values.store)) throw new UsageError(`--store: no such file: ${resolve(values.store)} (the coordinator's openStore creates it)`);
      const { openStore } = await import('../store/open-store.js');
      store = openStore({ path: values.store });
    }
    const concurrency = integer('concurrency', values.concurrency);
    const lockDurationMs = integer('lock-ms', values['lock-ms']);
    const stalledIntervalMs = integer('stalled-ms', values['stalled-ms']);
    const worker = await startWorker({
      connection: values.redis,
      queue: values.queue,
      ...(values.prefix !== undefined && { prefix: values.prefix }),
      ...(agents !== undefined && { agents }),
      ...(loaded?.rateLimits !== undefined && { rateLimits: loaded.rateLimits }),
      ...(loaded?.groups !== undefined && { groups: loaded.groups }),
      ...(concurrency !== undefined && { concurrency }),
      ...(lockDurationMs !== undefined && { lockDurationMs }),
      ...(stalledIntervalMs !== undefined && { stalledIntervalMs }),
      ...(store !== undefined && { store }),
    });
    io.stdout.write(`weft worker ${worker.id}: queue ${values.queue} on ${showConnection(values.redis)}, agents ${agents?.names().join(', ') || '(none)'}, concurrency ${concurrency ?? DEFAULT_WEFT_WORKER_OPTIONS.concurrency}\n`);
    await new Promise<void>((done) => {
      if (signal.aborted) done();
      else signal.addEventListener('abort', () => done(), { once: true });
    });
    await worker.close();
    io.stdout.write(`weft worker ${worker.id}: stopped after ${worker.processed} jobs\n`);
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true || error instanceof TypeError || error instanceof RangeError;
    io.stderr.write(`weft worker: ${isWeftError(error) ? `${error.code}: ` : ''}${(error as Error).message}\n${usage ? "Run 'weft worker --help' for usage.\n" : ''}`);
    return 2;
  } finally {
    store?.close();
    // The threads of `worker` tasks, if any ran: the process can exit then.
    await closeWorkers();
  }
}
