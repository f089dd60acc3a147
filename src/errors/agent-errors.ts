// The errors of agents: schema violations, JSON Schema export, the registry, budgets.

import { WeftError } from './weft-error.js';
/** One field that failed a schema: where (`$.items[2].id`, `$` for the value itself) and why. */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

/** Whose schema a value failed: an agent's or a tool's, its input or its output. */
export interface SchemaSubject {
  /** The agent's name (set for agents). */
  readonly agent?: string;
  /** The tool's name (set for tools). */
  readonly tool?: string;
  readonly side: 'input' | 'output';
}

function subjectName(subject: SchemaSubject): string {
  if (subject.agent !== undefined) return `agent \`${subject.agent}\``;
  if (subject.tool !== undefined) return `tool \`${subject.tool}\``;
  return 'value';
}

/**
 * A value failed an agent's or a tool's input or output schema. Lists every bad field, with its
 * path and the validator's message. An input that fails is not retried (the same input fails
 * the same way); an output that fails may be, by the task's retry policy.
 */
export class SchemaInvalidError extends WeftError {
  /** The agent whose schema failed, if an agent's. */
  readonly agentName: string | undefined;
  /** The tool whose schema failed, if a tool's. */
  readonly toolName: string | undefined;
  /** Which schema: the input's or the output's. */
  readonly side: 'input' | 'output';
  /** Every bad field. */
  readonly issues: readonly SchemaIssue[];

  /**
   * @param subject - whose schema, and which side
   * @param issues - every bad field
   */
  constructor(subject: SchemaSubject, issues: readonly SchemaIssue[]) {
    const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    super('SCHEMA_INVALID', `${subjectName(subject)} ${subject.side} is invalid (${issues.length} ${issues.length === 1 ? 'issue' : 'issues'}): ${list}`);
    this.agentName = subject.agent;
    this.toolName = subject.tool;
    this.side = subject.side;
    this.issues = issues;
  }
}

/** A schema that cannot be exported as JSON Schema (its library offers no converter). */
export class JsonSchemaUnsupportedError extends WeftError {
  /**
   * @param subject - whose schema, and which side
   * @param vendor - the schema library (`~standard.vendor`)
   * @param options - `cause`: the converter's error, when it threw
   */
  constructor(subject: SchemaSubject, vendor: string, options?: { cause?: unknown }) {
    const why = options?.cause === undefined ? `its library (\`${vendor}\`) has no Standard JSON Schema converter (\`~standard.jsonSchema\`); use zod 4 or a library that has one` : `the \`${vendor}\` converter failed: ${String((options.cause as Error)?.message ?? options.cause)}`;
    super('JSON_SCHEMA_UNSUPPORTED', `cannot export the ${subject.side} schema of ${subjectName(subject)} as JSON Schema: ${why}`, options);
  }
}

/** Two agents with the same name in one registry. */
export class AgentDuplicateError extends WeftError {
  /** The name registered twice. */
  readonly agentName: string;

  /** @param name - the name registered twice */
  constructor(name: string) {
    super('AGENT_DUPLICATE', `an agent named \`${name}\` is already registered`);
    this.agentName = name;
  }
}

/** A name that no agent of the registry has. */
export class AgentUnknownError extends WeftError {
  /** The name asked for. */
  readonly agentName: string;

  /**
   * @param name - the name asked for
   * @param known - the registry's names, for the message
   * @param where - who asked (`task \`x\``), for the message
   */
  constructor(name: string, known: readonly string[], where?: string) {
    super('AGENT_UNKNOWN', `${where === undefined ? '' : `${where}: `}unknown agent \`${name}\` (registered: ${known.length > 0 ? known.join(', ') : 'none'})`);
    this.agentName = name;
  }
}

/**
 * A task was not started because a budget it draws on is spent (the workflow's, for every agent
 * task, or its agent's). Never retried.
 */
export class BudgetExceededError extends WeftError {
  /** `'workflow'`, or `'agent:<name>'`. */
  readonly budget: string;
  /** What the budget had spent when the task was refused. */
  readonly spent: { readonly tokens: number; readonly costUsd: number };
  /** The budget's limits. */
  readonly limit: { readonly tokens?: number; readonly costUsd?: number };

  /**
   * @param taskId - the task refused
   * @param budget - `'workflow'` or `'agent:<name>'`
   * @param spent - what it had spent
   * @param limit - its limits
   */
  constructor(taskId: string, budget: string, spent: { tokens: number; costUsd: number }, limit: { tokens?: number; costUsd?: number }) {
    const over = limit.tokens !== undefined && spent.tokens >= limit.tokens ? `${spent.tokens} of ${limit.tokens} tokens` : `$${spent.costUsd} of $${limit.costUsd ?? 0}`;
    super('BUDGET_EXCEEDED', `task \`${taskId}\` not started: the ${budget === 'workflow' ? 'workflow' : budget.replace(/^agent:/, 'agent `') + '`'} budget is spent (${over})`);
    this.budget = budget;
    this.spent = spent;
    this.limit = limit;
  }
}
