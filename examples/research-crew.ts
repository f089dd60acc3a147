// A small research crew as a weft workflow of LLM agents: a planner splits a topic into questions
// (structured output), one researcher per question runs in parallel with a search tool over a
// memory store (two searches at once per question), and a writer streams a report from their
// notes. Against a real provider, set OPENAI_BASE_URL, OPENAI_API_KEY and WEFT_MODEL; without
// OPENAI_BASE_URL it starts the scripted local model below, which answers like a model would
// (deterministically, from what it is sent), so the whole crew runs offline.
//
//   npx tsx examples/research-crew.ts "solar power"
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createAgentRegistry, createMemory, defineTool, llmAgent, workflow, type RunUsage, type WorkflowEvent } from '../src/index.js';
import { startScriptedLlmServer, type RecordedRequest, type ScriptedReply } from '../test/helpers/scripted-llm-server.js';

const CORPUS = [
  'Photovoltaic cells turn sunlight directly into electricity in a semiconductor junction.',
  'Solar panel prices fell by about 90 percent between 2010 and 2020.',
  'Grid batteries store solar electricity for the evening peak after sunset.',
  'Concentrated solar power uses mirrors to heat molten salt, which also stores the heat.',
  'A typical rooftop solar system costs back its price in six to ten years.',
  'Silicon cells work by freeing electrons when photons strike the semiconductor.',
];

const PLANNER = 'You are the planner of a research crew. Split the topic into at most three research questions.';
const RESEARCHER = 'You are a researcher. Use the search tool, then answer the question in one sentence from what it found.';
const WRITER = 'You are the writer. Write a short report from the research notes you are given.';

/** The scripted model: answers each agent's request as a tool-calling model would, from what it was sent. */
export function crewModel(req: RecordedRequest): ScriptedReply {
  const messages = req.body.messages;
  const system = messages[0]?.content ?? '';
  const prompt = messages.at(-1)?.content ?? '';
  if (system.startsWith(PLANNER)) {
    const topic = prompt.replace(/^Plan research on: /, '');
    return { text: JSON.stringify({ questions: [`How do ${topic} cells make electricity?`, `How have ${topic} panel prices changed?`, `How is ${topic} electricity stored?`] }) };
  }
  if (system.startsWith(RESEARCHER)) {
    const results = messages.filter((m) => m.role === 'tool');
    const question = messages.find((m) => m.role === 'user')?.content ?? '';
    if (results.length === 0) {
      // Two searches in one turn: the tool calls run in parallel.
      const keywords = question.replace(/\?$/, '').split(' ').slice(-2).join(' ');
      return { toolCalls: [{ name: 'search', arguments: { query: question } }, { name: 'search', arguments: { query: keywords } }] };
    }
    // The keyword search (the second) is the sharper one.
    const hits = results.reverse().flatMap((m) => JSON.parse(m.content ?? '[]') as string[]);
    return { text: `${question} ${hits[0] ?? 'Nothing was found.'}` };
  }
  if (system.startsWith(WRITER)) {
    const deps = messages.find((m) => m.role === 'user' && m.content?.startsWith('Outputs of the tasks'))?.content ?? '';
    const outputs = JSON.parse(deps.slice(deps.indexOf('\n') + 1) || '{}') as Record<string, unknown>;
    const notes = Object.keys(outputs)
      .filter((id) => id.startsWith('research-'))
      .sort()
      .map((id) => `- ${String(outputs[id])}`);
    return { text: `Report\n\n${notes.join('\n')}\n`, chunks: 8 };
  }
  return { status: 400, body: '{"error":{"message":"unknown agent"}}' };
}

/** Options of {@link runResearchCrew}. */
export interface ResearchCrewOptions {
  /** @default 'solar power' */
  readonly topic?: string;
  /** The provider. @default process.env.OPENAI_BASE_URL, else a local scripted model started for the run */
  readonly baseUrl?: string;
  readonly apiKey?: string;
  /** @default process.env.WEFT_MODEL, else 'scripted' */
  readonly model?: string;
  /** Receives the writer's report as it streams. */
  readonly onDelta?: (delta: string) => void;
  readonly signal?: AbortSignal;
}

