// "Agents": a research crew of LLM agents as a weft workflow, against the scripted in-page model
// (scripted-model.ts): a planner with structured output, one researcher per question in parallel
// with a search tool over an in-memory weft memory, and a writer whose answer streams in.

import { z } from 'zod';
import { createMemory, workflow, type WorkflowEvent } from '../dist/browser.js';
import { createAgentRegistry } from '../dist/agents/agent-registry.js';
import { defineTool } from '../dist/tools/define-tool.js';
import { llmAgent } from '../dist/llm/llm-agent.js';
import { $, el, setText } from '../src/view/page/dom.js';
import { scriptedFetch, type ModelCall, type ScriptedAnswer } from './scripted-model.js';

const CORPUS = [
  'Photovoltaic cells turn sunlight directly into electricity in a semiconductor junction.',
  'Solar panel prices fell by about 90 percent between 2010 and 2020.',
  'Grid batteries store solar electricity for the evening peak after sunset.',
  'Concentrated solar power uses mirrors to heat molten salt, which also stores the heat.',
  'A typical rooftop solar system pays back its price in six to ten years.',
  'Silicon cells work by freeing electrons when photons strike the semiconductor.',
  'Wind turbines and solar farms together smooth the supply across the day.',
];
const PLANNER = 'You are the planner of a research crew. Split the topic into three research questions.';
const RESEARCHER = 'You are a researcher. Use the search tool, then answer the question in one sentence from what it found.';
const WRITER = 'You are the writer. Write a short report from the research notes you are given.';

type Messages = readonly { readonly role: string; readonly content?: string | null }[];

/** The script: what each agent's model answers, from the conversation it is sent. */
function crewScript(messages: Messages): ScriptedAnswer & { agent: string } {
  const system = messages[0]?.content ?? '';
  const prompt = messages.at(-1)?.content ?? '';
  if (system.startsWith(PLANNER)) {
    const topic = prompt.replace(/^Plan research on: /, '');
    return { agent: 'planner', text: JSON.stringify({ questions: [`How do ${topic} cells make electricity?`, `How have ${topic} panel prices changed?`, `How is ${topic} electricity stored?`] }) };
  }
  if (system.startsWith(RESEARCHER)) {
    const question = messages.find((m) => m.role === 'user')?.content ?? '';
    const results = messages.filter((m) => m.role === 'tool');
    if (results.length === 0) return { agent: 'researcher', toolCalls: [{ name: 'search', arguments: { query: question } }] };
    const hits = JSON.parse(results[0].content ?? '[]') as string[];
    return { agent: 'researcher', text: hits[0] ?? 'Nothing was found.' };
  }
  const deps = messages.find((m) => m.role === 'user' && m.content?.startsWith('Outputs of the tasks'))?.content ?? '';
  const outputs = JSON.parse(deps.slice(deps.indexOf('\n') + 1) || '{}') as Record<string, unknown>;
  const notes = Object.keys(outputs).filter((id) => id.startsWith('research-')).sort().map((id) => String(outputs[id]));
  return { agent: 'writer', text: `In short: ${notes.join(' ')} Together these explain how the technology works, what it costs and how its energy is kept for later.` };
}

/** Wires the Agents section. */
export function setupAgents(): void {
  const section = $('#agents');
  const log = $('#agent-log');
  const answer = $('#agent-answer');
  const button = $<HTMLButtonElement>('#agents-run');
  const line = (kind: string, who: string, text: string): void => {
    const li = el('li', '', { class: kind });
    li.append(el('span', who, { class: 'who' }), el('span', text));
    log.append(li);
    log.scrollTop = log.scrollHeight;
  };

  async function run(): Promise<void> {
    button.disabled = true;
    log.replaceChildren();
    answer.textContent = '';
    section.dataset.state = 'running';
    const topic = $<HTMLInputElement>('#agents-topic').value.trim() || 'solar power';
    const memory = await createMemory();
    try {
      await memory.rememberMany(CORPUS);
      const onCall = (c: ModelCall) => line('step', c.agent, `model call: ${c.promptTokens} prompt + ${c.completionTokens} completion tokens${c.toolCalls > 0 ? `, asks for ${c.toolCalls} tool call` : ''}`);
      const connection = { baseUrl: 'http://model.invalid/v1', model: 'scripted', fetch: scriptedFetch(crewScript, onCall) };
      const search = defineTool({
        name: 'search',
        description: 'Searches the knowledge base; returns the two best passages.',
        input: z.object({ query: z.string().min(1) }),
        run: async ({ query }) => {
          const hits = (await memory.recall(query, { k: 2, mode: 'hybrid' })).map((h) => h.text);
          line('tool', 'search', `search(${JSON.stringify(query)}) → ${hits.length} passages`);
          return hits;
        },
      });
      const Plan = z.object({ questions: z.array(z.string().min(1)).min(1).max(5) });
      const registry = createAgentRegistry([
        llmAgent({ ...connection, name: 'planner', instructions: PLANNER, output: Plan }),
        llmAgent({ ...connection, name: 'researcher', instructions: RESEARCHER, tools: [search], maxSteps: 4, concurrency: 3 }),
        llmAgent({ ...connection, name: 'writer', instructions: WRITER, stream: true }),
      ]);
      const wf = workflow({ name: 'research-crew', agents: registry, budget: { tokens: 100_000 } });
      wf.task({ id: 'plan', agent: 'planner', input: { prompt: `Plan research on: ${topic}` } });
      wf.task({ id: 'write', agent: 'writer', input: { prompt: `Write a short report on ${topic}.` }, dependsOn: ['plan'] });
      wf.onTaskComplete('plan', (output, ctl) => {
        (output as z.infer<typeof Plan>).questions.forEach((question, i) => {
          const id = `research-${i + 1}`;
          void ctl.addTask({ id, agent: 'researcher', input: { prompt: question } });
          ctl.addDependency('write', id);
        });
      });
      const handle = wf.start();
      handle.on('*', (e: WorkflowEvent) => {
        if (e.type === 'task:start') line('start', e.taskId!, `starts (${e.agent})`);
        else if (e.type === 'task:succeeded') line('done', e.taskId!, `done: ${typeof e.output === 'string' ? e.output.slice(0, 90) : JSON.stringify(e.output).slice(0, 90)}`);
        else if (e.type === 'task:failed') line('failed', e.taskId!, `failed: ${(e.error as Error)?.message}`);
        else if (e.type === 'task:stream' && e.taskId === 'write') answer.textContent += e.delta ?? '';
      });
      const result = await handle.result;
      const u = result.usage;
      setText('#agents-tokens', `${u.total.tokens} tokens in all: ${Object.entries(u.agents).map(([a, x]) => `${a} ${x.tokens}`).join(', ')}`);
      section.dataset.state = result.status === 'succeeded' ? 'done' : result.status;
      if (result.status === 'succeeded') answer.textContent = String(result.output('write'));
    } catch (error) {
      section.dataset.state = 'error';
      line('failed', 'crew', String(error));
    } finally {
      await memory.close();
      button.disabled = false;
    }
  }
  button.addEventListener('click', () => void run());
}