/** What the crew produced. */
export interface ResearchCrewResult {
  readonly questions: readonly string[];
  /** The researchers' notes, by task id. */
  readonly notes: Readonly<Record<string, string>>;
  readonly report: string;
  readonly usage: RunUsage;
  readonly events: readonly WorkflowEvent[];
}

/** Runs the crew once. */
export async function runResearchCrew(options: ResearchCrewOptions = {}): Promise<ResearchCrewResult> {
  const topic = options.topic ?? 'solar power';
  const local = options.baseUrl === undefined && !process.env.OPENAI_BASE_URL ? await startScriptedLlmServer({ fallback: crewModel, record: false }) : undefined;
  const memory = await createMemory();
  try {
    for (const text of CORPUS) await memory.remember(text);
    const search = defineTool({
      name: 'search',
      description: 'Searches the knowledge base; returns the two best passages.',
      input: z.object({ query: z.string().min(1) }),
      cache: true,
      run: async ({ query }) => (await memory.recall(query, { k: 2, mode: 'hybrid' })).map((hit) => hit.text),
    });
    const connection = { baseUrl: options.baseUrl ?? local?.baseUrl, apiKey: options.apiKey, model: options.model ?? (process.env.WEFT_MODEL || 'scripted') };
    const Plan = z.object({ questions: z.array(z.string().min(1)).min(1).max(5) });
    const registry = createAgentRegistry([
      llmAgent({ ...connection, name: 'planner', instructions: PLANNER, output: Plan }),
      llmAgent({ ...connection, name: 'researcher', instructions: RESEARCHER, tools: [search], maxSteps: 4, concurrency: 3 }),
      llmAgent({ ...connection, name: 'writer', instructions: WRITER, stream: true }),
    ]);

    const wf = workflow({ name: 'research-crew', agents: registry, budget: { tokens: 100_000 } });
    wf.task({ id: 'plan', agent: 'planner', input: { prompt: `Plan research on: ${topic}` } });
    wf.task({ id: 'write', agent: 'writer', input: { prompt: `Write a short report on ${topic}.` }, dependsOn: ['plan'] });
    // One researcher per question, added when the plan is known; the writer waits for them all.
    wf.onTaskComplete('plan', (output, ctl) => {
      (output as z.infer<typeof Plan>).questions.forEach((question, i) => {
        const id = `research-${i + 1}`;
        void ctl.addTask({ id, agent: 'researcher', input: { prompt: question }, retry: { maxAttempts: 2 } });
        ctl.addDependency('write', id);
      });
    });

    const handle = wf.start({ signal: options.signal });
    const events: WorkflowEvent[] = [];
    handle.on('*', (e) => {
      events.push(e);
      if (e.type === 'task:stream' && e.taskId === 'write') options.onDelta?.(e.delta ?? '');
    });
    const result = await handle.result;
    if (result.status !== 'succeeded') {
      const failed = result.tasks.find((t) => t.status === 'failed');
      throw new Error(`research crew ${result.status}${failed ? `: ${failed.id}: ${(failed.error as Error)?.message}` : ''}`, { cause: failed?.error });
    }
    const questions = (result.output('plan') as z.infer<typeof Plan>).questions;
    const notes = Object.fromEntries(questions.map((_, i) => [`research-${i + 1}`, result.output(`research-${i + 1}`) as string]));
    return { questions, notes, report: result.output('write') as string, usage: result.usage, events };
  } finally {
    await memory.close();
    await local?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = await runResearchCrew({ topic: process.argv[2], onDelta: (d) => process.stdout.write(d) });
  console.log(`\n${out.questions.length} questions; ${out.usage.total.tokens} tokens (${Object.entries(out.usage.agents).map(([a, u]) => `${a} ${u.tokens}`).join(', ')})`);
}
